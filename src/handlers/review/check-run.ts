import { CHECK_RUN_NAME, type CheckRunPlan } from "../../domain/review/check-run.js";
import type { CheckConclusionInput } from "../../github/port.js";
import type { RunContext } from "../context.js";
import { write } from "./writes.js";

/** The `orkestra/review` check run of one head commit; `id` is null in a dry run. */
export interface ReviewCheck {
  pr: number;
  headSha: string;
  id: number | null;
  /** Set once a conclusion was sent: a later failure must not overwrite it. */
  completed: boolean;
}

/** Marks the head commit as being reviewed, so branch protection waits for the outcome. */
export async function startCheckRun(ctx: RunContext, pr: number, headSha: string): Promise<ReviewCheck> {
  const id = await write(ctx, pr, `start check run \`${CHECK_RUN_NAME}\` on ${headSha.slice(0, 7)}`, "review started", () =>
    ctx.github.createCheckRun({ name: CHECK_RUN_NAME, headSha, status: "in_progress", startedAt: ctx.clock.now().toISOString(), externalId: `pr-${pr}` }),
  );
  return { pr, headSha, id, completed: false };
}

/**
 * Completes the run with the review's conclusion and output. GitHub takes at most 50 annotations
 * per request and appends each batch, so the rest follow in further updates.
 */
export async function completeCheckRun(ctx: RunContext, check: ReviewCheck, plan: CheckRunPlan): Promise<void> {
  const { title, summary, text } = plan.output;
  const annotations = plan.output.annotations.length + plan.moreAnnotations.flat().length;
  await write(ctx, check.pr, `complete check run \`${plan.name}\`: ${plan.conclusion}, ${annotations} annotation(s)`, title, async () => {
    const id = check.id as number;
    await ctx.github.updateCheckRun(id, {
      status: "completed",
      conclusion: plan.conclusion,
      completedAt: ctx.clock.now().toISOString(),
      output: { title, summary, ...(text ? { text } : {}), annotations: plan.output.annotations },
    });
    check.completed = true;
    for (const chunk of plan.moreAnnotations) await ctx.github.updateCheckRun(id, { output: { title, summary, annotations: chunk } });
  });
}

/** Ends a run that produced no review (superseded by a push, or a GitHub error), so it does not stay pending. */
export async function endCheckRun(ctx: RunContext, check: ReviewCheck, conclusion: CheckConclusionInput, title: string, summary: string): Promise<void> {
  await write(ctx, check.pr, `end check run \`${CHECK_RUN_NAME}\`: ${conclusion}`, title, async () => {
    await ctx.github.updateCheckRun(check.id as number, { status: "completed", conclusion, completedAt: ctx.clock.now().toISOString(), output: { title, summary } });
    check.completed = true;
  });
}

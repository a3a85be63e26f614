import { CHECK_RUN_NAME, type CheckRunPlan } from "../../domain/review/check-run.js";
import type { CheckConclusionInput, CheckRunUpdate } from "../../github/port.js";
import type { RunContext } from "../../runtime/context.js";
import type { Effect } from "../../runtime/effects.js";

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
  const run = { name: CHECK_RUN_NAME, headSha, status: "in_progress" as const, startedAt: ctx.clock.now().toISOString(), externalId: `pr-${pr}` };
  const id = await ctx.perform({ kind: "create-check-run", issue: pr, run, why: "review started" });
  return { pr, headSha, id, completed: false };
}

/**
 * Completes the run with the review's conclusion and output. GitHub takes at most 50 annotations
 * per request and appends each batch, so the rest follow in further updates.
 */
export async function completeCheckRun(ctx: RunContext, check: ReviewCheck, plan: CheckRunPlan): Promise<void> {
  const { title, summary, text } = plan.output;
  const checkRunId = check.id ?? 0; // 0 only in a dry run, where nothing is written
  const update = (change: CheckRunUpdate): Effect => ({ kind: "update-check-run", issue: check.pr, checkRunId, name: plan.name, update: change, why: title });
  await ctx.apply([
    update({
      status: "completed",
      conclusion: plan.conclusion,
      completedAt: ctx.clock.now().toISOString(),
      output: { title, summary, ...(text ? { text } : {}), annotations: plan.output.annotations },
    }),
  ]);
  check.completed = true;
  await ctx.apply(plan.moreAnnotations.map((chunk) => update({ output: { title, summary, annotations: chunk } })));
}

/** Ends a run that produced no review (superseded by a push, or a GitHub error), so it does not stay pending. */
export async function endCheckRun(ctx: RunContext, check: ReviewCheck, conclusion: CheckConclusionInput, title: string, summary: string): Promise<void> {
  const update: CheckRunUpdate = { status: "completed", conclusion, completedAt: ctx.clock.now().toISOString(), output: { title, summary } };
  await ctx.perform({ kind: "update-check-run", issue: check.pr, checkRunId: check.id ?? 0, name: CHECK_RUN_NAME, update, why: title });
  check.completed = true;
}

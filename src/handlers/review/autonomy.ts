/**
 * Autonomy levels in the review (docs/autonomy.md). `manual`: the review is a suggestion — a
 * `COMMENT` review and a `neutral` check run, and no decision that starts another agent round by
 * itself (a person's `/revise` does). `full`: once the review policy passes on an agent's pull
 * request, GitHub's auto-merge is turned on (branch protection still decides when it merges).
 */
import { isOrkestraBranch } from "../../domain/execution/branch.js";
import { readExecutionMarker } from "../../domain/execution/pull-body.js";
import { renderMarker } from "../../domain/markers.js";
import type { ConcludedReview } from "../../domain/review/pipeline.js";
import type { ReviewDecision } from "../../domain/review/policy.js";
import type { TaskMeta } from "../../domain/task/card.js";
import { GitHubError, type MergeMethod, type PullDetails } from "../../github/port.js";
import type { RunContext } from "../../runtime/context.js";
import { autonomyFor } from "../autonomy.js";
import { readTask } from "../execution/record.js";
import { upsertSticky } from "../sticky.js";

const AUTO_MERGE_NOTICE = "auto-merge-notice";

/** The task an agent's pull request is for, read fresh; null for anyone else's pull request. */
async function pullTaskMeta(ctx: RunContext, pr: Pick<PullDetails, "body" | "headRef">): Promise<TaskMeta | null> {
  const marker = readExecutionMarker(pr.body);
  if (!marker || !isOrkestraBranch(pr.headRef, marker.issue)) return null;
  return (await readTask(ctx, marker.issue))?.meta ?? null;
}

/** The level a review of this pull request follows: its task's for an agent's pull request, else the repository's. */
export async function reviewAutonomy(ctx: RunContext, pr: PullDetails, agentPull: boolean): Promise<{ level: ReturnType<typeof autonomyFor>; meta: TaskMeta | null }> {
  const meta = agentPull ? await pullTaskMeta(ctx, pr) : null;
  return { level: autonomyFor(ctx, meta), meta };
}

/** `manual`: the same review as a suggestion — a comment, a neutral check run, nothing that starts a round. */
export function asSuggestion(concluded: ConcludedReview): ConcludedReview {
  const note = "Autonomy `manual`: this review is a suggestion; it neither approves nor blocks, and no agent round starts by itself (a person's `/revise` does).";
  const { output } = concluded.checkRun;
  return {
    ...concluded,
    review: { ...concluded.review, event: "COMMENT" },
    decision: { ...concluded.decision, event: "COMMENT", conclusion: "neutral" },
    checkRun: { ...concluded.checkRun, conclusion: "neutral", output: { ...output, title: `Suggestion: ${output.title}`, summary: `${note}\n\n${output.summary}` } },
  };
}

const METHODS: Record<"merge" | "squash" | "rebase", MergeMethod> = { merge: "MERGE", squash: "SQUASH", rebase: "REBASE" };

/**
 * `full`: the policy passed on an agent's pull request, so GitHub's auto-merge goes on, once. A
 * card that already shows this pull request approved had it turned on by an earlier review. GitHub
 * refuses where the repository does not allow auto-merge, or where nothing is left to wait for: a
 * sticky comment on the pull request says so, and the run goes on.
 */
export async function autoMergeIfPassed(ctx: RunContext, pr: PullDetails, meta: TaskMeta | null, decision: ReviewDecision): Promise<void> {
  if (!meta || decision.outcome !== "approved" || decision.conclusion !== "success") return;
  if (pr.state !== "open") return;
  if (meta.execution?.pr === pr.number && meta.execution.review === "approved") {
    return void ctx.report.notes.push(`#${pr.number}: autonomy full: auto-merge was requested by an earlier approval`);
  }
  const setting = ctx.config.execution.mergeMethod;
  const method = METHODS[setting];
  try {
    await ctx.perform({ kind: "enable-auto-merge", issue: pr.number, nodeId: pr.nodeId, method, why: "autonomy full: the review policy passed" });
    ctx.report.notes.push(`#${pr.number}: autonomy full: auto-merge (${setting}) enabled; GitHub merges once branch protection is satisfied`);
  } catch (error) {
    if (!(error instanceof GitHubError)) throw error;
    if (/already/i.test(error.message)) return void ctx.report.notes.push(`#${pr.number}: autonomy full: auto-merge is already on (${error.message})`);
    const why = /not allowed/i.test(error.message)
      ? 'this repository does not allow auto-merge: a repository admin can turn on Settings → General → Pull Requests → "Allow auto-merge"'
      : /clean status/i.test(error.message)
        ? "GitHub has nothing left to wait for (no required checks or reviews pending): merge it, or require checks in branch protection"
        : `GitHub refused it: ${error.message}`;
    ctx.log.warn(`#${pr.number}: auto-merge not enabled: ${error.message}`);
    ctx.report.notes.push(`#${pr.number}: autonomy full: auto-merge not enabled — ${why}`);
    const body = `${renderMarker(AUTO_MERGE_NOTICE, { pr: pr.number })}\n⚠️ Autonomy \`full\`: the review policy passed, but Orkestra could not turn on auto-merge — ${why}. A person merges this pull request.`;
    await ctx.apply(upsertSticky(pr.number, await ctx.github.listComments(pr.number), AUTO_MERGE_NOTICE, body, "auto-merge not enabled"));
  }
}

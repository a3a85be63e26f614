import type { ConcludedReview } from "../../domain/review/pipeline.js";
import type { ReviewDecision } from "../../domain/review/policy.js";
import { GitHubError, type PullDetails, type ReviewData } from "../../github/port.js";
import type { RunContext } from "../../runtime/context.js";
import type { Effect } from "../../runtime/effects.js";
import { completeCheckRun, type ReviewCheck } from "./check-run.js";
import { reviewLabelSpec } from "./labels.js";
import { supersede, type OrkestraReview } from "./previous.js";

interface Publication {
  pr: PullDetails;
  concluded: ConcludedReview;
  /** The same review without inline comments, as a plain comment, for GitHub's second chance. */
  plain: () => ConcludedReview;
  /** Orkestra's reviews the new one replaces. */
  standing: readonly OrkestraReview[];
  check: ReviewCheck;
}

/** One review, the older ones retired, the check run completed, the labels set and cleared. */
export async function publishReview(ctx: RunContext, publication: Publication): Promise<void> {
  const { pr, concluded, check } = publication;
  const posted = await postReview(ctx, publication);
  await supersede(ctx, pr.number, publication.standing, pr.headSha, posted?.author.login ?? null);
  await completeCheckRun(ctx, check, concluded.checkRun);
  await ctx.apply(labelEffects(ctx, pr, concluded.decision));
}

async function postReview(ctx: RunContext, { pr, concluded, plain }: Publication): Promise<ReviewData | null> {
  try {
    return await submit(ctx, pr, concluded.review);
  } catch (error) {
    if (!(error instanceof GitHubError) || error.status !== 422) throw error;
    // Positions are checked against the diff and a workflow's token may be barred from approving or
    // requesting changes; if GitHub still refuses, the findings go in the body of a plain comment.
    ctx.report.notes.push(`#${pr.number}: GitHub refused the review (${error.message}); posting it again as a comment without inline comments`);
    return submit(ctx, pr, plain().review);
  }
}

function submit(ctx: RunContext, pr: PullDetails, review: ConcludedReview["review"]): Promise<ReviewData | null> {
  return ctx.perform({
    kind: "create-review",
    issue: pr.number,
    review: { commitId: pr.headSha, event: review.event, body: review.body, comments: review.comments },
    why: `agents reviewed ${pr.headSha.slice(0, 7)}`,
  });
}

/** The policy's labels; PRs take labels through the issues endpoints. Only real changes are written. */
function labelEffects(ctx: RunContext, pr: Pick<PullDetails, "number" | "labels">, decision: ReviewDecision): Effect[] {
  const has = new Set(pr.labels.map((name) => name.toLowerCase()));
  const add = decision.labelsToAdd.filter((name) => !has.has(name.toLowerCase()));
  const remove = decision.labelsToRemove.filter((name) => has.has(name.toLowerCase()));
  const effects: Effect[] = [];
  if (add.length > 0) effects.push({ kind: "add-labels", issue: pr.number, labels: add.map((name) => reviewLabelSpec(ctx, name)), why: decision.title });
  if (remove.length > 0) effects.push({ kind: "remove-labels", issue: pr.number, names: remove, why: decision.title });
  return effects;
}

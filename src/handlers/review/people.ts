/**
 * A person's review (`pull_request_review` submitted or dismissed) moves merge readiness when the
 * method counts people (`review.mergeReadiness` is not `agents`): readiness is decided again from
 * the agents' verdicts recorded in Orkestra's last review of the head and people's word, and the
 * head's `orkestra/review` check run gets the new conclusion and summary. No agent is asked.
 */
import { CHECK_RUN_NAME, readinessOutput } from "../../domain/review/check-run.js";
import { recordedOutcomes } from "../../domain/review/people.js";
import { decideReview } from "../../domain/review/policy.js";
import { issueOfBranch } from "../../domain/execution/branch.js";
import { GitHubError } from "../../github/port.js";
import type { RunContext } from "../../runtime/context.js";
import { onChangesRequested } from "../execution/feedback.js";
import type { PullRequestReviewEvent } from "../payloads.js";
import { reviewAutonomy } from "./autonomy.js";
import { orkestraReviews } from "./previous.js";
import { readinessInput } from "./readiness.js";
import { authorAgent } from "./run.js";

const short = (sha: string) => sha.slice(0, 7);

/** Whether a review event can change anything: an approval, a change request, or a dismissal. */
export function movesReadiness(event: Pick<PullRequestReviewEvent, "action" | "review">): boolean {
  const state = event.review.state.toLowerCase();
  return event.action === "dismissed" || (event.action === "submitted" && (state === "approved" || state === "changes_requested"));
}

/** Readiness first (the check run reflects the review), then a change request on an agent's branch gives the agent another round. */
export async function onPersonReview(ctx: RunContext, event: PullRequestReviewEvent): Promise<void> {
  try {
    await refreshReadiness(ctx, event.pull_request.number);
  } catch (error) {
    // A check GitHub would not let this token update (a fork's read-only token) must not cost the agent its round.
    if (!(error instanceof GitHubError)) throw error;
    ctx.report.errors.push(`#${event.pull_request.number}: merge readiness not updated: ${error.message}`);
  }
  const asksAgent = event.action === "submitted" && event.review.state.toLowerCase() === "changes_requested" && issueOfBranch(event.pull_request.head.ref) !== null;
  if (asksAgent) await onChangesRequested(ctx, event);
}

/** Decides merge readiness again for the head's last review: one read of the PR, one of its reviews, the vote's tally. */
async function refreshReadiness(ctx: RunContext, number: number): Promise<void> {
  const method = ctx.config.review.mergeReadiness;
  const note = (text: string) => void ctx.report.notes.push(`#${number}: ${text}`);
  if (method === "agents") return note("merge readiness follows the agents alone (`review.mergeReadiness: agents`); a person's review does not change the check");
  const pr = await ctx.github.getPull(number);
  if (!pr || pr.state !== "open") return note("not an open pull request; merge readiness is not decided");
  const reviews = await ctx.github.listReviews(number);
  const last = orkestraReviews(reviews)
    .filter(({ marker }) => marker.headSha === pr.headSha)
    .at(-1);
  if (!last) return note(`no agents' review of ${short(pr.headSha)} yet; its review will count people's reviews`);
  const outcomes = recordedOutcomes(last.marker);
  const checkRunId = last.marker.checkRun;
  if (!outcomes || checkRunId === undefined) return note(`the review of ${short(pr.headSha)} predates recorded verdicts; \`/review\` decides merge readiness again`);
  const autonomy = await reviewAutonomy(ctx, pr, authorAgent(await ctx.github.login(), pr) !== null);
  if (autonomy.level === "manual") return note("autonomy manual: the review is a suggestion and its check stays neutral");

  const readiness = await readinessInput(ctx, number, reviews);
  const decision = decideReview(outcomes, { ...ctx.config.review, maintainers: ctx.config.maintainers }, {
    votes: readiness.votes,
    ...(readiness.combine ? { combine: readiness.combine } : {}),
  });
  const { title, summary } = readinessOutput(decision);
  const ready = decision.mergeReadiness.ready ? "ready" : "not ready";
  await ctx.apply([
    {
      kind: "update-check-run",
      issue: number,
      checkRunId,
      name: CHECK_RUN_NAME,
      update: { status: "completed", conclusion: decision.conclusion, completedAt: ctx.clock.now().toISOString(), output: { title, summary } },
      why: `merge readiness decided again after a person's review: ${ready}`,
    },
  ]);
  note(`merge readiness of ${short(pr.headSha)} decided again without the agents: ${ready}, check ${decision.conclusion}`);
}

import { renderMarker } from "../../domain/markers.js";
import { shouldReview, type TriggerDecision } from "../../domain/review/select.js";
import { GitHubError, type PullDetails } from "../../github/port.js";
import type { RunContext } from "../../runtime/context.js";
import { meets } from "../permissions.js";
import { upsertSticky } from "../sticky.js";

/** What asked for a review: a `pull_request` action, or `/review` (optionally naming agents). */
export type ReviewTrigger =
  | { kind: "event"; action: string }
  /** `since`: when the command was written; a review of the head submitted since answers it. */
  | { kind: "command"; requested: string[]; since: string }
  /** An agent's own pull request, reviewed by the run that opened it (the author agent is left out). */
  | { kind: "execution"; author: string };

/** The trigger rules of the pure core: drafts wait, authors without write access wait for `/review`. */
export async function triggerDecision(ctx: RunContext, pr: PullDetails, trigger: ReviewTrigger): Promise<TriggerDecision> {
  // Orkestra opened it for a task a trusted person stands behind: only `review.enabled` decides.
  if (trigger.kind === "execution") return ctx.config.review.enabled ? { review: true } : { review: false, reason: "automatic reviews are turned off (review.enabled)" };
  const common = { draft: pr.draft, authorAssociation: await writeAssociation(ctx, pr) };
  return shouldReview(ctx.config.review, trigger.kind === "event" ? { kind: "event", action: trigger.action, ...common } : { kind: "command", ...common });
}

/**
 * `author_association` says how the author relates to the repository, not what they may do:
 * COLLABORATOR includes read-only collaborators and MEMBER any member of the organisation. So
 * those are checked against the author's real permission (one request); below write access the
 * author counts as a contributor, whose PRs wait for a maintainer.
 */
async function writeAssociation(ctx: RunContext, pr: PullDetails): Promise<string> {
  if (pr.authorAssociation !== "MEMBER" && pr.authorAssociation !== "COLLABORATOR") return pr.authorAssociation;
  try {
    return meets(await ctx.permissionOf(pr.author.login), "write") ? pr.authorAssociation : "CONTRIBUTOR";
  } catch (error) {
    // A fork PR's read-only token may not ask; unverified means not trusted.
    if (error instanceof GitHubError && error.status === 403) return "CONTRIBUTOR";
    throw error;
  }
}

/** A PR whose head lives in another repository (a fork, or a deleted one). */
function isFork(pr: PullDetails): boolean {
  return pr.headRepo === null || pr.headRepo.toLowerCase() !== pr.baseRepo.toLowerCase();
}

const NOTICE_KIND = "review-notice";

const FORK_NOTICE = [
  "⚠️ **Orkestra did not review this pull request automatically.** It comes from a fork, and GitHub",
  "gives workflows started by `pull_request` events from forks no secrets, so no agent key was available.",
  "",
  "- A maintainer can start the review with `/review` (comment workflows run with the repository's secrets).",
  "- Or run the workflow on `pull_request_target`: it is safe for Orkestra, which reads the diff through the API",
  "  and never checks out or runs code from the pull request — as long as the workflow itself does not either.",
].join("\n");

/**
 * Why no agent can review. For a fork PR whose run has no agent keys (the Action on
 * `pull_request`), one sticky notice says so instead of failing; a read-only token that cannot
 * even comment leaves the notice in the run report.
 */
export async function noAgentReason(ctx: RunContext, pr: PullDetails, trigger: ReviewTrigger): Promise<string> {
  const keyless = ctx.agents.disabled.some((agent) => agent.reason === "no-key");
  if (!(isFork(pr) && keyless)) {
    const off = ctx.agents.disabled.map((agent) => agent.message).join("; ");
    return `no agent is enabled (${off || "configure `agents` in .github/orkestra.yml"})`;
  }
  const reason = "this PR comes from a fork and the run has no agent keys (GitHub passes no secrets to fork PRs on `pull_request`)";
  if (trigger.kind === "command") return reason;
  try {
    const comments = await ctx.github.listComments(pr.number);
    await ctx.apply(upsertSticky(pr.number, comments, NOTICE_KIND, `${renderMarker(NOTICE_KIND, { pr: pr.number })}\n${FORK_NOTICE}`, "fork PR without agent keys"));
  } catch (error) {
    if (!(error instanceof GitHubError) || error.status !== 403) throw error;
    ctx.report.notes.push(`#${pr.number}: the token is read-only here, so the fork notice is only in this report`);
  }
  return reason;
}

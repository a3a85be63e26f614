/**
 * Multi-agent pull-request reviews (docs/review.md): the `pull_request` events and `/review`.
 * The files here do the I/O; every decision is the pure core's (src/domain/review).
 */
import type { RunContext, RunReport } from "../../runtime/context.js";
import { CONFIG_CHECK_ACTIONS, checkConfigChange } from "./config-check.js";
import { lazyDiff } from "./gather.js";
import { refreshOverlaps } from "./overlap.js";
import { OVERLAP_ACTIONS, REVIEW_ACTIONS, type PullRequestEvent } from "./payload.js";
import { reviewPull, type ReviewResult } from "./run.js";
import { withBaseBranchConfig } from "./scope.js";
import type { PullDetails } from "../../github/port.js";
import { taskOfPull } from "../execution/index.js";

export { configRefFor, pullRequestEventSchema } from "./payload.js";

/** Whether a pull request event can need anything, decided without any request. */
export function wantsPullRequestEvent(event: PullRequestEvent, report: RunReport): boolean {
  if (REVIEW_ACTIONS.has(event.action) || OVERLAP_ACTIONS.has(event.action)) return true;
  report.notes.push(`pull_request \`${event.action}\` needs nothing from Orkestra`);
  return false;
}

export async function onPullRequestEvent(ctx: RunContext, event: PullRequestEvent): Promise<void> {
  const { number } = event.pull_request;
  const overlap = ctx.config.review.overlap.enabled && OVERLAP_ACTIONS.has(event.action);
  if (event.action === "closed") {
    if (overlap) await refreshOverlaps(ctx, { number, title: event.pull_request.title, labels: event.pull_request.labels.map((label) => label.name), files: null });
    return;
  }
  const pr = await ctx.github.getPull(number);
  if (!pr) return void ctx.report.notes.push(`#${number}: no such pull request; nothing to review`);
  if (pr.state !== "open") return void ctx.report.notes.push(`#${number}: the pull request is closed; nothing to review`);
  if (pr.headSha !== event.pull_request.head.sha) {
    // A late or redelivered event: the PR moved on, and the event of its new head reviews it.
    return void ctx.report.notes.push(`#${number}: this event is about ${event.pull_request.head.sha.slice(0, 7)}, the head is now ${pr.headSha.slice(0, 7)}; skipped`);
  }
  const diff = lazyDiff(ctx, pr);
  if (REVIEW_ACTIONS.has(event.action) && event.sender.type === "Bot" && taskOfPull(pr) !== null) {
    // An agent's pull request that Orkestra opened or pushed (with an App token, whose events start
    // runs): the run that wrote it reviews it, without the author agent; this event would review twice.
    ctx.report.notes.push(`#${number}: an agent's pull request, reviewed by the run that wrote it`);
  } else if (REVIEW_ACTIONS.has(event.action)) noteResult(ctx, pr, await reviewPull(ctx, pr, { kind: "event", action: event.action }, diff));
  if (overlap) await refreshOverlaps(ctx, { number, title: pr.title, labels: pr.labels, files: (await diff()).files });
  if (CONFIG_CHECK_ACTIONS.has(event.action)) await checkConfigChange(ctx, pr, diff);
}

function noteResult(ctx: RunContext, pr: PullDetails, result: ReviewResult): void {
  if (result.status !== "reviewed") ctx.report.notes.push(`#${pr.number}: no review of ${pr.headSha.slice(0, 7)}: ${result.reason}`);
}

type CommandReview = { ok: true; reply?: string } | { ok: false; reason: string };

/** `/review [agent …]`: a fresh review of the current head, by the named agents when given. */
export async function reviewOnCommand(ctx: RunContext, number: number, requested: string[], since: string): Promise<CommandReview> {
  const pr = await ctx.github.getPull(number);
  if (!pr) return { ok: false, reason: "this is not a pull request" };
  if (pr.state !== "open") return { ok: false, reason: "this pull request is closed" };
  const scoped = await withBaseBranchConfig(ctx, pr, (scopedCtx) => reviewPull(scopedCtx, pr, { kind: "command", requested, since }, lazyDiff(scopedCtx, pr)));
  if (!scoped.ok) return scoped;
  const result = scoped.value;
  // Skipped: a review since this command exists (the command was redelivered), or a dry run.
  if (result.status === "skipped") return { ok: true };
  if (result.status === "refused") return { ok: false, reason: result.reason };
  if (result.unknown.length === 0) return { ok: true };
  return { ok: true, reply: `Reviewed without ${result.unknown.map((name) => `\`${name}\``).join(", ")}: no enabled agent has that name.` };
}

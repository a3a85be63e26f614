/**
 * The Re-run button on Orkestra's `orkestra/review` check run (`check_run.rerequested`): a fresh
 * review of the pull request's head by the agents, as `/review` gives, even when that head was
 * reviewed already. `requested_action` is not handled: the check run offers no actions.
 */
import { CHECK_RUN_NAME } from "../../domain/review/check-run.js";
import type { RunContext } from "../../runtime/context.js";
import type { CheckRunEvent } from "../payloads.js";
import { meets } from "../permissions.js";
import { lazyDiff } from "./gather.js";
import { reviewPull } from "./run.js";
import { withBaseBranchConfig } from "./scope.js";

/**
 * Whether a check run is Orkestra's review check: its name, and the app it runs as (the App's slug;
 * in the Action, the job token's `github-actions`, or the App whose token the workflow uses).
 */
function isOwnReviewCheck(self: string | undefined, run: CheckRunEvent["check_run"]): boolean {
  const slug = self?.replace(/\[bot\]$/, "");
  return run.name === CHECK_RUN_NAME && slug !== undefined && run.app?.slug === slug;
}

/** The pull request a review check run is for: its `external_id` (`pr-12`, set by Orkestra; forks too), else GitHub's list. */
export function pullOfCheckRun(run: CheckRunEvent["check_run"]): { number: number; baseRef?: string } | null {
  const own = /^pr-(\d+)$/.exec(run.external_id ?? "");
  const listed = run.pull_requests.find((pull) => own === null || pull.number === Number(own[1]));
  if (own) return { number: Number(own[1]), ...(listed?.base ? { baseRef: listed.base.ref } : {}) };
  return listed ? { number: listed.number, ...(listed.base ? { baseRef: listed.base.ref } : {}) } : null;
}

export async function onReviewRerun(ctx: RunContext, event: CheckRunEvent, number: number): Promise<void> {
  const run = event.check_run;
  const by = event.sender.login;
  const note = (text: string) => void ctx.report.notes.push(`#${number}: ${text}`);
  // GitHub shows Re-run to people with write access; an app may rerequest through the API with read access.
  if (!meets(await ctx.permissionOf(by), "write")) return note(`@${by} pressed Re-run without write permission; the agents are not asked again`);
  const pr = await ctx.github.getPull(number);
  if (!pr || pr.state !== "open") return note("Re-run of the review of a pull request that is not open; nothing to review");
  if (pr.headSha !== run.head_sha) return note(`Re-run of the review of ${run.head_sha.slice(0, 7)}, no longer the head (${pr.headSha.slice(0, 7)}, reviewed by its own event)`);
  // A review submitted after the re-run check completed answers it (a redelivered Re-run asks nobody
  // again); the check run itself does not change when rerequested, so its completion time stays.
  const since = run.completed_at ? new Date(Date.parse(run.completed_at) + 1).toISOString() : ctx.clock.now().toISOString();
  const scoped = await withBaseBranchConfig(ctx, pr, (scopedCtx) => reviewPull(scopedCtx, pr, { kind: "command", requested: [], since }, lazyDiff(scopedCtx, pr)));
  if (!scoped.ok) return note(`Re-run by @${by}: no review: ${scoped.reason}`);
  const result = scoped.value;
  if (result.status !== "reviewed") return note(`Re-run by @${by}: no review of ${pr.headSha.slice(0, 7)}: ${result.reason}`);
  note(`Re-run by @${by}: reviewed ${pr.headSha.slice(0, 7)} again`);
}

/** Why a `check_run` event needs nothing, or null when it is a Re-run of Orkestra's review check. */
export function ignoredCheckRun(self: string | undefined, event: CheckRunEvent): string | null {
  const run = event.check_run;
  if (event.action === "requested_action") return "`check_run.requested_action`: Orkestra's check runs offer no actions";
  if (event.action !== "rerequested") return `\`check_run.${event.action}\` needs nothing from Orkestra`;
  if (!isOwnReviewCheck(self, run)) return `Re-run of \`${run.name}\` of ${run.app?.slug ?? "another app"}: not Orkestra's review check`;
  return null;
}

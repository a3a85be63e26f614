/**
 * What GitHub tells Orkestra about an agent's pull request in review: a person's change request
 * and the checks of its head commit. Both become findings for the agent's next round (through
 * `reviseWork`, so the rounds limit and the card are the same as for `/revise`). Each is acted on
 * once per head commit: a new round moves the head, so a redelivered review or suite of the old
 * head finds nothing to do, and the card's `checks: failing` marks a head already fed back.
 */
import { issueOfBranch } from "../../domain/execution/branch.js";
import type { CheckSuiteData, PullDetails } from "../../github/port.js";
import type { RunContext } from "../../runtime/context.js";
import type { CheckSuiteEvent, PullRequestReviewEvent } from "../payloads.js";
import { autonomyFor } from "../autonomy.js";
import { meets } from "../permissions.js";
import { reviseWork, taskOfPull } from "./control.js";
import { readTask, record, stillCurrent } from "./record.js";

/** Conclusions that mean the checks did not pass (`action_required`, `neutral`, `skipped` and `stale` do not count as red). */
const RED = new Set(["failure", "timed_out", "cancelled", "startup_failure"]);
const GREEN = new Set(["success", "neutral", "skipped"]);
/** The app whose suites hold GitHub Actions workflow runs. */
const ACTIONS_APP = "github-actions";

/** Orkestra's own check suite (`orkestra/review`) belongs to the app it runs as; a job token's suite cannot be told apart. */
export function isOwnSuiteApp(self: string | undefined, app: string | null | undefined): boolean {
  const slug = self?.replace(/\[bot\]$/, "");
  return slug !== undefined && slug !== ACTIONS_APP && app === slug;
}

/**
 * `pull_request_review.submitted` with changes requested on an agent's pull request: a person with
 * write permission gives the agent another round with the review's text. Anyone else's change
 * request is only noted; a review of an older commit (the agent has moved on) is left alone.
 */
export async function onChangesRequested(ctx: RunContext, event: PullRequestReviewEvent): Promise<void> {
  const { review } = event;
  const reviewer = review.user?.login ?? event.sender.login;
  const pr = await ctx.github.getPull(event.pull_request.number);
  const number = pr ? taskOfPull(pr) : null;
  if (!pr || number === null) return void ctx.report.notes.push(`#${event.pull_request.number}: not an agent's pull request; @${reviewer}'s review is for people`);
  if (pr.state !== "open") return void ctx.report.notes.push(`#${pr.number}: closed; @${reviewer}'s change request starts no round`);
  if (review.commit_id && review.commit_id !== pr.headSha) {
    return void ctx.report.notes.push(`#${pr.number}: @${reviewer} reviewed ${review.commit_id.slice(0, 7)}, no longer the head (${pr.headSha.slice(0, 7)}); no new round`);
  }
  if (!meets(await ctx.permissionOf(reviewer), "write")) {
    return void ctx.report.notes.push(`#${pr.number}: @${reviewer} requested changes without write permission; the agent is not asked (a person with write permission can \`/revise\`)`);
  }
  const body = (review.body ?? "").trim();
  const findings = [`@${reviewer} requested changes on pull request #${pr.number} (commit ${pr.headSha.slice(0, 7)}):`, "", body || "(no text: see the review's comments on the diff)"].join("\n");
  await revise(ctx, number, findings, `@${reviewer} requested changes on #${pr.number}`);
}

/**
 * `check_suite.completed` on Orkestra's branch for a task, for the pull request's head: red checks
 * are findings for another round; green ones mark the card once every suite of the head is green.
 */
export async function onCheckSuiteCompleted(ctx: RunContext, event: CheckSuiteEvent): Promise<void> {
  const suite = event.check_suite;
  const number = issueOfBranch(suite.head_branch);
  if (number === null) return;
  const task = await readTask(ctx, number);
  const execution = task?.meta.execution;
  if (!task || !execution?.pr || execution.output !== "pull-request" || !stillCurrent(task.meta, execution)) {
    return void ctx.report.notes.push(`#${number}: no agent's pull request is in review; the check suite changes nothing`);
  }
  const pr = await ctx.github.getPull(execution.pr);
  if (!pr || pr.state !== "open" || pr.headRef !== suite.head_branch || pr.headSha !== suite.head_sha) {
    return void ctx.report.notes.push(`#${number}: the check suite is for ${suite.head_sha.slice(0, 7)}, not the head of #${execution.pr}; nothing to do`);
  }
  await settleChecks(ctx, number, pr);
}

/**
 * Reads the head's check suites (one request) and acts on them: a red one (not Orkestra's own)
 * gives the agent another round, once per head; all green marks the card `passing`. Used by the
 * `check_suite` event and by the sweep (the Action receives no `check_suite` for GitHub Actions'
 * own suites, so the sweep is how it learns of red CI).
 */
export async function settleChecks(ctx: RunContext, number: number, pr: Pick<PullDetails, "number" | "headSha">): Promise<void> {
  const self = await ctx.github.login();
  const suites = (await ctx.github.listCheckSuites(pr.headSha)).filter((suite) => !isOwnSuiteApp(self, suite.app));
  const task = await readTask(ctx, number);
  const execution = task?.meta.execution;
  if (!task || !execution || execution.pr !== pr.number || !stillCurrent(task.meta, execution)) return;
  if (task.meta.status !== "review") return void ctx.report.notes.push(`#${number}: \`${execution.agent}\` is working on it; the checks of ${pr.headSha.slice(0, 7)} wait`);
  const red = suites.filter((suite) => suite.status === "completed" && RED.has(suite.conclusion ?? ""));
  if (red.length > 0) {
    if (execution.checks === "failing") return void ctx.report.notes.push(`#${number}: red checks of ${pr.headSha.slice(0, 7)} were fed back already`);
    const how = `checks failed on #${pr.number} (${red.map(suiteName).join(", ")})`;
    await record(ctx, task, { execution: { ...execution, checks: "failing" }, how });
    // Autonomy `manual`: no agent round starts by itself; a person's `/revise` gives one.
    if (autonomyFor(ctx, task.meta) === "manual") return void ctx.report.notes.push(`#${number}: autonomy manual: ${how}; no new round without a person's \`/revise\``);
    await revise(ctx, number, await checkFindings(ctx, pr, red), how);
    return;
  }
  const done = suites.length > 0 && suites.every((suite) => suite.status === "completed" && GREEN.has(suite.conclusion ?? ""));
  if (done && execution.checks !== "passing") {
    await record(ctx, task, { execution: { ...execution, checks: "passing" }, how: `checks passed on #${pr.number}` });
  }
}

async function revise(ctx: RunContext, number: number, findings: string, how: string): Promise<void> {
  const revision = await reviseWork(ctx, number, findings, how);
  if (!revision.ok) return void ctx.report.notes.push(`#${number}: no new round (${how}): ${revision.reason}`);
  await revision.run();
}

function suiteName(suite: CheckSuiteData): string {
  return `${suite.app ?? "a check suite"}: ${suite.conclusion}`;
}

/**
 * What failed, for the agent: GitHub Actions' runs by workflow name and link (one more request,
 * only when an Actions suite is red), other apps' suites by app and conclusion.
 */
async function checkFindings(ctx: RunContext, pr: Pick<PullDetails, "number" | "headSha">, red: readonly CheckSuiteData[]): Promise<string> {
  const lines = [`The checks of pull request #${pr.number} failed on commit ${pr.headSha.slice(0, 7)}. Find what makes them fail and fix it:`, ""];
  for (const suite of red) {
    if (suite.app !== ACTIONS_APP) lines.push(`- check suite of \`${suite.app ?? "an app"}\`: ${suite.conclusion}`);
  }
  if (red.some((suite) => suite.app === ACTIONS_APP)) {
    const runs = (await ctx.github.listWorkflowRuns({ headSha: pr.headSha })).filter((run) => run.status === "completed" && RED.has(run.conclusion ?? ""));
    if (runs.length === 0) lines.push("- GitHub Actions: failure");
    for (const run of runs) lines.push(`- GitHub Actions workflow \`${run.name ?? run.workflowId}\`: ${run.conclusion} (${run.htmlUrl})`);
  }
  return lines.join("\n");
}

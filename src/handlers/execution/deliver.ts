/**
 * Turning a checked change set into a pull request, and a pull request into a review round. The
 * same steps serve both modes: API mode after the tool loop, CLI mode after the worker collected
 * the checkout's diff.
 */
import { acceptanceCriteria } from "../../domain/execution/acceptance.js";
import { commitTrailer } from "../../domain/execution/branch.js";
import { pullRequestBody, resultComment } from "../../domain/execution/pull-body.js";
import type { FileChange } from "../../domain/execution/safe-outputs.js";
import { GitHubError, JOB_TOKEN_LOGIN, type PullDetails } from "../../github/port.js";
import type { RunContext } from "../../runtime/context.js";
import { failAttempt } from "../assignment/attempts.js";
import { lazyDiff } from "../review/gather.js";
import { reviewPull } from "../review/run.js";
import type { StoredTask } from "../task-store.js";
import { readTask, record, stillCurrent, type Execution } from "./record.js";
import { writeChanges } from "./write.js";


interface Work {
  changes: readonly FileChange[];
  summary: string;
  /** The commit the agent started from, and its tree. */
  base: { sha: string; tree: string };
}

/** What to do when GitHub refuses the job token a pull request (the repository's default). */
const PULL_REFUSED_HELP =
  'Turn on Settings → Actions → General → "Allow GitHub Actions to create and approve pull requests", or give Orkestra an App installation token as `github-token` (which also lets CI run on the pull request).';

/** `pull`: the pull request as GitHub answered its creation (its head is this round's commit); absent when an earlier one was updated. */
type Delivered = { ok: true; execution: Execution; pull?: PullDetails } | { ok: false; reason: string };

/**
 * One commit on Orkestra's branch, the pull request opened as a draft (or the earlier attempt's
 * updated), then marked ready, and the task in `review`.
 */
export async function deliverChanges(ctx: RunContext, task: StoredTask, execution: Execution, work: Work): Promise<Delivered> {
  const number = task.issue.number;
  const branch = execution.branch;
  if (!branch) return { ok: false, reason: "the attempt has no branch" };
  const message = `${task.issue.title.slice(0, 200)} (#${number})\n\n${commitTrailer(execution.agent, execution.attempt, execution.round)}`;
  const commit = await writeChanges(ctx, { issue: number, base: work.base, branch, message, changes: work.changes });
  if (commit === null) return { ok: false, reason: "dry run: nothing was written" };

  const body = (openedWithJobToken: boolean) =>
    pullRequestBody({
      issue: number,
      agent: execution.agent,
      mode: execution.mode,
      attempt: execution.attempt,
      round: execution.round,
      usage: execution.usage,
      summary: work.summary,
      files: work.changes,
      criteria: acceptanceCriteria(task.issue.body),
      openedWithJobToken,
    });
  const why = `\`${execution.agent}\`'s work on #${number}`;
  let pr = execution.pr ? await ctx.github.getPull(execution.pr) : null;
  if (pr && (pr.state !== "open" || pr.headRef !== branch)) pr = null;
  const created = pr === null;
  if (pr) {
    await ctx.apply([{ kind: "update-pull", issue: pr.number, changes: { body: body(pr.author.login === JOB_TOKEN_LOGIN) }, why }]);
  } else {
    const title = task.issue.title.slice(0, 250);
    try {
      pr = (await ctx.perform({ kind: "create-pull", issue: number, pull: { title, body: body(false), head: branch, base: ctx.defaultBranch ?? "main", draft: true }, why }))!;
    } catch (error) {
      if (!(error instanceof GitHubError) || error.status !== 403) throw error;
      return { ok: false, reason: `GitHub refused to open the pull request for \`${branch}\` (${error.message}). ${PULL_REFUSED_HELP}` };
    }
    // Who opened it is known only now: a job token's pull request says that CI has not run.
    if (pr.author.login === JOB_TOKEN_LOGIN) await ctx.apply([{ kind: "update-pull", issue: pr.number, changes: { body: body(true) }, why }]);
  }
  if (pr.draft) await ctx.apply([{ kind: "mark-ready-for-review", issue: pr.number, nodeId: pr.nodeId, why: `${why} is finished` }]);
  const delivered: Execution = {
    ...execution,
    commits: execution.commits + 1,
    pr: pr.number,
    review: "waiting",
    checks: pr.author.login === JOB_TOKEN_LOGIN ? "not-run" : "pending",
  };
  await record(ctx, task, { status: "review", execution: delivered, how: `\`${execution.agent}\` opened #${pr.number}` });
  return { ok: true, execution: delivered, ...(created ? { pull: { ...pr, draft: false } } : {}) };
}

export type RoundEnd = { next: "done" } | { next: "again"; findings: string };

/**
 * The other agents review the pull request (the author is left out). Requested changes start the
 * next round while rounds remain; after the last one the attempt fails (retry, then people).
 * Anything else waits for people: approval, comments, or no reviewer.
 */
export async function reviewRound(ctx: RunContext, number: number, execution: Execution, known?: PullDetails): Promise<RoundEnd> {
  const pr = known ?? (execution.pr ? await ctx.github.getPull(execution.pr) : null);
  if (!pr) return { next: "done" };
  const result = await reviewPull(ctx, pr, { kind: "execution", author: execution.agent }, lazyDiff(ctx, pr));
  const task = await readTask(ctx, number);
  if (!task || !stillCurrent(task.meta, execution)) return { next: "done" };
  if (result.status !== "reviewed") {
    await record(ctx, task, { note: "not reviewed by agents", how: `${result.reason}: a person reviews #${pr.number}` });
    return { next: "done" };
  }
  const how = `${result.decision.title} on #${pr.number}`;
  if (result.decision.event !== "REQUEST_CHANGES") {
    // The agents' approval shows on the card even where they may only comment (review.allowApprove).
    const review = result.decision.outcome === "approved" ? "approved" : "waiting";
    await record(ctx, task, { execution: { ...execution, review }, note: "reviewed", how });
    return { next: "done" };
  }
  return nextRound(ctx, task, execution, pr, result.findings, how);
}

/** Another round with the findings, or — rounds used up — a failed attempt. */
export async function nextRound(ctx: RunContext, task: StoredTask, execution: Execution, pr: Pick<PullDetails, "number">, findings: string, how: string): Promise<RoundEnd> {
  if (execution.round >= execution.maxRounds) {
    const reason = `changes still requested on #${pr.number} after ${execution.maxRounds} review round(s) (execution.maxRounds)`;
    await failAttempt(ctx, task, reason, { ...execution, review: "changes-requested" });
    return { next: "done" };
  }
  const next: Execution = { ...execution, round: execution.round + 1, review: "changes-requested" };
  await record(ctx, task, { status: "in-progress", execution: next, how });
  return { next: "again", findings };
}

/** The one comment a task without files ends in; its id, or null in a dry run. */
export async function postResult(ctx: RunContext, issue: number, execution: Execution, result: string): Promise<number | null> {
  const body = resultComment({ issue, agent: execution.agent, mode: execution.mode, attempt: execution.attempt, usage: execution.usage, result });
  const comment = await ctx.perform({ kind: "create-comment", issue, body, why: `\`${execution.agent}\`'s result` });
  return comment?.id ?? null;
}

/**
 * Starting an agent's work on an assigned task: the pre-task checks (each failure is a line on the
 * card), then `in-progress` with a fresh attempt on the card, then the work itself — the tool loop
 * in this run (API mode) or the worker workflow dispatched (CLI mode).
 */
import type { Agent } from "../../agents/index.js";
import { lockRef } from "../../domain/assignment/lock.js";
import { leaseExpiry } from "../../domain/assignment/lease.js";
import { linkedIssues } from "../../domain/assignment/sweep-plan.js";
import { branchName, isOrkestraBranch, isOrkestraCommit } from "../../domain/execution/branch.js";
import { preTaskChecks, type Mode, type Output } from "../../domain/execution/pre-task.js";
import { openDeps, type TaskMeta } from "../../domain/task/card.js";
import type { IssueData } from "../../github/port.js";
import type { RunContext } from "../../runtime/context.js";
import type { StoredTask } from "../task-store.js";
import { meets } from "../permissions.js";
import { planItemOf } from "../planning/item.js";
import { dispatchWorker } from "./worker.js";
import { readTask, record, type Execution } from "./record.js";
import { workInApiMode } from "./work.js";

interface StartRequest {
  /** Who led here: a person's login, or "orkestra" (the sweep). */
  actor: string;
  how: string;
  /** `/start` by someone with write permission: that person stands behind the work. */
  byHand?: boolean;
}

type Claimed = StoredTask & { meta: TaskMeta };

type StartResult = { started: true } | { started: false; reason: string };

/** The lock commit's message names the agent it was taken for (see claim.ts). */
const LOCK_MESSAGE = /^orkestra lock #\d+ for (\S+)/;

/**
 * `claimed`: the task as a claim in this run just left it — its lock is this agent's, and it need
 * not be read again.
 */
export async function startWork(ctx: RunContext, number: number, request: StartRequest, claimed?: Claimed): Promise<StartResult> {
  if (!ctx.config.execution.enabled) return { started: false, reason: "agents do not work on tasks here (execution.enabled is false)" };
  const task = claimed ?? (await readTask(ctx, number));
  if (!task) return { started: false, reason: `#${number} is not a task` };
  const { meta } = task;
  if (meta.status === "in-progress" && meta.execution && meta.execution.agent === meta.agent?.name) {
    return { started: false, reason: `\`${meta.execution.agent}\` is already working on it (attempt ${meta.execution.attempt})` };
  }
  const agent = meta.agent ? ctx.agents.agents.find((item) => item.name === meta.agent!.name) : undefined;
  // The facts are independent reads: asked at once, they cost one round trip, not five.
  const [holder, trusted, pulls, branch, budget] = await Promise.all([
    claimed ? (meta.agent?.name ?? null) : meta.agent ? lockHolder(ctx, number) : null,
    ctx.config.execution.trustedAuthorsOnly && !request.byHand ? trust(ctx, task.issue, request.actor) : null,
    otherPulls(ctx, number),
    foreignBranch(ctx, meta.execution?.branch ?? branchName(number, task.issue.title)),
    agent ? budgetLeft(ctx, agent) : null,
  ]);
  const check = preTaskChecks({
    task: { number, type: meta.type, status: meta.status, agent: meta.agent?.name ?? null, openDeps: openDeps(meta.deps) },
    types: ctx.config.execution.types,
    resultTypes: ctx.config.execution.resultTypes,
    lockHolder: holder,
    trust: trusted,
    otherPulls: pulls,
    foreignBranch: branch,
    budget,
    mode: resolveMode(ctx, meta.agent?.name ?? null, agent),
  });
  if (!check.ok) {
    if (ctx.dryRun) ctx.skippedInDryRun(`#${number}: work not started — ${check.line}`);
    else await record(ctx, task, { note: "work not started", how: check.line });
    return { started: false, reason: check.line };
  }
  if (ctx.dryRun) {
    ctx.skippedInDryRun(`#${number}: start \`${meta.agent!.name}\`'s work in ${check.mode.toUpperCase()} mode (${check.output}) — ${request.how} (dry run: no agent is asked)`);
    return { started: false, reason: "dry run" };
  }
  const execution = firstRound(ctx, meta, task.issue.title, check);
  const leaseUntil = leaseExpiry(ctx.clock.now().toISOString(), ctx.config.assignment.leaseMinutes).toISOString();
  const started = await record(ctx, task, { status: "in-progress", agent: { ...meta.agent!, leaseUntil }, execution, how: request.how }, request.actor);
  if (check.mode === "cli") await dispatchWorker(ctx, number, execution);
  else await workInApiMode(ctx, number, null, started);
  return { started: true };
}

/** After a claim: starts the work when execution is on; a check that held it back is on the card already. */
export async function startAssigned(ctx: RunContext, number: number, request: StartRequest, claimed?: Claimed): Promise<void> {
  if (!ctx.config.execution.enabled) return;
  // A dry run made no claim, so there is no held task to check: say what would follow it.
  if (ctx.dryRun) return ctx.skippedInDryRun(`#${number}: then start the agent's work — ${request.how} (dry run: no agent is asked)`);
  const started = await startWork(ctx, number, request, claimed);
  if (!started.started) ctx.report.notes.push(`#${number}: work not started: ${started.reason}`);
}

/** A new attempt: one more than the last, on the branch an earlier attempt used (so its pull request carries on). */
function firstRound(ctx: RunContext, meta: TaskMeta, title: string, check: { output: Output; mode: Mode }): Execution {
  const previous = meta.execution;
  return {
    mode: check.mode,
    agent: meta.agent!.name,
    attempt: (previous?.attempt ?? 0) + 1,
    output: check.output,
    startedAt: ctx.clock.now().toISOString(),
    // API mode works in this run: the Action's run page shows the session; CLI mode's run is found later.
    run: check.mode === "api" && ctx.run ? ctx.run : null,
    branch: check.output === "pull-request" ? (previous?.branch ?? branchName(meta.issue, title)) : null,
    commits: 0,
    pr: check.output === "pull-request" ? (previous?.pr ?? null) : null,
    comment: null,
    round: 1,
    maxRounds: ctx.config.execution.maxRounds,
    review: null,
    checks: null,
    usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
    lastRefusal: null,
  };
}

async function lockHolder(ctx: RunContext, number: number): Promise<string | null> {
  const sha = await ctx.github.refSha(lockRef(number));
  if (!sha) return null;
  return LOCK_MESSAGE.exec((await ctx.github.commit(sha)).message)?.[1] ?? null;
}

/** The issue's author or the person who assigned the task must have write permission. */
async function trust(ctx: RunContext, issue: IssueData, actor: string): Promise<{ trusted: boolean; author: string; assigner: string }> {
  const author = (await planApprover(ctx, issue)) ?? issue.author.login;
  const assigner = actor === "orkestra" ? author : actor;
  for (const login of new Set([author, assigner])) {
    if (meets(await ctx.permissionOf(login), "write")) return { trusted: true, author, assigner };
  }
  return { trusted: false, author, assigner };
}

/**
 * A sub-issue Orkestra made from an approved plan speaks for the person who approved the plan;
 * one approved by Orkestra itself (`full` autonomy) for the epic's author. Null for other issues.
 */
async function planApprover(ctx: RunContext, issue: IssueData): Promise<string | null> {
  const item = await planItemOf(ctx, issue);
  if (!item) return null;
  if (item.approvedBy && item.approvedBy !== "orkestra") return item.approvedBy;
  const epic = Number.parseInt(item.plan, 10);
  return Number.isSafeInteger(epic) ? ((await ctx.github.getIssue(epic))?.author.login ?? null) : null;
}

/**
 * A new attempt moves Orkestra's branch (forced) to its own commit: only when the branch's latest
 * commit is Orkestra's, so no one's work is dropped. Null when the branch is free or Orkestra's.
 */
async function foreignBranch(ctx: RunContext, branch: string): Promise<string | null> {
  const sha = await ctx.github.refSha(`heads/${branch}`);
  if (!sha) return null;
  return isOrkestraCommit((await ctx.github.commit(sha)).message) ? null : branch;
}

/** Open pull requests naming the task that Orkestra did not open on its branch (one request). */
async function otherPulls(ctx: RunContext, number: number): Promise<number[]> {
  const pulls = await ctx.github.recentOpenPulls();
  return pulls.filter((pull) => linkedIssues(pull).includes(number) && !isOrkestraBranch(pull.headRef, number)).map((pull) => pull.number);
}

/**
 * Why the agent may not start now: a run or day budget it has reached, or null. The day's usage is
 * loaded first (`today()`): earlier runs' spending is not in this run's ledger until then.
 */
async function budgetLeft(ctx: RunContext, agent: Agent): Promise<string | null> {
  const today = await ctx.agents.today();
  const { run } = ctx.agents.usage();
  const { perRun, perDay } = ctx.config.budgets;
  const mine = today.byAgent[agent.name];
  if (agent.spec.budget.maxCostUsdPerDay !== null && (mine?.costUsd ?? 0) >= agent.spec.budget.maxCostUsdPerDay) return `its daily cost limit ($${agent.spec.budget.maxCostUsdPerDay}) is reached`;
  if (today.costUsd >= perDay.maxCostUsd || today.tokens >= perDay.maxTokens) return "today's budget (budgets.perDay) is used up";
  if (run.total.costUsd >= perRun.maxCostUsd || run.total.tokens >= perRun.maxTokens) return "this run's budget (budgets.perRun) is used up";
  return null;
}

/** API mode for agents with an API, CLI mode for agents that work through a coding CLI (Copilot). */
function resolveMode(ctx: RunContext, name: string | null, agent: Agent | undefined): { ok: true; mode: Mode } | { ok: false; reason: string } {
  if (!agent) {
    const off = ctx.agents.disabled.find((item) => item.name === name);
    return { ok: false, reason: off ? off.message : `\`${name ?? "?"}\` is not an enabled agent` };
  }
  const natural: Mode = agent.provider === "copilot" ? "cli" : "api";
  const wanted = ctx.config.execution.mode === "auto" ? natural : ctx.config.execution.mode;
  if (wanted === "api" && natural === "cli") return { ok: false, reason: `\`${agent.name}\` works only through its CLI, and execution.mode is \`api\`` };
  return { ok: true, mode: wanted };
}

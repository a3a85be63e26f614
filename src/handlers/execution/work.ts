/**
 * API mode: the agent's tool loop runs in this run over a workspace read through the API (no
 * checkout), and Orkestra — never the agent — turns what it produced into writes once it passes
 * the safe-output check. A round ends in a pull request reviewed by the other agents, or in one
 * result comment; requested changes give the same agent another round, up to `maxRounds`.
 */
import type { Agent } from "../../agents/index.js";
import { acceptanceCriteria } from "../../domain/execution/acceptance.js";
import { checkChanges, type FileChange } from "../../domain/execution/safe-outputs.js";
import { safeOutputRules } from "../../config/execution.js";
import type { RunContext } from "../../runtime/context.js";
import { failAttempt } from "../assignment/attempts.js";
import { defaultBase } from "../assignment/claim.js";
import type { TaskMeta } from "../../domain/task/card.js";
import type { StoredTask } from "../task-store.js";
import { closeEffects, syncDependents } from "../issues.js";
import { workData, workInstructions } from "./prompt.js";
import { readTask, record, stillCurrent, type Execution } from "./record.js";
import { deliverChanges, postResult, reviewRound, type RoundEnd } from "./deliver.js";
import { finishSchema, workspaceTools } from "./tools.js";
import { Workspace } from "./workspace.js";

/** Tools that only read, for tasks that end in a comment. */
const READ_TOOLS = new Set(["list_files", "read_file", "search"]);

/**
 * Runs rounds until the work is delivered, fails, or waits for people. `feedback` is what the
 * reviewers or a person asked for (round 2 and later). Each step re-reads the card first, so a
 * `/stop` or a reassignment meanwhile ends the work before anything is written.
 */
export async function workInApiMode(ctx: RunContext, number: number, feedback: string | null, current?: StoredTask & { meta: TaskMeta }): Promise<void> {
  let findings = feedback;
  // The caller may hand over the task it just recorded; later rounds read it afresh.
  let known = current;
  for (;;) {
    const task = known ?? (await readTask(ctx, number));
    known = undefined;
    const execution = task?.meta.execution;
    if (!task || !execution || !stillCurrent(task.meta, execution)) return void ctx.report.notes.push(`#${number}: the work was stopped or reassigned; nothing more is done`);
    const agent = ctx.agents.agents.find((item) => item.name === execution.agent);
    if (!agent) return void (await failAttempt(ctx, task, `\`${execution.agent}\` is not enabled any more`));
    const end = await finishRound(ctx, number, execution, await runRound(ctx, agent, task.issue, execution, findings));
    if (end.next === "done") return;
    findings = end.findings;
  }
}

/**
 * What follows a round in either mode: the usage added up, the card re-read (a `/stop` meanwhile
 * means nothing is written), then a failed attempt, the result comment, or the pull request and
 * its review.
 */
export async function finishRound(ctx: RunContext, number: number, execution: Execution, outcome: RoundOutcome): Promise<RoundEnd> {
  const current = { ...execution, usage: addUsage(execution.usage, outcome.usage) };
  const task = await readTask(ctx, number);
  if (!task || !stillCurrent(task.meta, execution) || task.meta.execution?.round !== execution.round) {
    ctx.report.notes.push(`#${number}: the work was stopped while \`${execution.agent}\` worked; what it produced is not written`);
    return { next: "done" };
  }
  if (!outcome.ok) {
    await failAttempt(ctx, task, outcome.reason, { ...current, lastRefusal: outcome.refusal ?? current.lastRefusal });
    return { next: "done" };
  }
  if (execution.output === "comment") {
    const how = `\`${execution.agent}\` posted its result`;
    const comment = await postResult(ctx, number, current, outcome.summary);
    // The issue's state first: if recording fails, the closed issue still says the task is done.
    await ctx.apply(closeEffects(number, "done", how));
    await record(ctx, task, { status: "done", agent: null, execution: { ...current, comment }, how });
    // A close made with an Action's token starts no run, and the app ignores its own: dependents follow now.
    await syncDependents(ctx, number);
    return { next: "done" };
  }
  const refusal = checkOutput(ctx, outcome.changes, execution.agent);
  if (refusal) {
    await failAttempt(ctx, task, refusal.reason, { ...current, lastRefusal: refusal.refusal });
    return { next: "done" };
  }
  const delivered = await deliverChanges(ctx, task, current, { changes: outcome.changes, summary: outcome.summary, base: outcome.base });
  if (!delivered.ok) {
    await failAttempt(ctx, task, delivered.reason, current);
    return { next: "done" };
  }
  return reviewRound(ctx, number, delivered.execution, delivered.pull);
}

/** Safe outputs: nothing an agent produced is written unless it passes the check (null when it does). */
function checkOutput(ctx: RunContext, changes: readonly FileChange[], agent: string): { reason: string; refusal: string | null } | null {
  if (changes.length === 0) return { reason: `\`${agent}\` finished without changing any file`, refusal: null };
  const secrets = ctx.agents.agents.flatMap((item) => item.spec.keyEnv.map((name) => ctx.env[name] ?? "")).filter((value) => value.length >= 8);
  const check = checkChanges(changes, safeOutputRules(ctx.config.execution, secrets));
  // The summary says "Orkestra refused to write these changes …" already.
  return check.ok ? null : { reason: check.summary, refusal: check.summary };
}

/** What one round produced, whichever mode ran it; nothing of it is checked yet. */
export type RoundOutcome = {
  usage: { inputTokens: number; outputTokens: number; costUsd: number | null };
} & (
  | { ok: true; summary: string; changes: readonly FileChange[]; base: { sha: string; tree: string } }
  | { ok: false; reason: string; refusal?: string }
);

/** One tool loop over the workspace: the default branch's head, or the branch with the last round's work. */
async function runRound(ctx: RunContext, agent: Agent, issue: { number: number; title: string; body: string }, execution: Execution, feedback: string | null): Promise<RoundOutcome> {
  // Round 1 starts from the default branch (read once per run), later rounds from the last round's commit.
  const base = execution.round > 1 && execution.branch ? await commitBase(ctx, await ctx.github.branchSha(execution.branch)) : await defaultBase(ctx);
  const baseSha = base.sha;
  const workspace = await Workspace.open(ctx.github, baseSha);
  const brief = { repo: `${ctx.github.repo.owner}/${ctx.github.repo.repo}`, issue, criteria: acceptanceCriteria(issue.body), output: execution.output, round: execution.round, feedback };
  const tools = workspaceTools(workspace).filter((tool) => execution.output === "pull-request" || READ_TOOLS.has(tool.name));
  const { limits } = ctx.config.execution;
  const result = await agent.runToolLoop({
    task: execution.output === "pull-request" ? "implement" : "answer",
    instructions: workInstructions(brief),
    data: workData(brief),
    tools,
    ...(execution.output === "pull-request" ? { finish: finishSchema } : {}),
    limits: { maxTurns: limits.maxTurns, maxTokens: limits.maxTokens, maxCostUsd: limits.maxCostUsd },
  });
  const { usage: spent } = result.summary;
  const usage = { inputTokens: spent.inputTokens, outputTokens: spent.outputTokens, costUsd: spent.costUsd };
  ctx.report.notes.push(`#${issue.number}: \`${agent.name}\` worked ${result.summary.turns} turn(s), ${spent.inputTokens + spent.outputTokens} tokens ≈ $${spent.costUsd.toFixed(4)}: ${result.summary.stop}`);
  if (!result.ok) return { ok: false, usage, reason: `\`${agent.name}\` did not finish: ${result.error.message}` };
  const summary = [result.value.summary, "notes" in result.value && typeof result.value.notes === "string" ? `\n**Notes:** ${result.value.notes}` : ""].join("");
  return { ok: true, usage, summary, changes: execution.output === "comment" ? [] : workspace.changes(), base };
}

async function commitBase(ctx: RunContext, sha: string): Promise<{ sha: string; tree: string }> {
  return { sha, tree: (await ctx.github.commit(sha)).tree };
}

function addUsage(a: Execution["usage"], b: RoundOutcome["usage"]): Execution["usage"] {
  const costUsd = a.costUsd === null || b.costUsd === null ? null : a.costUsd + b.costUsd;
  return { inputTokens: a.inputTokens + b.inputTokens, outputTokens: a.outputTokens + b.outputTokens, costUsd };
}

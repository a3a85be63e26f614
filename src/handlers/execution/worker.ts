/**
 * CLI mode, Orkestra's side. The coordinator dispatches the worker workflow (`workflow_dispatch`,
 * which a job's GITHUB_TOKEN may start) with the task, the agent, the attempt and the round. The
 * worker job then runs in two parts, as GitHub's agentic workflows do: a read-only job where the
 * coding CLI edits a checkout (`prepareWorker` gives it its prompt), and a job with write
 * permissions where Orkestra checks what came out and writes it (`finishWorkerRound`).
 */
import { boundaryGenerator } from "../../agents/index.js";
import { acceptanceCriteria } from "../../domain/execution/acceptance.js";
import type { RunContext } from "../../runtime/context.js";
import { workerPrompt } from "./prompt.js";
import { readTask, stillCurrent, type Execution } from "./record.js";
import { finishRound, type RoundOutcome } from "./work.js";

/** What the worker workflow is dispatched with (all strings, as `workflow_dispatch` inputs are). */
export interface WorkerJob {
  issue: number;
  agent: string;
  attempt: number;
  round: number;
}

/** workflow_dispatch takes at most 65,535 characters of inputs in all; the findings get most of them. */
const FINDINGS_MAX = 50_000;

export async function dispatchWorker(ctx: RunContext, number: number, execution: Execution, findings: string | null = null): Promise<void> {
  const { workflow, ref } = ctx.config.execution.worker;
  const inputs: Record<string, string> = { issue: String(number), agent: execution.agent, attempt: String(execution.attempt), round: String(execution.round) };
  if (findings) inputs.findings = findings.slice(0, FINDINGS_MAX);
  const why = `\`${execution.agent}\` works on #${number} in the worker workflow (round ${execution.round})`;
  await ctx.apply([{ kind: "dispatch-workflow", issue: number, workflow, ref: ref ?? ctx.defaultBranch ?? "main", inputs, why }]);
}

/** Whether the job is still the task's current work: a later attempt or round, or a `/stop`, makes it stale. */
async function currentJob(ctx: RunContext, job: WorkerJob) {
  const task = await readTask(ctx, job.issue);
  const execution = task?.meta.execution;
  if (!task || !execution || !stillCurrent(task.meta, execution)) return null;
  if (execution.agent !== job.agent || execution.attempt !== job.attempt || execution.round !== job.round) return null;
  return { task, execution };
}

/** What the read-only job hands over: the CLI's changes against `baseSha`, or why it failed. */
export type WorkerOutcome = Exclude<RoundOutcome, { ok: true }> | (Omit<Extract<RoundOutcome, { ok: true }>, "base"> & { baseSha: string });

export type PreparedWorker = { ok: true; prompt: string; baseSha: string; branch: string | null } | { ok: false; reason: string };

/**
 * The read-only job's first step: the prompt for the CLI (the issue and any findings as data) and
 * the commit to check out — the default branch, or the branch with the last round's work.
 */
export async function prepareWorker(ctx: RunContext, job: WorkerJob, findings: string | null): Promise<PreparedWorker> {
  const current = await currentJob(ctx, job);
  if (!current) return { ok: false, reason: `#${job.issue}: this worker run is stale (the task moved on: stopped, reassigned, or a later round)` };
  const { task, execution } = current;
  const onBranch = execution.round > 1 && execution.branch !== null;
  const baseSha = await ctx.github.branchSha(onBranch ? execution.branch! : (ctx.defaultBranch ?? "main"));
  const brief = {
    repo: `${ctx.github.repo.owner}/${ctx.github.repo.repo}`,
    issue: task.issue,
    criteria: acceptanceCriteria(task.issue.body),
    output: execution.output,
    round: execution.round,
    feedback: findings,
  };
  return { ok: true, prompt: workerPrompt(job.agent, brief, boundaryGenerator()()), baseSha, branch: onBranch ? execution.branch : null };
}

/**
 * The write job: what the CLI produced goes through the same checks and steps as API mode. Another
 * round dispatches the worker again with the findings.
 */
export async function finishWorkerRound(ctx: RunContext, job: WorkerJob, outcome: WorkerOutcome): Promise<void> {
  const current = await currentJob(ctx, job);
  if (!current) return void ctx.report.notes.push(`#${job.issue}: a stale worker run's output was not written (the task moved on)`);
  const round: RoundOutcome = outcome.ok ? { ...outcome, base: { sha: outcome.baseSha, tree: (await ctx.github.commit(outcome.baseSha)).tree } } : outcome;
  const end = await finishRound(ctx, job.issue, current.execution, round);
  if (end.next === "again") await dispatchWorker(ctx, job.issue, { ...current.execution, round: current.execution.round + 1 }, end.findings);
}

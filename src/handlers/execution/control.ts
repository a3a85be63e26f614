/**
 * What people do to agents' work: `/stop` ends it and releases the task, `/revise` (or a change
 * request on the pull request) gives the same agent another round with what they asked for.
 */
import { isOrkestraBranch } from "../../domain/execution/branch.js";
import { readExecutionMarker } from "../../domain/execution/pull-body.js";
import type { PullDetails } from "../../github/port.js";
import type { RunContext } from "../../runtime/context.js";
import { nextRound } from "./deliver.js";
import { readTask, record } from "./record.js";
import { dispatchWorker } from "./worker.js";
import { workInApiMode } from "./work.js";

type ControlResult = { ok: true; reply?: string } | { ok: false; reason: string };

/** Ends the agent's work: the task is released (`pending`); a run still working writes nothing (it re-reads the card first). */
export async function stopWork(ctx: RunContext, number: number, actor: string): Promise<ControlResult> {
  const task = await readTask(ctx, number);
  if (!task) return { ok: false, reason: `#${number} is not a task` };
  const { meta } = task;
  if (!meta.execution || !meta.agent || (meta.status !== "in-progress" && meta.status !== "review")) {
    return { ok: false, reason: `no agent is working on this task (it is \`${meta.status}\`)` };
  }
  await record(ctx, task, { status: "pending", agent: null, how: `\`/stop\` by @${actor}: \`${meta.agent.name}\`'s work ended` }, actor);
  const pr = meta.execution.pr ? ` Its pull request #${meta.execution.pr} stays open for people to use or close.` : "";
  return { ok: true, reply: `Stopped \`${meta.agent.name}\`'s work; the task is \`pending\` again.${pr}` };
}

/** The task an agent's pull request is for: the issue its marker names, on Orkestra's branch for that issue. */
export function taskOfPull(pr: Pick<PullDetails, "body" | "headRef">): number | null {
  const marker = readExecutionMarker(pr.body);
  return marker && isOrkestraBranch(pr.headRef, marker.issue) ? marker.issue : null;
}

/**
 * Another round for the agent whose pull request is in review, with `findings` (a person's words,
 * untrusted: the agent gets them as data). Checked first, so a command can refuse before anything
 * is written; `run` does the round (after the last round the attempt fails instead).
 */
export async function reviseWork(
  ctx: RunContext,
  number: number,
  findings: string,
  how: string,
): Promise<{ ok: false; reason: string } | { ok: true; run: () => Promise<void> }> {
  const task = await readTask(ctx, number);
  if (!task) return { ok: false, reason: `#${number} is not a task` };
  const { meta } = task;
  const execution = meta.execution;
  const pr = execution?.pr;
  if (!execution || !pr || meta.agent?.name !== execution.agent || execution.output !== "pull-request") {
    return { ok: false, reason: "no agent's pull request is in review for this task" };
  }
  if (meta.status === "in-progress") return { ok: false, reason: `\`${execution.agent}\` is working on it now; ask again when its pull request is in review` };
  if (meta.status !== "review") return { ok: false, reason: `the task is \`${meta.status}\`` };
  const run = async () => {
    if (ctx.dryRun) return ctx.skippedInDryRun(`#${number}: give \`${execution.agent}\` round ${execution.round + 1} — ${how} (dry run: no agent is asked)`);
    const next = await nextRound(ctx, task, execution, { number: pr }, findings, how);
    if (next.next === "done") return;
    if (execution.mode === "cli") await dispatchWorker(ctx, number, { ...execution, round: execution.round + 1 }, next.findings);
    else await workInApiMode(ctx, number, next.findings);
  };
  return { ok: true, run };
}

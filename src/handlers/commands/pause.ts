import { defaultBase } from "../assignment/claim.js";
import { describePause, describeTaskPause, PAUSE_REF, pauseMessage, pauseRecord, rememberPause, type Pause } from "../pause.js";
import { applyTaskRequest, commandTask, NOT_A_TASK } from "./task-command.js";
import { refuse, type CommandContext, type CommandOutcome, type CommandSpec } from "./types.js";

/** `/pause here` (or `/pause task`) pauses the task it is written on; the rest of the line is why. */
export function pauseTarget(args: string): { here: boolean; why: string | null } {
  const [first = "", ...rest] = args.trim().split(/\s+/);
  const here = ["here", "task"].includes(first.toLowerCase());
  const why = (here ? rest.join(" ") : args.trim()).slice(0, 200);
  return { here, why: why || null };
}

export const pauseCommand: CommandSpec = {
  name: "pause",
  usage: "/pause [here] [why]",
  summary:
    "Pause Orkestra in this repository: events and sweeps change nothing and other commands are refused until `/resume`. `/pause here` on a task pauses only that task.",
  examples: ["/pause", "/pause release freeze until Monday", "/pause here"],
  permission: "maintain",
  scope: "issue-or-pull-request",
  async run(ctx, command) {
    const target = pauseTarget(command.args);
    return target.here ? pauseTask(ctx) : pauseRepository(ctx, target.why);
  },
};

async function pauseTask(ctx: CommandContext): Promise<CommandOutcome> {
  if (ctx.issue.isPullRequest) return refuse("`/pause here` works on task issues; `/pause` alone pauses the whole repository");
  const task = await commandTask(ctx);
  if (!task?.meta) return refuse(NOT_A_TASK);
  if (task.meta.paused) return { ok: true, effects: [], reply: `⏸️ Already paused: ${describeTaskPause(task.meta.paused)}.` };
  const paused = { by: ctx.author, at: ctx.clock.now().toISOString() };
  const outcome = await applyTaskRequest(ctx, task, { paused, how: "`/pause here`" });
  if (!outcome.ok) return outcome;
  const reply = "⏸️ This task is paused: events, the sweep and commands on it change nothing (no agent takes it, nothing is released or retried) until a maintainer comments `/resume here` on it.";
  return { ...outcome, reply };
}

/**
 * The pause is a ref only one run can create (`create-ref` is GitHub's compare-and-set), pointing
 * at a commit on the default branch's head (it changes no file) whose message says who, when and why.
 */
async function pauseRepository(ctx: CommandContext, why: string | null): Promise<CommandOutcome> {
  const current = await pauseRecord(ctx.github, ctx.report);
  if (current) return { ok: true, effects: [], reply: `⏸️ Already paused: ${describePause(current.pause)}. \`/resume\` resumes it.` };
  const pause: Pause = { by: ctx.author, at: ctx.clock.now().toISOString(), why };
  const base = await defaultBase(ctx);
  const reason = `paused by @${ctx.author}`;
  const commit = await ctx.perform({ kind: "create-commit", message: pauseMessage(pause), tree: base.tree, parents: [base.sha], why: reason });
  // In a dry run nothing was made: the ref is described at the branch's head.
  const sha = commit ?? base.sha;
  const won = await ctx.perform({ kind: "create-ref", ref: PAUSE_REF, sha, why: reason });
  if (won === false) {
    // Another run paused first; its record stands (this commit is left unreferenced).
    const theirs = await ctx.github.refSha(PAUSE_REF);
    const their = theirs ? await ctx.github.commit(theirs) : null;
    return { ok: true, effects: [], reply: `⏸️ Already paused${their ? ` (${their.message.split("\n")[0]})` : ""}. \`/resume\` resumes it.` };
  }
  rememberPause(ctx.report, { pause, sha });
  const reply = [
    `⏸️ ${describePause(pause)}.`,
    "Events and sweeps change nothing and every command but `/resume`, `/pause` and `/help` is refused until a maintainer comments `/resume` on any issue or pull request; the first sweep after that brings every task changed meanwhile in line.",
  ].join(" ");
  return { ok: true, effects: [], reply };
}

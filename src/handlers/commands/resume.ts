import { formatTime } from "../../domain/markdown.js";
import { escapeInline } from "../../domain/untrusted-text.js";
import { describePause, PAUSE_REF, pauseRecord, rememberPause, resumedRef } from "../pause.js";
import { pauseTarget } from "./pause.js";
import { applyTaskRequest, commandTask, NOT_A_TASK } from "./task-command.js";
import { refuse, type CommandContext, type CommandOutcome, type CommandSpec } from "./types.js";

export const resumeCommand: CommandSpec = {
  name: "resume",
  usage: "/resume [here]",
  summary: "Undo `/pause`: Orkestra acts on events and sweeps again. `/resume here` on a paused task resumes only that task.",
  examples: ["/resume", "/resume here"],
  permission: "maintain",
  scope: "issue-or-pull-request",
  async run(ctx, command) {
    return pauseTarget(command.args).here ? resumeTask(ctx) : resumeRepository(ctx);
  },
};

/** Resuming syncs the task: whatever changed on it while it was paused is brought in line now. */
async function resumeTask(ctx: CommandContext): Promise<CommandOutcome> {
  if (ctx.issue.isPullRequest) return refuse("`/resume here` works on task issues; `/resume` alone resumes the whole repository");
  const task = await commandTask(ctx);
  if (!task?.meta) return refuse(NOT_A_TASK);
  const paused = task.meta.paused;
  if (!paused) return { ok: true, effects: [], reply: "▶️ This task is not paused; nothing to resume." };
  const outcome = await applyTaskRequest(ctx, task, { paused: null, how: "`/resume here`" });
  if (!outcome.ok) return outcome;
  const since = `paused by @${escapeInline(paused.by)} since ${formatTime(paused.at)}`;
  return { ...outcome, reply: `▶️ Resumed (it was ${since}): the task follows events and the sweep again, and is in line with its issue now.` };
}

/**
 * Deletes the pause ref, first leaving `refs/orkestra/resumed/<ms of the pause's start>` at the
 * same commit: the next sweep re-checks every issue changed since the pause began (not only since
 * its last run), then deletes the marker.
 */
async function resumeRepository(ctx: CommandContext): Promise<CommandOutcome> {
  const current = await pauseRecord(ctx.github, ctx.report);
  if (!current) return { ok: true, effects: [], reply: "▶️ Orkestra is not paused in this repository; nothing to resume." };
  const why = `resumed by @${ctx.author}`;
  return {
    ok: true,
    effects: [
      { kind: "create-ref", ref: resumedRef(current.pause), sha: current.sha, why: `${why}; the next sweep re-checks what changed during the pause` },
      { kind: "delete-ref", ref: PAUSE_REF, why },
    ],
    // The commands after this one in the same comment see Orkestra resumed once it is written.
    afterwards: async () => rememberPause(ctx.report, null),
    reply: `▶️ Resumed (${describePause(current.pause).replace(/^Orkestra is paused in this repository /, "it was paused ")}). Events act again; the next event on an issue or the next sweep brings what changed meanwhile in line.`,
  };
}

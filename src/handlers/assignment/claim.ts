import { lockRef } from "../../domain/assignment/lock.js";
import { leaseExpiry } from "../../domain/assignment/lease.js";
import type { RunContext } from "../context.js";
import { loadTask } from "../task-store.js";
import { syncTask } from "../task-sync.js";

export type ClaimResult = { ok: true } | { ok: false; reason: string };

const branchShas = new WeakMap<RunContext, Promise<string>>();

/**
 * Claims a task for an agent. The lock is a git ref whose creation GitHub allows once: every
 * claimer tries to create `refs/orkestra/locks/<issue>`, exactly one gets 201 and all others
 * 422. A loser has written nothing and just reports. The winner re-reads the task (it may have
 * changed while it decided) and only then sets the labels and the card; if the task is no
 * longer free it gives the lock back. See docs/locks.md.
 */
export async function claimTask(
  ctx: RunContext,
  number: number,
  holder: { name: string; why: string },
  request: { actor: string; how: string },
): Promise<ClaimResult> {
  if (ctx.dryRun) {
    ctx.report.actions.push(`#${number}: assign \`${holder.name}\` — ${holder.why} (dry run: not claimed)`);
    return { ok: true };
  }
  const won = await ctx.github.createRef(lockRef(number), await defaultBranchSha(ctx));
  if (!won) return { ok: false, reason: "another run claimed this task first" };
  const issue = await ctx.github.getIssue(number);
  const task = issue ? await loadTask(ctx, issue) : null;
  const free = task?.meta && issue?.state === "open" && !task.meta.agent && ["pending", "assigned"].includes(task.meta.status);
  if (!task || !free) {
    await ctx.github.deleteRef(lockRef(number));
    return { ok: false, reason: `the task changed meanwhile (now \`${task?.meta?.status ?? "gone"}\`)` };
  }
  const leaseUntil = leaseExpiry(ctx.clock.now().toISOString(), ctx.config.assignment.leaseMinutes).toISOString();
  const result = await syncTask(ctx, task, {
    actor: request.actor,
    request: { status: "assigned", agent: { ...holder, leaseUntil }, how: request.how },
  });
  await ctx.apply(result.effects);
  return { ok: true };
}

function defaultBranchSha(ctx: RunContext): Promise<string> {
  let sha = branchShas.get(ctx);
  if (!sha) {
    sha = ctx.github.branchSha(ctx.defaultBranch ?? "main");
    branchShas.set(ctx, sha);
  }
  return sha;
}

import { lockRef } from "../../domain/assignment/lock.js";
import { leaseExpiry } from "../../domain/assignment/lease.js";
import type { RunContext } from "../../runtime/context.js";
import type { TaskMeta } from "../../domain/task/card.js";
import { loadTask, type StoredTask } from "../task-store.js";
import { syncTask, taskAfter } from "../task-sync.js";

/** `task`: the task as the claim left it (the caller's next step need not read it again); absent in a dry run. */
export type ClaimResult = { ok: true; task?: StoredTask & { meta: TaskMeta } } | { ok: false; reason: string };

const bases = new WeakMap<RunContext, Promise<{ sha: string; tree: string }>>();

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
    ctx.skippedInDryRun(`#${number}: assign \`${holder.name}\` — ${holder.why} (dry run: not claimed)`);
    return { ok: true };
  }
  const sha = await lockCommit(ctx, number, holder.name);
  const won = await ctx.perform({ kind: "create-ref", issue: number, ref: lockRef(number), sha, why: `claim for ${holder.name}` });
  if (!won) return { ok: false, reason: "another run claimed this task first" };
  const issue = await ctx.github.getIssue(number);
  const task = issue ? await loadTask(ctx, issue) : null;
  const free = task?.meta && issue?.state === "open" && !task.meta.agent && ["pending", "assigned"].includes(task.meta.status);
  if (!task || !free) {
    await ctx.perform({ kind: "delete-ref", issue: number, ref: lockRef(number), why: "the task changed before the claim was confirmed" });
    return { ok: false, reason: `the task changed meanwhile (now \`${task?.meta?.status ?? "gone"}\`)` };
  }
  const leaseUntil = leaseExpiry(ctx.clock.now().toISOString(), ctx.config.assignment.leaseMinutes).toISOString();
  const result = await syncTask(ctx, task, {
    actor: request.actor,
    request: { status: "assigned", agent: { ...holder, leaseUntil }, how: request.how },
  });
  if (result.meta.agent?.name !== holder.name) {
    // Syncing found the task not ready after all (a dependency opened meanwhile).
    await ctx.perform({ kind: "delete-ref", issue: number, ref: lockRef(number), why: `the task is ${result.meta.status} now` });
    return { ok: false, reason: `the task is \`${result.meta.status}\` now` };
  }
  await ctx.apply(result.effects);
  return { ok: true, task: taskAfter(task, result.effects, result.meta) };
}

/**
 * The default branch's head and its tree, read once per run: lock commits sit on it, and an
 * agent's first round starts from it.
 */
export function defaultBase(ctx: RunContext): Promise<{ sha: string; tree: string }> {
  let base = bases.get(ctx);
  if (!base) {
    base = ctx.github.branchSha(ctx.defaultBranch ?? "main").then(async (sha) => ({ sha, tree: (await ctx.github.commit(sha)).tree }));
    bases.set(ctx, base);
  }
  return base;
}

/**
 * The commit a lock points at: made at claim time (so its date says when the lock was taken,
 * which tells a claim in progress from an orphan) on top of the default branch's head.
 */
async function lockCommit(ctx: RunContext, number: number, agent: string): Promise<string> {
  const { sha, tree } = await defaultBase(ctx);
  const commit = await ctx.perform({ kind: "create-commit", issue: number, message: `orkestra lock #${number} for ${agent}`, tree, parents: [sha], why: `claim for ${agent}` });
  // perform returns null only in a dry run, which never claims.
  return commit!;
}

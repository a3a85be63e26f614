import { LOCK_PREFIX, lockRef } from "../../domain/assignment/lock.js";
import { agentPool, poolState, totalPool, type SlotPool } from "../../domain/assignment/slots.js";
import { leaseExpiry } from "../../domain/assignment/lease.js";
import type { RunContext } from "../../runtime/context.js";
import type { TaskMeta } from "../../domain/task/card.js";
import { loadTask, type StoredTask } from "../task-store.js";
import { syncTask, taskAfter } from "../task-sync.js";

/** `task`: the task as the claim left it (the caller's next step need not read it again); absent in a dry run. */
export type ClaimResult = { ok: true; task?: StoredTask & { meta: TaskMeta } } | { ok: false; reason: string };

const bases = new WeakMap<RunContext, Promise<{ sha: string; tree: string }>>();

/** Listings of the lock refs a claim makes before it gives up on places other claimers keep taking. */
const PLACE_ATTEMPTS = 3;

/**
 * Claims a task for an agent. The lock is a git ref whose creation GitHub allows once: every
 * claimer tries to create `refs/orkestra/locks/<issue>`, exactly one gets 201 and all others
 * 422. A loser has written nothing and just reports. The winner then takes a place under the
 * agent's limit and the overall one (slots.ts), re-reads the task (it may have changed while it
 * decided) and only then sets the labels and the card; if there is no place, or the task is no
 * longer free, it gives the lock back (which frees its places too). See docs/locks.md.
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
  const places = await takePlaces(ctx, number, holder.name, sha);
  if (!places.ok) {
    await ctx.perform({ kind: "delete-ref", issue: number, ref: lockRef(number), why: "no place under the limits" });
    return places;
  }
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
 * Takes a place for the claim whose lock commit is `sha` in the agent's pool and the overall one.
 * Each place is a ref only one claimer can create; losing one to a concurrent claimer means
 * reading the pools again, as the next free place may be another.
 */
async function takePlaces(ctx: RunContext, number: number, agent: string, sha: string): Promise<{ ok: true } | { ok: false; reason: string }> {
  const { maxPerAgent, maxInProgress } = ctx.config.assignment;
  const pools: Array<{ pool: SlotPool; full: string }> = [
    { pool: agentPool(agent, maxPerAgent), full: `\`${agent}\` is at its limit (assignment.maxPerAgent: ${maxPerAgent})` },
    { pool: totalPool(maxInProgress), full: `${maxInProgress} tasks are held already, the limit (assignment.maxInProgress: ${maxInProgress})` },
  ];
  for (let attempt = 0; attempt < PLACE_ATTEMPTS; attempt++) {
    const refs = await ctx.github.matchingRefs(LOCK_PREFIX);
    let lost = false;
    for (const { pool, full } of pools) {
      const state = poolState(refs, pool, sha);
      if (state.mine) continue;
      if (!state.next) return { ok: false, reason: full };
      lost = !(await ctx.perform({ kind: "create-ref", issue: number, ref: state.next, sha, why: `place for #${number} under the limits` }));
      if (lost) break;
    }
    if (!lost) return { ok: true };
  }
  return { ok: false, reason: "other runs kept taking the free places under the limits; the next sweep tries again" };
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

/**
 * Limits as git-ref semaphores. A task's lock (lock.ts) makes one claimer win one task; it cannot
 * stop two claimers from winning two tasks for the same agent. So a claim also takes a place in
 * each pool that limits it — one place per agent up to `assignment.maxPerAgent`, one for all agents
 * up to `assignment.maxInProgress` — and a place, like a lock, is a ref that only one claimer can
 * create.
 *
 * A place is `refs/orkestra/locks/agent/<name>/<k>-<generation>` (or `…/locks/all/<k>-<generation>`)
 * and points at the claim's lock commit: it is taken while a task lock points at the same commit,
 * and free once that lock is gone (released, stale, orphaned) — so releasing a task needs no
 * write here. Refs cannot be compared-and-deleted on GitHub, so a free place is never deleted and
 * re-created (two claimers could both do that): it is taken by creating its next generation,
 * which again only one claimer can do. Older generations are garbage anyone may delete. See
 * docs/locks.md.
 */
import { LOCK_PREFIX, lockedIssue } from "./lock.js";

interface RefEntry {
  ref: string;
  sha: string;
}

export interface SlotPool {
  /** Ref prefix of the pool's places, ending in `/`. */
  prefix: string;
  limit: number;
}

interface PoolState {
  /** Places taken by live claims (any place number, so lowering a limit is respected). */
  held: number;
  /** Whether a place already points at this claim's commit (a retry after a lost answer). */
  mine: boolean;
  /** The ref to create to take a free place, or null when the pool is full. */
  next: string | null;
}

const PLACE = /^([1-9]\d{0,3})-([1-9]\d{0,9})$/;

export function agentPool(agent: string, limit: number): SlotPool {
  return { prefix: `${LOCK_PREFIX}agent/${agent}/`, limit };
}

export function totalPool(limit: number): SlotPool {
  return { prefix: `${LOCK_PREFIX}all/`, limit };
}

/** The newest generation of each place of a pool, from one listing of the lock refs. */
function latestPlaces(refs: readonly RefEntry[], prefix: string): Map<number, { generation: number; sha: string }> {
  const latest = new Map<number, { generation: number; sha: string }>();
  for (const { ref, sha } of refs) {
    const match = ref.startsWith(prefix) ? PLACE.exec(ref.slice(prefix.length)) : null;
    if (!match) continue;
    const place = Number(match[1]);
    const generation = Number(match[2]);
    if ((latest.get(place)?.generation ?? 0) < generation) latest.set(place, { generation, sha });
  }
  return latest;
}

/** Commits that task locks point at: a place pointing at one of them is taken. */
function liveClaims(refs: readonly RefEntry[]): Set<string> {
  return new Set(refs.filter((entry) => lockedIssue(entry.ref) !== null).map((entry) => entry.sha));
}

/**
 * How a pool stands in one listing of the lock refs, for the claim whose lock commit is `sha`.
 * The listing must be read after the claim's own lock was created: a place is created after its
 * lock, so a place seen in the listing has its lock in the same listing unless it was released.
 */
export function poolState(refs: readonly RefEntry[], pool: SlotPool, sha: string): PoolState {
  const live = liveClaims(refs);
  const places = latestPlaces(refs, pool.prefix);
  const taken = [...places.values()].filter((place) => live.has(place.sha));
  const mine = taken.some((place) => place.sha === sha);
  if (mine || taken.length >= pool.limit) return { held: taken.length, mine, next: null };
  for (let place = 1; place <= pool.limit; place++) {
    const current = places.get(place);
    if (!current || !live.has(current.sha)) return { held: taken.length, mine, next: `${pool.prefix}${place}-${(current?.generation ?? 0) + 1}` };
  }
  return { held: taken.length, mine, next: null };
}

/** Place refs of older generations: no claim can take or hold them any more, so they may be deleted. */
export function supersededPlaces(refs: readonly RefEntry[]): string[] {
  const newest = new Map<string, number>();
  const parsed = refs.flatMap(({ ref }) => {
    const slash = ref.lastIndexOf("/");
    const match = ref.startsWith(LOCK_PREFIX) ? PLACE.exec(ref.slice(slash + 1)) : null;
    if (!match) return [];
    const key = `${ref.slice(0, slash)}/${match[1]}`;
    const generation = Number(match[2]);
    newest.set(key, Math.max(newest.get(key) ?? 0, generation));
    return [{ ref, key, generation }];
  });
  return parsed.filter((entry) => entry.generation < newest.get(entry.key)!).map((entry) => entry.ref);
}

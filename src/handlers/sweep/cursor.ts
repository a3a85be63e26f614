import type { RunContext } from "../../runtime/context.js";

/** Orkestra's refs (`refs/orkestra/…`): locks, places, the day's spending and the sweep's cursor, one listing for all. */
export const ORKESTRA_REFS = "orkestra/";
const CURSOR_PREFIX = "orkestra/sweep/page-";

/**
 * Where a sweep cut short by its request budget asked the next one to start: the page is the
 * ref's name, so the listing of Orkestra's refs the sweep makes anyway reads it at no cost. Two
 * sweeps that stopped at once leave two; the lower page wins (it reads more, never less).
 */
export function savedCursor(refs: readonly { ref: string }[]): { page: number; refs: string[] } {
  const saved = refs.filter(({ ref }) => ref.startsWith(CURSOR_PREFIX)).map(({ ref }) => ref);
  const pages = saved.map((ref) => Number(ref.slice(CURSOR_PREFIX.length))).filter((page) => Number.isInteger(page) && page >= 1);
  return { page: pages.length > 0 ? Math.min(...pages) : 1, refs: saved };
}

/**
 * Leaves exactly one cursor at `nextPage`, or none once a pass read every page (or when the
 * next starts at page 1 anyway). A ref needs a commit to point at: `sha` when the caller knows
 * one (a lock's), else the default branch's head.
 */
export async function saveCursor(ctx: RunContext, saved: readonly string[], nextPage: number | null, sha: string | undefined): Promise<void> {
  const target = nextPage === null || nextPage === 1 ? null : `${CURSOR_PREFIX}${nextPage}`;
  const why = nextPage === null ? "the sweep read every open task" : `the next sweep starts at page ${nextPage} of the open tasks`;
  if (target && !saved.includes(target)) {
    const commit = sha ?? (await ctx.github.branchSha(ctx.defaultBranch ?? "main"));
    await ctx.apply([{ kind: "create-ref", ref: target, sha: commit, why }]);
  }
  await ctx.apply(saved.filter((ref) => ref !== target).map((ref) => ({ kind: "delete-ref" as const, ref, why })));
}

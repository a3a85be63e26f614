import { decodeBatch, matchesQuery, type LedgerEntry, type LedgerQuery } from "../../domain/ledger/entry.js";
import type { GitHubPort } from "../../github/port.js";
import { LEDGER_REF, STATE_PREFIX } from "../../runtime/state-refs.js";

interface LedgerRead {
  /** Matching entries, newest first. */
  entries: LedgerEntry[];
  /** Lines that were not valid entries (a damaged or foreign commit), skipped. */
  invalid: number;
  /** Pages of 100 commits read. */
  pages: number;
}

/**
 * Queries the decision ledger (docs/ledger.md): the history of `refs/orkestra/state/ledger`,
 * read 100 batches a page, newest first. A time window narrows the listing GitHub returns (by the
 * batches' commit dates, a little wider than the entries' own times); `limit` stops reading once
 * enough entries matched.
 */
export async function readLedger(
  github: Pick<GitHubPort, "matchingRefs" | "commitPages">,
  query: LedgerQuery,
  options: { limit?: number; onPage?: (pagesRead: number) => void } = {},
): Promise<LedgerRead> {
  const head = (await github.matchingRefs(STATE_PREFIX)).find(({ ref }) => ref === LEDGER_REF)?.sha;
  const read: LedgerRead = { entries: [], invalid: 0, pages: 0 };
  if (!head) return read;
  // A batch is committed when its run ends: up to a run's length after its entries.
  const window = { ...(query.since ? { since: query.since } : {}), ...(query.until ? { until: hoursAfter(query.until, 7) } : {}) };
  const limit = options.limit ?? Infinity;
  for await (const page of github.commitPages(head, window)) {
    read.pages += 1;
    options.onPage?.(read.pages);
    for (const commit of page) {
      const batch = decodeBatch(commit.message);
      read.invalid += batch.invalid;
      read.entries.push(...batch.entries.filter((entry) => matchesQuery(entry, query)).reverse());
    }
    if (read.entries.length >= limit) break;
  }
  read.entries.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  if (read.entries.length > limit) read.entries.length = limit;
  return read;
}

function hoursAfter(iso: string, hours: number): string {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? new Date(ms + hours * 3_600_000).toISOString() : iso;
}

import { z } from "zod";

/**
 * The permanent decision ledger (docs/ledger.md): what Orkestra did and decided, append-only,
 * kept in GitHub as a chain of commits under `refs/orkestra/state/ledger`, each commit's message
 * one batch of entries (a run's) as JSON lines. This module is the format, with no I/O.
 */
export const LEDGER_KINDS = [
  /** A change of a task's state on its card (status, holder, retries, escalation): the card's decision. */
  "decision",
  /** A write Orkestra made (labels, comments, reviews, refs, pull requests …), with why. */
  "write",
  /** A call to an agent: who, which model, tokens, cost, and whether it answered. */
  "agent-call",
  /** A command or request Orkestra refused, and why. */
  "refusal",
] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

export const ledgerEntrySchema = z.object({
  /** ISO time it happened. */
  at: z.string(),
  /** The run that recorded it: `actions:<run id>`, `app:<delivery id>`, `cli`. */
  run: z.string(),
  /** Who or what caused it: a person's login, `orkestra` (the sweep, a timer), an agent's name. */
  by: z.string(),
  kind: z.enum(LEDGER_KINDS),
  /** The issue or pull request it is about; absent for repository-wide entries. */
  issue: z.number().int().positive().optional(),
  agent: z.string().optional(),
  model: z.string().optional(),
  tokens: z.number().int().min(0).optional(),
  costUsd: z.number().min(0).optional(),
  what: z.string(),
  why: z.string(),
});
export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;

/** The first line of every ledger commit: how a batch is recognised. */
const SUBJECT = "orkestra ledger";
/**
 * Largest commit message Orkestra writes (bytes): GitHub has no documented limit on a commit's
 * message, but its commit listings are read 100 at a time, so a batch stays well below a megabyte.
 */
const MAX_BATCH_BYTES = 60_000;
/** Longest `what` / `why` kept: a ledger line is a record, not the text itself. */
const MAX_TEXT = 1_000;
const UTF8 = new TextEncoder();

/** Clips free text so one entry can never outgrow a batch. */
function ledgerEntry(entry: LedgerEntry): LedgerEntry {
  const clip = (text: string) => (text.length <= MAX_TEXT ? text : `${text.slice(0, MAX_TEXT - 1)}…`);
  return { ...entry, what: clip(entry.what), why: clip(entry.why) };
}

/** Commit messages for `entries`, in order, each at most MAX_BATCH_BYTES. */
export function encodeBatches(entries: readonly LedgerEntry[]): string[] {
  const messages: string[] = [];
  let lines: string[] = [];
  let size = 0;
  const flush = () => {
    if (lines.length === 0) return;
    messages.push(`${SUBJECT}: ${lines.length} entr${lines.length === 1 ? "y" : "ies"}\n\n${lines.join("\n")}\n`);
    lines = [];
    size = 0;
  };
  for (const entry of entries) {
    const line = JSON.stringify(ledgerEntry(entry));
    const bytes = UTF8.encode(line).length + 1;
    if (size + bytes > MAX_BATCH_BYTES - 100) flush();
    lines.push(line);
    size += bytes;
  }
  flush();
  return messages;
}

/** The entries of one commit message; lines that are not valid entries are skipped (and counted). */
export function decodeBatch(message: string): { entries: LedgerEntry[]; invalid: number } {
  if (!message.startsWith(SUBJECT)) return { entries: [], invalid: 0 };
  const entries: LedgerEntry[] = [];
  let invalid = 0;
  for (const line of message.slice(message.indexOf("\n\n") + 2).split("\n")) {
    if (line.trim() === "") continue;
    try {
      const parsed = ledgerEntrySchema.safeParse(JSON.parse(line));
      if (parsed.success) entries.push(parsed.data);
      else invalid += 1;
    } catch {
      invalid += 1;
    }
  }
  return { entries, invalid };
}

/** What `orkestra audit` filters by. */
export interface LedgerQuery {
  issue?: number;
  agent?: string;
  kind?: LedgerKind;
  /** ISO bounds, inclusive. */
  since?: string;
  until?: string;
}

export function matchesQuery(entry: LedgerEntry, query: LedgerQuery): boolean {
  if (query.issue !== undefined && entry.issue !== query.issue) return false;
  if (query.agent !== undefined && entry.agent?.toLowerCase() !== query.agent.toLowerCase()) return false;
  if (query.kind !== undefined && entry.kind !== query.kind) return false;
  if (query.since !== undefined && entry.at < query.since) return false;
  if (query.until !== undefined && entry.at > query.until) return false;
  return true;
}

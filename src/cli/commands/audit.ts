/** `orkestra audit`: the permanent decision ledger (docs/ledger.md), filtered, newest first. */
import type { Command } from "commander";
import { LEDGER_KINDS, type LedgerQuery } from "../../domain/ledger/entry.js";
import { readLedger } from "../../handlers/ledger/read.js";
import { UsageError } from "../connect.js";
import { progress, usd } from "../output.js";
import { choice, isoTime, positiveInt, withRepoOptions, type CommandDeps, type CommonFlags } from "../program.js";

interface AuditFlags extends CommonFlags {
  issue?: number;
  agent?: string;
  kind?: LedgerQuery["kind"];
  since?: string;
  until?: string;
  limit?: number;
}

/** Entries shown when no --limit is given (the ledger is permanent, so it only grows). */
const DEFAULT_LIMIT = 50;

export function registerAudit(program: Command, deps: CommandDeps): void {
  withRepoOptions(
    program
      .command("audit")
      .description("what Orkestra did and decided, from its permanent ledger, newest first")
      .option("--issue <n>", "only entries about this issue or pull request", positiveInt)
      .option("--agent <name>", "only entries of this agent")
      .addOption(choice("--kind <kind>", "only entries of this kind", LEDGER_KINDS))
      .option("--since <iso>", "only entries at or after this time", isoTime)
      .option("--until <iso>", "only entries at or before this time", isoTime)
      .option("--limit <n>", `at most this many entries (default ${DEFAULT_LIMIT})`, positiveInt),
  ).action(async (flags: AuditFlags) => {
    if (flags.since && flags.until && flags.since > flags.until) throw new UsageError("--since is after --until");
    const out = deps.output(flags);
    const connection = await deps.connect(flags);
    const query: LedgerQuery = {
      ...(flags.issue !== undefined ? { issue: flags.issue } : {}),
      ...(flags.agent ? { agent: flags.agent } : {}),
      ...(flags.kind ? { kind: flags.kind } : {}),
      ...(flags.since ? { since: flags.since } : {}),
      ...(flags.until ? { until: flags.until } : {}),
    };
    const shown = progress(deps.io, "reading the ledger");
    let read;
    try {
      read = await readLedger(connection.github, query, { limit: flags.limit ?? DEFAULT_LIMIT, onPage: (pages) => shown.page(pages) });
    } finally {
      shown.done();
    }
    const entries = [...read.entries].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
    const { owner, repo } = connection.repo;
    out.document({ repo: `${owner}/${repo}`, entries, invalid: read.invalid, pages: read.pages });
    out.heading(`Ledger of ${owner}/${repo}, newest first`);
    out.table(
      [{ title: "AT" }, { title: "KIND" }, { title: "#", align: "right" }, { title: "BY", max: 20 }, { title: "WHAT", max: 60 }, { title: "WHY", max: 50 }],
      entries.map((entry) => [
        entry.at.replace(/\.\d{3}Z$/, "Z"),
        entry.kind,
        entry.issue !== undefined ? `#${entry.issue}` : null,
        entry.agent && entry.agent !== entry.by ? `${entry.by} (${entry.agent})` : entry.by,
        entry.costUsd !== undefined ? `${entry.what} [${usd(entry.costUsd)}]` : entry.what,
        entry.why,
      ]),
      "no matching entries",
    );
    if (read.invalid > 0) out.warn(`${read.invalid} ledger line${read.invalid === 1 ? "" : "s"} could not be read and were skipped`);
  });
}

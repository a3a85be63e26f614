import { encodeBatches, type LedgerEntry } from "../domain/ledger/entry.js";
import { parseCard } from "../domain/task/card.js";
import { GitHubError } from "../github/port.js";
import { applyEffect } from "./apply.js";
import type { RunReport, Services } from "./context.js";
import { describeWhat, type Effect } from "./effects.js";
import { LEDGER_REF, rememberStateRef, stateRefs } from "./state-refs.js";

/**
 * The run's side of the decision ledger (docs/ledger.md). Entries gather in memory as the run
 * writes — each write the applier makes, each decision a task card gains, the agents' calls — and
 * `flush` appends them at the end of the run as one batch: a commit on the empty tree whose parent
 * is the ledger's head (known from the state refs the run read anyway) and a fast-forward of
 * `refs/orkestra/state/ledger` — two requests per run, however many entries. When another run
 * appended first the move is refused (not a fast-forward): the batch is re-made on the new head,
 * so concurrent runs and replicas never lose each other's entries.
 */

/** Git's empty tree, which every repository knows: ledger commits change no file, so no workflow either. */
const EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
/** Appends tried before the run gives up: each loser of a race re-reads the head and waits a little (jittered). */
const ATTEMPTS = 10;
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type Entry = Omit<LedgerEntry, "run" | "at" | "by"> & { at?: string; by?: string };

export class LedgerWriter {
  private readonly entries: LedgerEntry[] = [];
  /** A ref that follows the ledger's head (the dashboard's version), and where it is now (null: not yet). */
  private follower: { ref: string; sha: string | null } | null = null;
  /** Card decisions already taken, by issue, time and what. */
  private readonly decisions = new Set<string>();
  private readonly startedAt: string;

  constructor(
    private readonly services: Services,
    private readonly report: RunReport,
  ) {
    this.startedAt = services.clock.now().toISOString();
  }

  /** Entries waiting for `flush`. */
  get pending(): number {
    return this.entries.length;
  }

  add(entry: Entry): void {
    const { at, by, ...rest } = entry;
    this.entries.push({ at: at ?? this.services.clock.now().toISOString(), run: this.runName(), by: by ?? this.services.actor ?? "orkestra", ...rest });
  }

  /**
   * At the end of the run, `ref` (now at `sha`) moves to the ledger's head too: in the same request
   * as the append when there is one (GraphQL `updateRefs`, all or none), else on its own.
   */
  follow(ref: string, sha: string | null): void {
    this.follower = { ref, sha };
  }

  /** What the applier wrote (or, in a dry run, described): one entry, and the decisions a task card gained. */
  wrote(effect: Effect): void {
    if (bookkeeping(effect)) return;
    this.add({ kind: "write", ...(effect.issue === undefined ? {} : { issue: effect.issue }), what: `${effect.kind}: ${describeWhat(effect)}`, why: effect.why });
    if (effect.kind === "create-comment" || effect.kind === "update-comment") this.cardDecisions(effect.issue, effect.body);
  }

  /** A card's history entries made during this run (older ones were recorded by the runs that made them). */
  private cardDecisions(issue: number, body: string): void {
    const meta = parseCard(body);
    if (!meta) return;
    for (const decision of meta.history) {
      const key = `${issue}|${decision.at}|${decision.what}`;
      if (decision.at < this.startedAt || this.decisions.has(key)) continue;
      this.decisions.add(key);
      this.add({ kind: "decision", issue, at: decision.at, by: decision.by, ...(meta.agent ? { agent: meta.agent.name } : {}), what: decision.what, why: decision.why });
    }
  }

  /**
   * Appends what the run recorded; a no-op when it recorded nothing and in a dry run. A failure is
   * reported (the run's writes stand; the ledger misses this batch) and never thrown.
   */
  async flush(): Promise<void> {
    if (this.services.dryRun) return;
    if (this.entries.length === 0) return this.catchUp();
    const messages = encodeBatches(this.entries);
    try {
      let head = (await stateRefs(this.services.github, this.report)).ledger;
      let atomic = this.follower !== null && this.services.repoNodeId !== undefined;
      for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
        let tip = head;
        for (const message of messages) tip = await this.write({ kind: "create-commit", message, tree: EMPTY_TREE, parents: tip ? [tip] : [], why: "the decision ledger" });
        const why = `${this.entries.length} ledger entries`;
        let moved = atomic ? await this.moveBoth(head, tip!, why) : await this.moveLedger(head, tip!, why);
        if (moved === "not-atomic") {
          // Refused for another reason than a race (the ledger is where it was): the two moves one by one.
          atomic = false;
          moved = await this.moveLedger(head, tip!, why);
        }
        if (moved) {
          if (!atomic) await this.catchUp(tip!);
          this.follower = null;
          rememberStateRef(this.report, "ledger", tip);
          this.report.ledger = { appended: this.entries.length, head: tip! };
          this.entries.length = 0;
          return;
        }
        // Another run appended first: make the batch again on top of what it wrote.
        await pause(Math.min(2_000, 50 * 2 ** attempt) * Math.random());
        head = await this.services.github.refSha(LEDGER_REF);
      }
      throw new Error(`other runs kept appending (${ATTEMPTS} attempts)`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const hint = error instanceof GitHubError && error.status === 403 ? " — the token needs `contents: write`" : "";
      const line = `ledger: could not append ${this.entries.length} entries: ${message}${hint}`;
      this.report.ledger = { failed: line };
      this.report.notes.push(line);
      this.services.log.warn(line);
    }
  }

  private async moveLedger(head: string | null, tip: string, why: string): Promise<boolean> {
    return head
      ? this.write({ kind: "fast-forward-ref", ref: LEDGER_REF, sha: tip, why })
      : this.write({ kind: "create-ref", ref: LEDGER_REF, sha: tip, why });
  }

  /** The append and the follower's move in one request; false when another run appended first. */
  private async moveBoth(head: string | null, tip: string, why: string): Promise<boolean | "not-atomic"> {
    const follower = this.follower!;
    const updates = [
      { ref: LEDGER_REF, before: head, after: tip },
      { ref: follower.ref, after: tip, force: true },
    ];
    try {
      await this.write({ kind: "update-refs", repositoryId: this.services.repoNodeId!, updates, why: `${why}, and the dashboard's version` });
      return true;
    } catch (error) {
      if (!(error instanceof GitHubError) || error.status === 403) throw error;
      const now = await this.services.github.refSha(LEDGER_REF);
      return now !== head ? false : "not-atomic";
    }
  }

  /** The follower alone to `head` (the ledger's, when this run appended nothing): one request, none when it is there. */
  private async catchUp(head?: string): Promise<void> {
    const follower = this.follower;
    if (!follower) return;
    this.follower = null;
    try {
      const to = head ?? (await stateRefs(this.services.github, this.report)).ledger;
      if (!to || to === follower.sha) return;
      const why = "the dashboard shows the board as of this ledger entry";
      await this.write(follower.sha ? { kind: "update-ref", ref: follower.ref, sha: to, why } : { kind: "create-ref", ref: follower.ref, sha: to, why });
    } catch (error) {
      // The next sweep finds the dashboard behind and draws it again: a request wasted, nothing lost.
      this.services.log.warn(`dashboard: could not record which board it shows: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** The ledger's own writes go through the applier, but are not entries nor lines of the report. */
  private async write<E extends Effect>(effect: E) {
    const result = await applyEffect(this.services.github, effect, { dryRun: false, log: this.services.log, record: () => {} });
    return result as NonNullable<typeof result>;
  }

  private runName(): string {
    return this.services.run ? `actions:${this.services.run.id}` : (this.services.runName ?? "orkestra");
  }
}

/** Writes that keep Orkestra's own books rather than decide anything: receipts, usage, the sweep's cursor, the dashboard, git objects. */
function bookkeeping(effect: Effect): boolean {
  switch (effect.kind) {
    case "react":
    case "update-issue-body":
    case "create-commit":
    case "create-blob":
    case "create-tree":
      return true;
    case "create-ref":
    case "fast-forward-ref":
    case "delete-ref":
    case "update-ref":
      return ["orkestra/usage/", "orkestra/sweep/", "orkestra/dashboard/"].some((prefix) => effect.ref.startsWith(prefix)) || effect.ref === LEDGER_REF;
    default:
      return false;
  }
}

/** One writer per run, shared by every copy of its context (keyed by the run's report). */
const writers = new WeakMap<RunReport, LedgerWriter>();

export function ledgerOf(services: Services, report: RunReport): LedgerWriter {
  let writer = writers.get(report);
  if (!writer) {
    writer = new LedgerWriter(services, report);
    writers.set(report, writer);
  }
  return writer;
}

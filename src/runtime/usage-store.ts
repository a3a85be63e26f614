import { z } from "zod";
import type { DayUsage, UsageStore } from "../agents/index.js";
import type { GitHubPort } from "../github/port.js";
import type { Effect, ResultOf } from "./effects.js";

/** The git reads the usage store needs; it writes through the applier. */
type GitReads = Pick<GitHubPort, "refSha" | "commit" | "branchSha">;
type Perform = <E extends Effect>(effect: E) => Promise<ResultOf<E> | null>;

const spendSchema = z.object({ tokens: z.number(), costUsd: z.number(), calls: z.number() });
const daySchema = spendSchema.extend({ byAgent: z.record(z.string(), spendSchema) });

const PREFIX = "orkestra/usage/";
const ATTEMPTS = 3;

interface Snapshot {
  sha: string | null;
  /** The tree of that commit. */
  tree: string | null;
  usage: DayUsage;
}

/**
 * Agents' spending per UTC day, kept in GitHub so `budgets.perDay` holds across runs, Action
 * jobs and app replicas. Each day is a ref `refs/orkestra/usage/<day>` pointing at a commit
 * whose message is the day's totals as JSON; each commit sits on the default branch's head (and on
 * the day's record before it), and none changes a file. A run loads the day once, counts in memory, and
 * `flush()` adds what it spent on top of whatever is there now: the commit's parent is the
 * tip it read, and moving the ref only succeeds as a fast-forward, so two runs flushing at
 * once cannot lose each other's spending — the loser reads again and retries.
 */
export class GitUsageStore implements UsageStore {
  private readonly baseline = new Map<string, Snapshot>();
  private readonly current = new Map<string, DayUsage>();

  constructor(
    private readonly git: GitReads,
    private readonly perform: Perform,
    private readonly defaultBranch: string,
  ) {}

  async load(day: string): Promise<DayUsage> {
    const snapshot = await this.read(day);
    this.baseline.set(day, snapshot);
    return structuredClone(snapshot.usage);
  }

  async save(day: string, usage: DayUsage): Promise<void> {
    this.current.set(day, structuredClone(usage));
  }

  /** Writes what this run spent; a no-op when it spent nothing. */
  async flush(): Promise<void> {
    for (const [day, usage] of this.current) {
      const loaded = this.baseline.get(day) ?? { sha: null, tree: null, usage: empty() };
      const spent = subtract(usage, loaded.usage);
      if (spent.calls === 0 && spent.tokens === 0) continue;
      this.baseline.set(day, await this.add(day, spent, loaded));
    }
  }

  /** Adds `spent` on top of the day's record, starting from the tip this run read. */
  private async add(day: string, spent: DayUsage, loaded: Snapshot): Promise<Snapshot> {
    let tip = loaded;
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const total = sum(tip.usage, spent);
      // Every record has the shape of a lock commit: the default branch's head as its first parent,
      // with its tree, so it changes no file — where a commit without a parent would create every
      // workflow file, and one on an older tree would undo the branch's newer workflows, both of
      // which GitHub refuses to tokens without `workflows`. The day's previous record is the second
      // parent, so moving the ref stays a fast-forward.
      const head = await this.defaultHead();
      const why = `agents' spending on ${day}`;
      const message = `orkestra usage ${day}\n\n${JSON.stringify(total)}`;
      const tree = head.tree;
      const parents = tip.sha && tip.sha !== head.sha ? [head.sha, tip.sha] : [head.sha];
      const sha = await this.perform({ kind: "create-commit", message, tree, parents, why });
      // A dry run writes nothing (and flushes nothing): there is no record to move on top of.
      if (sha === null) return tip;
      const ref = `${PREFIX}${day}`;
      const moved = await this.perform(tip.sha ? { kind: "fast-forward-ref", ref, sha, why } : { kind: "create-ref", ref, sha, why });
      if (moved) return { sha, tree, usage: total };
      tip = await this.read(day); // another run wrote first: add on top of what it wrote
    }
    throw new Error(`could not record agent usage for ${day} after ${ATTEMPTS} attempts (other runs kept writing)`);
  }

  private async defaultHead(): Promise<{ sha: string; tree: string }> {
    const sha = await this.git.branchSha(this.defaultBranch);
    return { sha, tree: (await this.git.commit(sha)).tree };
  }

  private async read(day: string): Promise<Snapshot> {
    const sha = await this.git.refSha(`${PREFIX}${day}`);
    if (!sha) return { sha: null, tree: null, usage: empty() };
    const { message, tree } = await this.git.commit(sha);
    const json = message.slice(message.indexOf("\n\n") + 2);
    try {
      return { sha, tree, usage: daySchema.parse(JSON.parse(json)) };
    } catch {
      // A damaged record counts as zero rather than stopping every agent.
      return { sha, tree, usage: empty() };
    }
  }
}

function empty(): DayUsage {
  return { tokens: 0, costUsd: 0, calls: 0, byAgent: {} };
}

function combine(a: DayUsage, b: DayUsage, sign: 1 | -1): DayUsage {
  const byAgent: DayUsage["byAgent"] = structuredClone(a.byAgent);
  for (const [name, spend] of Object.entries(b.byAgent)) {
    const base = byAgent[name] ?? { tokens: 0, costUsd: 0, calls: 0 };
    byAgent[name] = { tokens: base.tokens + sign * spend.tokens, costUsd: base.costUsd + sign * spend.costUsd, calls: base.calls + sign * spend.calls };
  }
  return { tokens: a.tokens + sign * b.tokens, costUsd: a.costUsd + sign * b.costUsd, calls: a.calls + sign * b.calls, byAgent };
}

const sum = (a: DayUsage, b: DayUsage) => combine(a, b, 1);
const subtract = (a: DayUsage, b: DayUsage) => combine(a, b, -1);

import { z } from "zod";
import { previousDay, type DayUsage, type PersistedHealth, type UsageStore } from "../agents/index.js";
import type { GitHubPort } from "../github/port.js";
import type { Effect, ResultOf } from "./effects.js";

/** The git reads the usage store needs; it writes through the applier. */
type GitReads = Pick<GitHubPort, "refSha" | "commit" | "branchSha">;
type Perform = <E extends Effect>(effect: E) => Promise<ResultOf<E> | null>;

const spendSchema = z.object({ tokens: z.number(), costUsd: z.number(), calls: z.number() });
const daySchema = spendSchema.extend({ byAgent: z.record(z.string(), spendSchema) });
const isoSchema = z.iso.datetime({ offset: true });
const ERROR_KINDS = ["invalid-output", "refused", "timeout", "rate-limited", "provider-error", "budget-exceeded", "circuit-open", "no-key", "disabled"] as const;
const count = z.number().finite().nonnegative();
/** One agent's health in the day's record (see `PersistedHealth`). */
const healthSchema = z.object({
  calls: count,
  successes: count,
  failures: count,
  latencyTotalMs: count,
  lastError: z.object({ kind: z.enum(ERROR_KINDS), message: z.string(), at: isoSchema }).nullable(),
  breaker: z.enum(["closed", "open"]),
  openedAt: isoSchema.nullable(),
  updatedAt: isoSchema,
}) satisfies z.ZodType<PersistedHealth>;

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
  /** The day records' refs as a listing of `refs/orkestra/` showed them (the sweep's): no read of the ref. */
  private listed: Map<string, string> | null = null;

  constructor(
    private readonly git: GitReads,
    private readonly perform: Perform,
    private readonly defaultBranch: string,
  ) {}

  /**
   * The day's record. Until today's exists, the health of yesterday's is carried over (one more
   * ref read, and a commit read when there is one) — its spending is not.
   */
  async load(day: string): Promise<DayUsage> {
    const snapshot = await this.readCarrying(day);
    this.baseline.set(day, snapshot);
    return structuredClone(snapshot.usage);
  }

  async save(day: string, usage: DayUsage): Promise<void> {
    this.current.set(day, structuredClone(usage));
  }

  /**
   * Writes what this run spent and how its agents' health changed; a no-op when it called no
   * agent (a call that failed spends nothing but changes health, so it is written too).
   */
  async flush(): Promise<void> {
    for (const [day, usage] of this.current) {
      const loaded = this.baseline.get(day) ?? { sha: null, tree: null, usage: empty() };
      const spent = subtract(usage, loaded.usage);
      const health = healthChanges(usage.health ?? {}, loaded.usage.health ?? {});
      if (spent.calls === 0 && spent.tokens === 0 && health.size === 0) continue;
      this.baseline.set(day, await this.add(day, spent, health, loaded));
    }
  }

  /** Adds `spent` and the health changes on top of the day's record, starting from the tip this run read. */
  private async add(day: string, spent: DayUsage, health: HealthChanges, loaded: Snapshot): Promise<Snapshot> {
    let tip = loaded;
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const total = withHealth(sum(tip.usage, spent), mergeHealth(tip.usage.health ?? {}, health));
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
      this.listed = null; // the listing is out of date
      tip = await this.readCarrying(day); // another run wrote first: add on top of what it wrote
    }
    throw new Error(`could not record agent usage for ${day} after ${ATTEMPTS} attempts (other runs kept writing)`);
  }

  private async defaultHead(): Promise<{ sha: string; tree: string }> {
    const sha = await this.git.branchSha(this.defaultBranch);
    return { sha, tree: (await this.git.commit(sha)).tree };
  }

  /** The day's record, or (while there is none) a record with no spending and yesterday's health. */
  private async readCarrying(day: string): Promise<Snapshot> {
    const snapshot = await this.read(day);
    if (snapshot.sha !== null) return snapshot;
    const yesterday = await this.read(previousDay(day));
    return { ...snapshot, usage: withHealth(empty(), yesterday.usage.health ?? {}) };
  }

  /** What a listing of Orkestra's refs made this run says of the records (a day not in it has none). */
  knowRefs(refs: readonly { ref: string; sha: string }[]): void {
    this.listed = new Map(refs.filter(({ ref }) => ref.startsWith(PREFIX)).map(({ ref, sha }) => [ref, sha]));
  }

  private async read(day: string): Promise<Snapshot> {
    const ref = `${PREFIX}${day}`;
    const sha = this.listed ? (this.listed.get(ref) ?? null) : await this.git.refSha(ref);
    if (!sha) return { sha: null, tree: null, usage: empty() };
    const { message, tree } = await this.git.commit(sha);
    const json = message.slice(message.indexOf("\n\n") + 2);
    let record: unknown;
    try {
      record = JSON.parse(json);
    } catch {
      // A damaged record counts as zero rather than stopping every agent.
      return { sha, tree, usage: empty() };
    }
    const spending = daySchema.safeParse(record);
    return { sha, tree, usage: withHealth(spending.success ? spending.data : empty(), parseHealth(record)) };
  }
}

/**
 * The agents' health in a record: each agent's entry that is valid; an old record without
 * health, or a damaged entry, reads as no health for that agent.
 */
function parseHealth(record: unknown): Record<string, PersistedHealth> {
  const health = typeof record === "object" && record !== null ? (record as { health?: unknown }).health : undefined;
  if (typeof health !== "object" || health === null || Array.isArray(health)) return {};
  const valid: Record<string, PersistedHealth> = {};
  for (const [name, entry] of Object.entries(health)) {
    const parsed = healthSchema.safeParse(entry);
    if (parsed.success) valid[name] = parsed.data;
  }
  return valid;
}

function withHealth(usage: DayUsage, health: Record<string, PersistedHealth>): DayUsage {
  const spending: DayUsage = { tokens: usage.tokens, costUsd: usage.costUsd, calls: usage.calls, byAgent: usage.byAgent };
  return Object.keys(health).length > 0 ? { ...spending, health } : spending;
}

type Counters = Pick<PersistedHealth, "calls" | "successes" | "failures" | "latencyTotalMs">;
/** Per agent whose health this run changed: its counters' increase, and its newest state. */
type HealthChanges = Map<string, { added: Counters; state: PersistedHealth }>;

const COUNTERS = ["calls", "successes", "failures", "latencyTotalMs"] as const;

/** What this run changed: counters grown since the record it loaded, or a newer state. */
function healthChanges(current: Record<string, PersistedHealth>, loaded: Record<string, PersistedHealth>): HealthChanges {
  const changes: HealthChanges = new Map();
  for (const [name, state] of Object.entries(current)) {
    const before = loaded[name];
    const added = Object.fromEntries(COUNTERS.map((key) => [key, state[key] - (before?.[key] ?? 0)])) as Counters;
    if (COUNTERS.some((key) => added[key] !== 0) || state.updatedAt !== before?.updatedAt) changes.set(name, { added, state });
  }
  return changes;
}

/**
 * The record's health with this run's on top: counters add (two runs at once lose nothing), the
 * breaker, when it opened and the last error are the newest by `updatedAt`.
 */
function mergeHealth(tip: Record<string, PersistedHealth>, changes: HealthChanges): Record<string, PersistedHealth> {
  const merged = structuredClone(tip);
  for (const [name, { added, state }] of changes) {
    const there = tip[name];
    const newest = !there || Date.parse(state.updatedAt) >= Date.parse(there.updatedAt) ? state : there;
    merged[name] = {
      calls: (there?.calls ?? 0) + added.calls,
      successes: (there?.successes ?? 0) + added.successes,
      failures: (there?.failures ?? 0) + added.failures,
      latencyTotalMs: (there?.latencyTotalMs ?? 0) + added.latencyTotalMs,
      lastError: newest.lastError,
      breaker: newest.breaker,
      openedAt: newest.openedAt,
      updatedAt: newest.updatedAt,
    };
  }
  return merged;
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

/**
 * Token and cost accounting. `BudgetLedger` is pure bookkeeping (no clock, no I/O): the agent
 * runtime asks it before every call and tells it after. Per-day totals outlive a run through a
 * `UsageStore`; the in-memory one here serves tests and the demo, a GitHub-backed one can
 * implement the same two methods.
 */
import { DEFAULT_PRICES, type BudgetsConfig, type Price } from "../config/agents.js";
import type { AgentErrorKind, AgentSpec, PriceTable } from "./types.js";

export interface Spend {
  tokens: number;
  costUsd: number;
  calls: number;
}

/**
 * An agent's health as kept with the day's usage record, so it outlives a run: call counters
 * (added up across runs like spending), and the newest known breaker state and last error.
 * Times are ISO strings from the roster's clock.
 */
export interface PersistedHealth {
  calls: number;
  successes: number;
  failures: number;
  latencyTotalMs: number;
  lastError: { kind: AgentErrorKind; message: string; at: string } | null;
  breaker: "closed" | "open";
  /** When the breaker opened (null while closed); the agent is skipped until `openedAt + breakerCooldownMs`. */
  openedAt: string | null;
  /** When this agent's health last changed: the newest breaker state and last error win. */
  updatedAt: string;
}

export interface DayUsage extends Spend {
  byAgent: Record<string, Spend>;
  /** Agents' health by name; absent in records written before health was kept. */
  health?: Record<string, PersistedHealth>;
}

/**
 * Persists per-day usage across runs. `day` is a UTC date, `YYYY-MM-DD`. Last writer wins.
 * `load` of a day without a record carries the previous day's `health` over (never its spending),
 * so an agent broken just before midnight stays degraded just after.
 */
export interface UsageStore {
  load(day: string): Promise<DayUsage>;
  save(day: string, usage: DayUsage): Promise<void>;
}

/**
 * A daily cost cap shared beyond one repository's `budgets.perDay` (the App's installation budget,
 * src/app/installation-budget.ts): what all its holders spent today, and where a run adds its own.
 */
export interface SharedDayBudget {
  /** The setting that sets it, named when it refuses a call. */
  readonly setting: string;
  readonly maxCostUsd: number;
  /** USD its holders spent on `day` (UTC, `YYYY-MM-DD`), as far as this process knows. */
  spent(day: string): Promise<number>;
  /** A call of this run cost `costUsd` on `day`. */
  add(day: string, costUsd: number): void;
}

const emptySpend = (): Spend => ({ tokens: 0, costUsd: 0, calls: 0 });
const emptyDay = (): DayUsage => ({ ...emptySpend(), byAgent: {} });

export class InMemoryUsageStore implements UsageStore {
  private readonly days = new Map<string, DayUsage>();
  async load(day: string): Promise<DayUsage> {
    const known = this.days.get(day);
    if (known) return structuredClone(known);
    const health = this.days.get(previousDay(day))?.health;
    return health ? { ...emptyDay(), health: structuredClone(health) } : emptyDay();
  }
  async save(day: string, usage: DayUsage): Promise<void> {
    this.days.set(day, structuredClone(usage));
  }
}

export const utcDay = (date: Date): string => date.toISOString().slice(0, 10);

/** The UTC day before `day` (`YYYY-MM-DD`). */
export const previousDay = (day: string): string => utcDay(new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000));

/** Price of a model: exact name, else the longest listed prefix (dated snapshots), else `*`. */
export function priceFor(prices: PriceTable, model: string): Price {
  const table = { ...DEFAULT_PRICES, ...prices };
  const exact = table[model];
  if (exact) return exact;
  const prefix = Object.keys(table)
    .filter((name) => name !== "*" && model.startsWith(name))
    .sort((a, b) => b.length - a.length)[0];
  return (prefix ? table[prefix] : undefined) ?? table["*"] ?? { inputPerMTok: 0, outputPerMTok: 0 };
}

export function costUsd(price: Price, inputTokens: number, outputTokens: number): number {
  return (inputTokens * price.inputPerMTok + outputTokens * price.outputPerMTok) / 1_000_000;
}

interface CallEstimate {
  inputTokens: number;
  /** Worst case: the output cap of the call. */
  outputTokens: number;
  costUsd: number;
}

export type BudgetCheck = { ok: true } | { ok: false; message: string };

export const usd = (n: number) => `$${n.toFixed(n < 1 ? 4 : 2)}`;

export class BudgetLedger {
  private readonly runTotal = emptySpend();
  private readonly runByAgent = new Map<string, Spend>();
  private dayKey: string;
  private dayUsage: DayUsage;

  constructor(
    private readonly limits: BudgetsConfig,
    day: string,
    dayUsage: DayUsage = emptyDay(),
  ) {
    this.dayKey = day;
    this.dayUsage = structuredClone(dayUsage);
  }

  get day(): string {
    return this.dayKey;
  }

  /** Starts counting a new UTC day from what the store already holds for it. */
  startDay(day: string, usage: DayUsage): void {
    this.dayKey = day;
    this.dayUsage = structuredClone(usage);
  }

  /** Whether a call with this worst-case estimate may start. The first limit it would break is named. */
  check(agent: Pick<AgentSpec, "name" | "budget">, estimate: CallEstimate): BudgetCheck {
    const { perCall, perAgent, perRun, perDay } = this.limits;
    if (estimate.inputTokens > perCall.maxInputTokens) {
      return {
        ok: false,
        message: `prompt of ~${estimate.inputTokens} tokens is over budgets.perCall.maxInputTokens (${perCall.maxInputTokens}); send less data`,
      };
    }
    const tokens = estimate.inputTokens + estimate.outputTokens;
    const mine = this.runByAgent.get(agent.name) ?? emptySpend();
    const myDay = this.dayUsage.byAgent[agent.name] ?? emptySpend();
    const caps: Array<[string, number, number, (n: number) => string]> = [
      [`agent ${agent.name} tokens this run`, mine.tokens + tokens, agent.budget.maxTokensPerRun ?? perAgent.maxTokens, String],
      [`agent ${agent.name} cost this run`, mine.costUsd + estimate.costUsd, agent.budget.maxCostUsdPerRun ?? perAgent.maxCostUsd, usd],
      [`agent ${agent.name} cost today`, myDay.costUsd + estimate.costUsd, agent.budget.maxCostUsdPerDay ?? Infinity, usd],
      ["run tokens (budgets.perRun.maxTokens)", this.runTotal.tokens + tokens, perRun.maxTokens, String],
      ["run cost (budgets.perRun.maxCostUsd)", this.runTotal.costUsd + estimate.costUsd, perRun.maxCostUsd, usd],
      [`tokens today ${this.dayKey} (budgets.perDay.maxTokens)`, this.dayUsage.tokens + tokens, perDay.maxTokens, String],
      [`cost today ${this.dayKey} (budgets.perDay.maxCostUsd)`, this.dayUsage.costUsd + estimate.costUsd, perDay.maxCostUsd, usd],
    ];
    for (const [what, projected, cap, show] of caps) {
      if (projected > cap) {
        return { ok: false, message: `budget reached: ${what} would be ${show(projected)} of ${show(cap)}; no further calls until it resets` };
      }
    }
    return { ok: true };
  }

  record(agentName: string, tokens: number, cost: number): void {
    const add = (s: Spend) => {
      s.tokens += tokens;
      s.costUsd += cost;
      s.calls += 1;
    };
    add(this.runTotal);
    const mine = this.runByAgent.get(agentName) ?? emptySpend();
    add(mine);
    this.runByAgent.set(agentName, mine);
    add(this.dayUsage);
    const myDay = this.dayUsage.byAgent[agentName] ?? emptySpend();
    add(myDay);
    this.dayUsage.byAgent[agentName] = myDay;
  }

  /** This run's totals, per agent and overall — what a run report shows. */
  run(): { total: Spend; byAgent: Record<string, Spend> } {
    return { total: { ...this.runTotal }, byAgent: Object.fromEntries([...this.runByAgent].map(([k, v]) => [k, { ...v }])) };
  }

  today(): DayUsage {
    return structuredClone(this.dayUsage);
  }
}

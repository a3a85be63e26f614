/**
 * What all agents of one run share: the budget ledger and its per-day store, one concurrency
 * limit (bulkhead) per provider endpoint, the clock, the logger and the redactor.
 */
import { bulkhead, type BulkheadPolicy } from "cockatiel";
import type { BudgetsConfig, Price, ResilienceConfig } from "../config/agents.js";
import type { Clock } from "../domain/clock.js";
import type { Logger } from "../shared/logger.js";
import { BudgetLedger, costUsd, usd, utcDay, type BudgetCheck, type DayUsage, type PersistedHealth, type SharedDayBudget, type UsageStore } from "./budget.js";
import type { Redactor } from "./redact.js";
import type { AgentSpec, PriceTable } from "./types.js";

interface RuntimeOptions {
  budgets: BudgetsConfig;
  prices: PriceTable;
  resilience: ResilienceConfig;
  clock: Clock;
  logger: Logger;
  redact: Redactor;
  usageStore: UsageStore;
  /** A cap shared with other repositories (the App's installation budget), checked after this repository's. */
  sharedBudget?: SharedDayBudget;
  /** Boundary ids for data blocks (random in production, seeded in tests). */
  boundary: () => string;
}

/** How an agent's health takes part in the day's record: seeded when the day loads, read when it is saved. */
interface HealthTracker {
  /** The day's persisted health of this agent (undefined: none yet); this run's counting restarts from it. */
  seed(persisted: PersistedHealth | undefined): void;
  /** The agent's health for the day's record, or null when this run changed nothing for it. */
  snapshot(): PersistedHealth | null;
}

export class AgentRuntime {
  readonly ledger: BudgetLedger;
  private readonly bulkheads = new Map<string, BulkheadPolicy>();
  private readonly dayLoads = new Map<string, Promise<void>>();
  private readonly trackers = new Map<string, HealthTracker>();
  /** The health read with the current day's record (or carried over from the day before). */
  private loadedHealth: Record<string, PersistedHealth> = {};

  constructor(readonly opts: RuntimeOptions) {
    this.ledger = new BudgetLedger(opts.budgets, utcDay(opts.clock.now()));
  }

  /** One concurrency limit per provider endpoint, shared by every agent that uses it. */
  bulkheadFor(endpoint: string): BulkheadPolicy {
    let policy = this.bulkheads.get(endpoint);
    if (!policy) {
      policy = bulkhead(this.opts.resilience.concurrencyPerProvider, this.opts.resilience.queuePerProvider);
      this.bulkheads.set(endpoint, policy);
    }
    return policy;
  }

  /** Loads today's usage from the store once per UTC day (a run may cross midnight). */
  ensureDay(): Promise<void> {
    const day = utcDay(this.opts.clock.now());
    let load = this.dayLoads.get(day);
    if (!load) {
      load = this.opts.usageStore.load(day).then(
        ({ health, ...spending }) => {
          this.ledger.startDay(day, spending);
          this.loadedHealth = health ?? {};
          for (const [name, tracker] of this.trackers) tracker.seed(this.loadedHealth[name]);
        },
        (error: unknown) => {
          this.opts.logger.warn(this.opts.redact(`agents: could not load usage for ${day}, counting from zero: ${String(error)}`));
          this.ledger.startDay(day, this.ledger.day === day ? this.ledger.today() : { tokens: 0, costUsd: 0, calls: 0, byAgent: {} });
        },
      );
      this.dayLoads.set(day, load);
    }
    return load;
  }

  /** Whether a call of this worst-case size may start now (loads the day's usage first). */
  async admit(agent: Pick<AgentSpec, "name" | "budget">, inputTokens: number, maxOutputTokens: number, price: Price): Promise<BudgetCheck> {
    await this.ensureDay();
    const estimate = { inputTokens, outputTokens: maxOutputTokens, costUsd: costUsd(price, inputTokens, maxOutputTokens) };
    const own = this.ledger.check(agent, estimate);
    const shared = this.opts.sharedBudget;
    if (!own.ok || !shared) return own;
    const projected = (await shared.spent(this.ledger.day)) + estimate.costUsd;
    if (projected <= shared.maxCostUsd) return own;
    const what = `cost today ${this.ledger.day} of all repositories of this installation (${shared.setting})`;
    return { ok: false, message: `budget reached: ${what} would be ${usd(projected)} of ${usd(shared.maxCostUsd)}; no further calls until it resets` };
  }

  /** Counts a provider answer against every budget and persists the day's totals. */
  async record(agentName: string, tokens: number, costUsd: number): Promise<void> {
    this.ledger.record(agentName, tokens, costUsd);
    this.opts.sharedBudget?.add(this.ledger.day, costUsd);
    await this.save();
  }

  /** An agent's health takes part in the day's record from now on (its seed comes with each day's load). */
  trackHealth(name: string, tracker: HealthTracker): void {
    this.trackers.set(name, tracker);
  }

  /** An agent's health changed (a call ended): the day's record to save includes it. */
  async healthChanged(): Promise<void> {
    await this.ensureDay();
    await this.save();
  }

  /** The day's record as this run sees it: spending, and every agent's health (loaded, with this run's on top). */
  private dayRecord(): DayUsage {
    const health: Record<string, PersistedHealth> = { ...this.loadedHealth };
    for (const [name, tracker] of this.trackers) {
      const mine = tracker.snapshot();
      if (mine) health[name] = mine;
    }
    return Object.keys(health).length > 0 ? { ...this.ledger.today(), health } : this.ledger.today();
  }

  private async save(): Promise<void> {
    try {
      await this.opts.usageStore.save(this.ledger.day, this.dayRecord());
    } catch (error) {
      this.opts.logger.warn(this.opts.redact(`agents: could not save usage for ${this.ledger.day}: ${String(error)}`));
    }
  }
}

/**
 * What all agents of one run share: the budget ledger and its per-day store, one concurrency
 * limit (bulkhead) per provider endpoint, the clock, the logger and the redactor.
 */
import { bulkhead, type BulkheadPolicy } from "cockatiel";
import type { BudgetsConfig, Price, ResilienceConfig } from "../config/agents.js";
import type { Clock } from "../domain/clock.js";
import type { Logger } from "../shared/logger.js";
import { BudgetLedger, costUsd, utcDay, type BudgetCheck, type UsageStore } from "./budget.js";
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
  /** Boundary ids for data blocks (random in production, seeded in tests). */
  boundary: () => string;
}

export class AgentRuntime {
  readonly ledger: BudgetLedger;
  private readonly bulkheads = new Map<string, BulkheadPolicy>();
  private readonly dayLoads = new Map<string, Promise<void>>();

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
        (usage) => this.ledger.startDay(day, usage),
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
    return this.ledger.check(agent, { inputTokens, outputTokens: maxOutputTokens, costUsd: costUsd(price, inputTokens, maxOutputTokens) });
  }

  /** Counts a provider answer against every budget and persists the day's totals. */
  async record(agentName: string, tokens: number, costUsd: number): Promise<void> {
    this.ledger.record(agentName, tokens, costUsd);
    try {
      await this.opts.usageStore.save(this.ledger.day, this.ledger.today());
    } catch (error) {
      this.opts.logger.warn(this.opts.redact(`agents: could not save usage for ${this.ledger.day}: ${String(error)}`));
    }
  }
}

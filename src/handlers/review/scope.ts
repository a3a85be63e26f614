import { isDeepStrictEqual } from "node:util";
import type { Spend } from "../../agents/index.js";
import type { Config } from "../../config/schema.js";
import { LabelScheme } from "../../domain/task/labels.js";
import type { PullDetails } from "../../github/port.js";
import { configPathOf, loadConfig } from "../config.js";
import type { RunContext } from "../../runtime/context.js";
import { configRefFor } from "./payload.js";

type Scoped<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * Runs `work` with the configuration that governs a pull request: its base branch's when that
 * is not the default branch, read the same way as for `pull_request` events (see `configRefFor`).
 * The agents stay the run's own when that configuration sets them up alike; otherwise a roster
 * of their own gets only what is left of the run's budget, and its spending is recorded here.
 */
export async function withBaseBranchConfig<T>(ctx: RunContext, pr: PullDetails, work: (scoped: RunContext) => Promise<T>): Promise<Scoped<T>> {
  const ref = configRefFor(pr.baseRef, ctx.defaultBranch);
  if (ref === undefined) return { ok: true, value: await work(ctx) };
  const loaded = await loadConfig(ctx.github, configPathOf(ctx), ref);
  if (!loaded.ok) return { ok: false, reason: `the configuration on the base branch \`${ref}\` is invalid (${loaded.errors.map((error) => error.message).join("; ")})` };
  if (sameAgents(ctx.config, loaded.config)) return { ok: true, value: await work(sharingAgents(ctx, loaded.config)) };
  const config = withRunBudgetLeft(loaded.config, ctx.agents.usage().run.total);
  const scoped = ctx.withConfig(config);
  try {
    return { ok: true, value: await work(scoped) };
  } finally {
    // Only the run's own context is flushed by `handleEvent`; today's spending must hold for `budgets.perDay`.
    await scoped.flushUsage();
  }
}

function sameAgents(a: Config, b: Config): boolean {
  return isDeepStrictEqual(a.agents, b.agents) && isDeepStrictEqual(a.budgets, b.budgets) && isDeepStrictEqual(a.prices, b.prices);
}

/** The base branch's settings over the run's own agents and usage store. */
function sharingAgents(ctx: RunContext, config: Config): RunContext {
  return {
    ...ctx,
    config,
    scheme: new LabelScheme(config.labels, config.tasks.types),
    // The run's own context records the usage once, when the run ends.
    flushUsage: async () => undefined,
  };
}

/** A second roster counts its run from zero: its per-run caps are lowered by what this run already spent. */
function withRunBudgetLeft(config: Config, spent: Spend): Config {
  const { perRun } = config.budgets;
  return {
    ...config,
    budgets: {
      ...config.budgets,
      perRun: { maxTokens: Math.max(0, perRun.maxTokens - spent.tokens), maxCostUsd: Math.max(0, perRun.maxCostUsd - spent.costUsd) },
    },
  };
}

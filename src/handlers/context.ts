import { createAgents, type AgentRoster, type CreateAgentsOptions, type Env } from "../agents/index.js";
import type { PermissionLevel } from "../config/common.js";
import type { ConfigError } from "../config/load.js";
import type { Config } from "../config/schema.js";
import type { Clock } from "../domain/clock.js";
import { LabelScheme } from "../domain/task/labels.js";
import type { GitHubPort } from "../github/port.js";
import { GitUsageStore } from "../github/usage-store.js";
import type { Logger } from "../logger.js";
import { applyEffects } from "./apply.js";
import type { Effect } from "./effects.js";

/** What a door (app, Action, CLI) provides for one event or one sweep. */
export interface Services {
  github: GitHubPort;
  clock: Clock;
  log: Logger;
  dryRun: boolean;
  /** Whether the repository is private: on a public one everybody can read. */
  repoPrivate: boolean;
  /** When the app last swept this repository; a sweep before `sweep.intervalMinutes` have passed is skipped. */
  lastSweepAt?: Date;
  /** The repository's default branch (from the event payload); lock refs point at its head. */
  defaultBranch?: string;
  /** Orkestra's own login (e.g. `orkestra[bot]`) when known: events it caused need no handling. */
  self?: string;
  /** Where agent keys come from (process.env, or the Action's inputs mapped to the standard names). */
  env: Env;
  /** Extra options for the agents of a run: offline scripted agents (demo), a fetch for tests. */
  agentOptions?: Omit<CreateAgentsOptions, "config" | "budgets" | "prices" | "env" | "clock" | "logger">;
}

/** What a run did, for the Action's job summary, the app's logs and tests. */
export interface RunReport {
  /** Effects applied (or, in a dry run, that would have been), one line each. */
  actions: string[];
  /** Things worth saying that changed nothing (skipped events, refusals). */
  notes: string[];
  configErrors: ConfigError[];
  /** Unexpected failures (GitHub errors); the run is not green when there are any. */
  errors: string[];
  /** Whether a sweep ran, or was skipped because it was not due yet. */
  sweep?: "ran" | "not-due";
  /** Set when a sweep stopped early to stay above the rate-limit floor. */
  truncated?: { reason: string; notReached: string[] };
}

export function emptyReport(): RunReport {
  return { actions: [], notes: [], configErrors: [], errors: [] };
}

export interface RunContext extends Services {
  config: Config;
  scheme: LabelScheme;
  report: RunReport;
  /** The agents of this run, built on first use from config and keys. */
  readonly agents: AgentRoster;
  /** A person's permission on the repository, asked of GitHub at most once per run. */
  permissionOf(login: string): Promise<PermissionLevel | "none">;
  /** Records what the agents spent today in GitHub (a no-op when no agent was called or in a dry run). */
  flushUsage(): Promise<void>;
  apply(effects: Effect[]): Promise<void>;
}

export function createRunContext(services: Services, config: Config, report: RunReport): RunContext {
  let agents: AgentRoster | undefined;
  const permissions = new Map<string, Promise<PermissionLevel | "none">>();
  // Today's spending lives in GitHub so `budgets.perDay` holds across runs, jobs and replicas.
  const gitUsage = services.agentOptions?.usageStore ? null : new GitUsageStore(services.github, services.defaultBranch ?? "main");
  return {
    ...services,
    config,
    scheme: new LabelScheme(config.labels, config.tasks.types),
    report,
    get agents() {
      agents ??= createAgents({
        ...services.agentOptions,
        ...(gitUsage ? { usageStore: gitUsage } : {}),
        config: config.agents,
        budgets: config.budgets,
        prices: config.prices,
        env: services.env,
        clock: services.clock,
        logger: services.log,
      });
      return agents;
    },
    permissionOf(login) {
      const key = login.toLowerCase();
      let level = permissions.get(key);
      if (!level) {
        level = services.github.permission(login);
        // A failed lookup is not remembered: the next caller asks again.
        level.catch(() => permissions.delete(key));
        permissions.set(key, level);
      }
      return level;
    },
    async flushUsage() {
      if (!gitUsage || services.dryRun) return;
      try {
        await gitUsage.flush();
      } catch (error) {
        services.log.warn(`agents: could not record today's usage: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
    async apply(effects) {
      const lines = await applyEffects(services.github, effects, { dryRun: services.dryRun, log: services.log });
      report.actions.push(...lines);
    },
  };
}

import type { ConfigError } from "../config/load.js";
import type { Config } from "../config/schema.js";
import type { Clock } from "../domain/clock.js";
import { LabelScheme } from "../domain/task/labels.js";
import type { GitHubPort } from "../github/port.js";
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
  /** Orkestra's own login (e.g. `orkestra[bot]`) when known: events it caused need no handling. */
  self?: string;
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
}

export function emptyReport(): RunReport {
  return { actions: [], notes: [], configErrors: [], errors: [] };
}

export interface RunContext extends Services {
  config: Config;
  scheme: LabelScheme;
  report: RunReport;
  apply(effects: Effect[]): Promise<void>;
}

export function createRunContext(services: Services, config: Config, report: RunReport): RunContext {
  return {
    ...services,
    config,
    scheme: new LabelScheme(config.labels, config.tasks.types),
    report,
    async apply(effects) {
      const lines = await applyEffects(services.github, effects, { dryRun: services.dryRun, log: services.log });
      report.actions.push(...lines);
    },
  };
}

import { createAgents, type AgentRoster, type CreateAgentsOptions, type Env } from "../agents/index.js";
import type { PermissionLevel } from "../config/common.js";
import type { ConfigError } from "../config/load.js";
import type { Config } from "../config/schema.js";
import type { Clock } from "../domain/clock.js";
import type { DashboardModel } from "../domain/dashboard/model.js";
import { LabelScheme } from "../domain/task/labels.js";
import type { GitHubPort } from "../github/port.js";
import { GitUsageStore } from "./usage-store.js";
import { ledgerOf, type LedgerWriter } from "./ledger.js";
import type { Logger } from "../shared/logger.js";
import { applyEffect, applyEffects, type ApplyOptions } from "./apply.js";
import type { Effect, ResultOf } from "./effects.js";

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
  /** Where agent keys come from (process.env, or the Action's inputs mapped to the standard names). */
  env: Env;
  /** The Actions run this is (the Action door): an agent working in API mode links its card to it. */
  run?: { id: number; url: string };
  /** The repository's GraphQL node id (from the event's payload), for mutations that take it. */
  repoNodeId?: string;
  /** Who caused this run (the event's sender), for the ledger; `orkestra` when nobody did (a schedule). */
  actor?: string;
  /** How the ledger names this run when it is not an Actions run (`app:<delivery>`, `cli`). */
  runName?: string;
  /** The repository's last push (`pushed_at` of the event's payload). */
  repoPushedAt?: string;
  /** The cron of the Actions `schedule` that started this run (the App's timer has none): its gaps, and GitHub may switch it off. */
  schedule?: string;
  /** Where the configuration lives in the repository, when not `.github/orkestra.yml` (the Action's `config-path`). */
  configPath?: string;
  /**
   * The App: a repository without a configuration file is not onboarded (nothing happens there but
   * one onboarding pull request, src/handlers/onboarding.ts). Unset (the Action, the CLI): the defaults apply.
   */
  onboarding?: boolean;
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
  /** Set when a sweep stopped early: its request budget was spent, or the rate limit reached the floor. */
  truncated?: { reason: string; notReached: string[] };
  /** How far a sweep read the open tasks, and the requests it spent of the ones it could. */
  sweepCoverage?: SweepCoverage;
  /** The board as the sweep's dashboard showed it (when the sweep rendered it), for the job summary. */
  board?: DashboardModel;
  /** The dashboard issue's number, when the sweep found or opened it. */
  dashboard?: number;
  /** What the run appended to the decision ledger, or why it could not. */
  ledger?: { appended: number; head: string } | { failed: string };
}

export interface SweepCoverage {
  /** The page it started at: 1, or where the last sweep stopped. */
  fromPage: number;
  pagesRead: number;
  /** The open tasks' pages as GitHub counted them. */
  totalPages: number;
  /** Where the next sweep starts, or null when this one read every page. */
  nextPage: number | null;
  /** Open tasks read. */
  tasks: number;
  /** Requests the run made, and the most it could (its share of the hourly budget); null when GitHub sent no rate limit. */
  requests: number;
  allowance: number | null;
}

export function emptyReport(): RunReport {
  return { actions: [], notes: [], configErrors: [], errors: [] };
}

/** The port's methods that write; a handler reaches them only through the applier. */
export type GitHubWrite =
  | "createComment"
  | "updateComment"
  | "deleteComment"
  | "react"
  | "addLabels"
  | "removeLabel"
  | "updateLabel"
  | "setIssueState"
  | "createIssue"
  | "updateIssueBody"
  | "pinIssue"
  | "addSubIssue"
  | "addBlockedBy"
  | "removeBlockedBy"
  | "createReview"
  | "updateReviewBody"
  | "dismissReview"
  | "createCheckRun"
  | "updateCheckRun"
  | "createCommit"
  | "fastForwardRef"
  | "createRef"
  | "deleteRef"
  | "updateRefs"
  | "forceUpdateRef"
  | "createBlob"
  | "createTree"
  | "createPull"
  | "updatePull"
  | "markReadyForReview"
  | "enableAutoMerge"
  | "dispatchWorkflow";

/** GitHub as handlers see it: everything to read, nothing to write. */
export type GitHubReads = Omit<GitHubPort, GitHubWrite>;

export interface RunContext extends Omit<Services, "github"> {
  github: GitHubReads;
  config: Config;
  scheme: LabelScheme;
  report: RunReport;
  /** The agents of this run, built on first use from config and keys. */
  readonly agents: AgentRoster;
  /** A person's permission on the repository, asked of GitHub at most once per run. */
  permissionOf(login: string): Promise<PermissionLevel | "none">;
  /**
   * Records what the agents spent today in GitHub (a no-op when no agent was called or in a dry
   * run), and the calls in the run's ledger entries.
   */
  flushUsage(): Promise<void>;
  /** Writes effects in order (describes them in a dry run); the first failure stops the rest. */
  apply(effects: readonly Effect[]): Promise<void>;
  /** Writes one effect and returns GitHub's answer; null in a dry run, where nothing is written. */
  perform<E extends Effect>(effect: E): Promise<ResultOf<E> | null>;
  /** What this run has written so far, in order (what a dry run would have): a board read earlier, brought up to date. */
  written(): readonly Effect[];
  /** A listing of `refs/orkestra/` this run made (the sweep's): the day's usage record is read without its ref. */
  knowRefs(refs: readonly { ref: string; sha: string }[]): void;
  /** The run's ledger entries (writes are recorded by the applier; handlers add refusals). */
  readonly ledger: Pick<LedgerWriter, "add" | "follow">;
  /** Says in the log and the report what a dry run skipped that is not a write (an agent not asked). */
  skippedInDryRun(line: string): void;
  /** The same run under another configuration (a pull request's base branch), with agents of its own. */
  withConfig(config: Config): RunContext;
}

/** How a run's writes are applied: dry or not, logged, and recorded in its report. */
export function applyOptions(services: Services, report: RunReport): ApplyOptions {
  const ledger = ledgerOf(services, report);
  return {
    dryRun: services.dryRun,
    log: services.log,
    record: (line, effect) => {
      report.actions.push(line);
      writtenIn(report).push(effect);
      ledger.wrote(effect);
    },
  };
}

/** The effects a run wrote (described, in a dry run), in order, shared by every copy of its context. */
const written = new WeakMap<RunReport, Effect[]>();

function writtenIn(report: RunReport): Effect[] {
  let effects = written.get(report);
  if (!effects) {
    effects = [];
    written.set(report, effects);
  }
  return effects;
}

export function createRunContext(services: Services, config: Config, report: RunReport): RunContext {
  let agents: AgentRoster | undefined;
  const permissions = new Map<string, Promise<PermissionLevel | "none">>();
  // Today's spending lives in GitHub so `budgets.perDay` holds across runs, jobs and replicas.
  const applying = applyOptions(services, report);
  const perform = <E extends Effect>(effect: E) => applyEffect(services.github, effect, applying);
  const gitUsage = services.agentOptions?.usageStore ? null : new GitUsageStore(services.github, perform, services.defaultBranch ?? "main");
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
      if (agents) recordAgentCalls(ledgerOf(services, report), agents);
      if (gitUsage && !services.dryRun) {
        try {
          await gitUsage.flush();
        } catch (error) {
          services.log.warn(`agents: could not record today's usage: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    },
    ledger: ledgerOf(services, report),
    written: () => writtenIn(report),
    knowRefs: (refs) => gitUsage?.knowRefs(refs),
    apply: (effects) => applyEffects(services.github, effects, applying),
    perform,
    withConfig: (other) => createRunContext(services, other, report),
    skippedInDryRun(line) {
      services.log.info(`[dry-run] ${line}`);
      report.actions.push(line);
    },
  };
}

/** The agents this run called: one ledger entry each, with the model, calls, tokens and cost. */
function recordAgentCalls(ledger: ReturnType<typeof ledgerOf>, agents: AgentRoster): void {
  for (const [name, spend] of Object.entries(agents.usage().run.byAgent)) {
    if (spend.calls === 0) continue;
    const model = agents.get(name)?.spec.model;
    ledger.add({
      kind: "agent-call",
      by: name,
      agent: name,
      ...(model ? { model } : {}),
      tokens: spend.tokens,
      costUsd: spend.costUsd,
      what: `${spend.calls} call${spend.calls === 1 ? "" : "s"}`,
      why: "asked by this run (votes, reviews, plans, work)",
    });
  }
}

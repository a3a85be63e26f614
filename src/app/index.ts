import type { ApplicationFunctionOptions, Context, Probot, ProbotOctokit } from "probot";
import { createHealthBook, type Env } from "../agents/index.js";
import { type Clock } from "../domain/clock.js";
import { systemClock } from "../shared/clock.js";
import { OctokitGitHub } from "../github/octokit.js";
import type { RunReport, Services } from "../runtime/context.js";
import { handleEvent, type IncomingEvent } from "../handlers/index.js";
import { onInstalled } from "../handlers/onboarding.js";
import { sweepWarning } from "../handlers/sweep/coverage.js";
import { eventKey, KeyedSerializer } from "../runtime/serial.js";
import { agentEnvironment } from "./agent-env.js";
import { healthHandler } from "./health.js";
import { installationBudgetsFrom, type InstallationBudgets } from "./installation-budget.js";
import type { Logger } from "../shared/logger.js";

export interface AppOptions {
  clock?: Clock;
  dryRun?: boolean;
  env?: Env;
  agentOptions?: Services["agentOptions"];
  /** Minutes between sweep ticks; 0 turns the timer off (tests call `sweepAll` themselves). */
  sweepTickMinutes?: number;
  /**
   * What all repositories of one installation may spend per UTC day together, kept per process:
   * by default from ORKESTRA_INSTALLATION_BUDGET_USD (none when unset); null for none.
   */
  installationBudgets?: InstallationBudgets | null;
}

interface Repository {
  owner: { login: string };
  name: string;
  full_name?: string;
  private?: boolean;
  default_branch?: string;
}

export interface OrkestraApp {
  /** Runs the sweep for every repository of every installation (the timer calls this). */
  sweepAll(): Promise<RunReport[]>;
  stop(): void;
}

/** Probot's entry (`node lib/app/main.js`, or `probot run lib/app/index.js`): the App and its health endpoint. */
export default function orkestraApp(app: Probot, options?: Pick<ApplicationFunctionOptions, "addHandler">): void {
  options?.addHandler(healthHandler);
  startOrkestraApp(app);
}

/**
 * The Probot door: every webhook goes to the same core handler as the Action's events, and a
 * timer runs the scheduled sweep for each installed repository. Work on one issue (or one
 * repository's sweep) is serialised; different issues run in parallel.
 */
export function startOrkestraApp(app: Probot, options: AppOptions = {}): OrkestraApp {
  const serializer = new KeyedSerializer();
  const whoAmI = selfLogin(app);
  const lastSweep = new Map<string, Date>();
  const clock = options.clock ?? systemClock;
  // Agents are built per event; their health (circuit breakers) lasts as long as the process.
  const health = options.agentOptions?.health ?? createHealthBook();
  const agentEnv = agentEnvironment(process.env);
  const budgets = options.installationBudgets !== undefined ? options.installationBudgets : installationBudgetsFrom(process.env, clock, probotLogger(app.log));

  const servicesFor = (octokit: ProbotOctokit, log: Logger, repository: Repository, runName: string, installation?: number): Services => ({
    runName,
    github: new OctokitGitHub(octokit, { owner: repository.owner.login, repo: repository.name }, whoAmI),
    clock,
    log,
    dryRun: options.dryRun ?? process.env.ORKESTRA_DRY_RUN === "true",
    // The App's opt-in: a repository without a configuration file gets one onboarding pull request and nothing else.
    onboarding: true,
    // Unknown counts as private: then every command's permission is checked.
    repoPrivate: repository.private ?? true,
    env: options.env ?? agentEnv,
    ...(repository.default_branch ? { defaultBranch: repository.default_branch } : {}),
    agentOptions: { ...options.agentOptions, health, ...(budgets && installation !== undefined ? { sharedBudget: budgets.for(installation, octokit) } : {}) },
  });

  const run = async (octokit: ProbotOctokit, log: Logger, repository: Repository, event: IncomingEvent, runName = "app:sweep"): Promise<RunReport> => {
    const installation = (event.payload as { installation?: { id?: number } }).installation?.id;
    const services: Services = {
      ...servicesFor(octokit, log, repository, runName, installation),
      ...(event.name === "schedule" && lastSweep.has(key(repository)) ? { lastSweepAt: lastSweep.get(key(repository))! } : {}),
    };
    const report = await handleEvent(services, event);
    for (const note of report.notes) log.debug(note);
    for (const error of report.errors) log.error(error);
    for (const error of report.configErrors) log.warn(`config: ${error.path} ${error.message}`);
    const cutShort = sweepWarning(report);
    if (cutShort) log.warn(`${key(repository)}: ${cutShort}`);
    return report;
  };

  app.onAny(async (event) => {
    // onAny's type omits what Probot adds to every event (octokit, log).
    const context = event as unknown as Context;
    const repository = (context.payload as { repository?: Repository }).repository;
    if (!repository) return;
    await serializer.run(eventKey(context.payload), () =>
      run(context.octokit, probotLogger(context.log), repository, { name: context.name, payload: context.payload }, `app:${context.id}`),
    );
  });

  // Installed on repositories (all of an installation, or some added to it): those without a
  // configuration file get their onboarding pull request now rather than at the next sweep.
  app.on(["installation.created", "installation_repositories.added"], async (context) => {
    const { payload } = context;
    const added = "repositories_added" in payload ? payload.repositories_added : (payload.repositories ?? []);
    if (added.length === 0) return;
    // The payload names the repositories without their default branch: one listing gives it for all.
    const ids = new Set(added.map((repository) => repository.id));
    const accessible = await context.octokit.paginate(context.octokit.rest.apps.listReposAccessibleToInstallation, { per_page: 100 });
    for (const repository of accessible.filter(({ id }) => ids.has(id))) {
      const services = servicesFor(context.octokit, probotLogger(context.log), repository, `app:${context.id}`, payload.installation.id);
      try {
        const report = await serializer.run(`${key(repository)}#sweep`, () => onInstalled(services));
        for (const note of report.notes) context.log.debug(note);
        for (const error of report.errors) context.log.error(`${key(repository)}: ${error}`);
      } catch (error) {
        // One repository's failure must not keep the others of the installation waiting.
        context.log.error(`onboarding of ${key(repository)} failed: ${String(error)}`);
      }
    }
  });

  const sweepAll = async (): Promise<RunReport[]> => {
    const reports: RunReport[] = [];
    const appOctokit = await app.auth();
    const installations = await appOctokit.paginate(appOctokit.rest.apps.listInstallations, { per_page: 100 });
    for (const installation of installations) {
      if (installation.suspended_at) continue;
      try {
        const octokit = await app.auth(installation.id);
        const repositories = await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, { per_page: 100 });
        for (const repository of repositories) {
          const payload = { repository, installation: { id: installation.id } };
          try {
            // The next sweep re-checks what changed since this one *started*: its own writes too.
            const started = clock.now();
            const report = await serializer.run(`${key(repository)}#sweep`, () =>
              run(octokit, probotLogger(app.log), repository, { name: "schedule", payload }),
            );
            if (report.sweep === "ran") lastSweep.set(key(repository), started);
            reports.push(report);
          } catch (error) {
            // One repository's failure must not stop the sweep of the others.
            app.log.error(`sweep of ${key(repository)} failed: ${String(error)}`);
          }
        }
      } catch (error) {
        app.log.error(`sweep of installation ${installation.id} failed: ${String(error)}`);
      }
    }
    return reports;
  };

  const tick = Number(options.sweepTickMinutes ?? process.env.ORKESTRA_SWEEP_MINUTES ?? 15);
  const timer = tick > 0 ? setInterval(() => void sweepAll().catch((error: unknown) => app.log.error(String(error))), tick * 60_000) : null;
  timer?.unref();
  return { sweepAll, stop: () => timer && clearInterval(timer) };
}

function key(repository: Repository): string {
  return `${repository.owner.login}/${repository.name}`;
}

/** The app's bot login (`<slug>[bot]`), asked once per process (again after a failure); unknown with token auth. */
function selfLogin(app: Probot): () => Promise<string | undefined> {
  let login: Promise<string | undefined> | undefined;
  return () =>
    (login ??= app
      .auth()
      .then((octokit) => octokit.rest.apps.getAuthenticated())
      .then(({ data }) => (data?.slug ? `${data.slug}[bot]` : undefined))
      .catch(() => {
        login = undefined;
        return undefined;
      }));
}

function probotLogger(log: Context["log"]): Logger {
  return {
    debug: (message) => log.debug(message),
    info: (message) => log.info(message),
    warn: (message) => log.warn(message),
    error: (message) => log.error(message),
  };
}

/**
 * The App operator's cap on what all repositories of one installation spend on agents per UTC
 * day together (`ORKESTRA_INSTALLATION_BUDGET_USD`), on top of each repository's `budgets.perDay`.
 *
 * The App keeps no state of its own: each repository's day record (`refs/orkestra/usage/<day>`,
 * src/runtime/usage-store.ts) is the truth. A process seeds an installation's day total by reading
 * those records, adds what its own runs spend as they spend it, and reads them again when the
 * seed is older than RESEED_MS; the total never goes down within a day. So what another replica
 * spent reaches this one's total within RESEED_MS of being recorded (docs/deploy.md).
 */
import type { ProbotOctokit } from "probot";
import type { SharedDayBudget } from "../agents/index.js";
import type { Clock } from "../domain/clock.js";
import { OctokitGitHub } from "../github/octokit.js";
import { GitUsageStore } from "../runtime/usage-store.js";
import type { Logger } from "../shared/logger.js";

export const INSTALLATION_BUDGET_SETTING = "ORKESTRA_INSTALLATION_BUDGET_USD";

/** How old a seed may be before the next agent call reads the records again (the sweep's default tick). */
const RESEED_MS = 15 * 60_000;

interface DayTotal {
  day: string;
  /** USD the installation spent on `day`: the records as last read, plus this process's spending since. */
  total: number;
  seededAt: number | null;
  seeding: Promise<void> | null;
}

interface Installation {
  day: DayTotal;
  /** The newest client of the installation (tokens expire after an hour), for the next read. */
  octokit: ProbotOctokit;
}

/** The operator's setting, or null when unset; anything but a positive amount stops the App at start. */
export function installationBudgetsFrom(env: Record<string, string | undefined>, clock: Clock, log: Logger): InstallationBudgets | null {
  const raw = env[INSTALLATION_BUDGET_SETTING]?.trim();
  if (!raw) return null;
  const amount = Number(raw);
  if (!Number.isFinite(amount) || amount <= 0) throw new Error(`${INSTALLATION_BUDGET_SETTING} must be a positive amount of USD (e.g. 50), not "${raw}"`);
  return new InstallationBudgets(amount, clock, log);
}

export class InstallationBudgets {
  private readonly installations = new Map<number, Installation>();

  constructor(
    readonly maxCostUsd: number,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly reseedMs = RESEED_MS,
  ) {}

  /** One installation's shared budget, read (when a seed is due) with this client of it. */
  for(installationId: number, octokit: ProbotOctokit): SharedDayBudget {
    const known = this.installations.get(installationId);
    if (known) known.octokit = octokit;
    else this.installations.set(installationId, { octokit, day: { day: "", total: 0, seededAt: null, seeding: null } });
    return {
      setting: INSTALLATION_BUDGET_SETTING,
      maxCostUsd: this.maxCostUsd,
      spent: (day) => this.spent(installationId, day),
      add: (day, costUsd) => {
        const state = this.dayOf(installationId, day);
        state.total += costUsd;
      },
    };
  }

  private dayOf(installationId: number, day: string): DayTotal {
    const installation = this.installations.get(installationId)!;
    if (installation.day.day !== day) installation.day = { day, total: 0, seededAt: null, seeding: null };
    return installation.day;
  }

  private async spent(installationId: number, day: string): Promise<number> {
    const state = this.dayOf(installationId, day);
    const now = this.clock.now().getTime();
    if (!state.seeding && (state.seededAt === null || now - state.seededAt >= this.reseedMs)) {
      const addedBefore = state.total;
      state.seededAt = now;
      state.seeding = this.recorded(installationId, day).then(
        (recorded) => {
          // The records hold what was flushed; this process's spending since the read started is
          // added (some of it may be in the records already: counted twice errs on the safe side).
          state.total = Math.max(state.total, recorded + (state.total - addedBefore));
        },
        (error: unknown) => this.log.warn(`installation ${installationId}: could not read today's spending, using ${state.total.toFixed(4)} USD: ${String(error)}`),
      );
      void state.seeding.finally(() => (state.seeding = null));
    }
    await state.seeding;
    return state.total;
  }

  /** What the day records of every repository of the installation say it spent (1 listing, 1–3 reads a repository). */
  private async recorded(installationId: number, day: string): Promise<number> {
    const { octokit } = this.installations.get(installationId)!;
    const repositories = await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, { per_page: 100 });
    let total = 0;
    for (const repository of repositories) {
      const github = new OctokitGitHub(octokit, { owner: repository.owner.login, repo: repository.name }, () => Promise.resolve(undefined));
      const store = new GitUsageStore(github, () => Promise.reject(new Error("reading the installation's spending writes nothing")), repository.default_branch);
      total += (await store.load(day)).costUsd;
    }
    return total;
  }
}

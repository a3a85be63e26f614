import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Probot, ProbotOctokit } from "probot";
import { runAction } from "../../src/action/main.js";
import type { Env } from "../../src/agents/index.js";
import { startOrkestraApp, type OrkestraApp } from "../../src/app/index.js";
import type { InstallationBudgets } from "../../src/app/installation-budget.js";
import { CONFIG_PATH } from "../../src/config/schema.js";
import { starterConfig } from "../../src/config/starter.js";
import { fixedClock } from "../../tools/fixed-clock.js";
import type { RunReport, Services } from "../../src/runtime/context.js";
import { silentLogger } from "../../src/shared/logger.js";
import { startSandbox, type Sandbox, type SandboxEvent, type SandboxOptions } from "../../tools/sandbox/index.js";
import { scriptedProvider } from "../../tools/scripted/index.js";

/** The two ways into Orkestra; every scenario runs through both. */
export type Door = "app" | "action";
export const DOORS: Door[] = ["app", "action"];

const START = "2026-11-21T09:00:00Z";

export interface Harness {
  door: Door;
  sandbox: Sandbox;
  clock: ReturnType<typeof fixedClock>;
  /** Reports of the Action runs (the app door leaves this empty). */
  reports: RunReport[];
  /** Lets every delivery (and what it causes) be handled. */
  settle(): Promise<void>;
  /** Runs the scheduled sweep through this door: the app's timer tick, or an Action `schedule` run. */
  sweep(options?: { dryRun?: boolean }): Promise<RunReport[]>;
  /** Hands an already delivered event to Orkestra again, as GitHub's redelivery does. */
  redeliver(event: SandboxEvent): Promise<void>;
  /** Hands Orkestra an event with this payload (e.g. a recorded one) through this door. */
  deliver(name: string, payload: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

interface HarnessOptions extends SandboxOptions {
  /**
   * The repository's `.github/orkestra.yml`: by default the onboarding pull request's starter (all
   * commented out: the defaults), as in a repository that merged it; null for none (the App then
   * onboards; the Action uses the defaults). A test's `files` entry for the path wins.
   */
  config?: string | null;
}

interface OrkestraOptions {
  /** Where agent keys come from; empty by default so no real agent is ever on. */
  env?: Env;
  agentOptions?: Services["agentOptions"];
  /** False: the sandbox's own events are not handed to Orkestra (the test delivers what it wants). */
  autoDeliver?: boolean;
  /** The app door's installation budget (one object stands for one process, whatever the repositories). */
  installationBudgets?: InstallationBudgets;
}

let privateKey: string | undefined;
function appKey(): string {
  privateKey ??= generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  return privateKey;
}

/**
 * A local GitHub with Orkestra attached through one door: the Probot app receiving every
 * webhook (authenticating as a GitHub App), or the Action run for each event that would start
 * a workflow (events caused by the Actions token start none, as on GitHub).
 */
export async function startHarness(door: Door, options: HarnessOptions = {}, orkestra: OrkestraOptions = {}): Promise<Harness> {
  const clock = fixedClock(START);
  const { config = starterConfig(), ...sandboxOptions } = options;
  const sandbox = await startSandbox({
    owner: "octo-org",
    repo: "orkestra-demo",
    collaborators: { alice: "write", trish: "triage", rita: "read", mona: "maintain" },
    clock,
    // Most repositories that run agents turn this on; a test of the default passes false.
    actionsCanCreatePullRequests: true,
    ...sandboxOptions,
    // A test's own files (its configuration among them) win over the seeded one.
    files: config === null ? { ...sandboxOptions.files } : { [CONFIG_PATH]: config, ...sandboxOptions.files },
  });
  const env = orkestra.env ?? {};
  const agentOptions = { scripted: scriptedProvider(), ...orkestra.agentOptions };
  const reports: RunReport[] = [];
  const [harness, deliver] =
    door === "app" ? appHarness(sandbox, clock, env, agentOptions, reports, orkestra.installationBudgets ?? null) : actionHarness(sandbox, clock, env, agentOptions, reports);
  if (orkestra.autoDeliver !== false) sandbox.onEvent(deliver);
  return harness;
}

function appHarness(
  sandbox: Sandbox,
  clock: Harness["clock"],
  env: Env,
  agentOptions: NonNullable<Services["agentOptions"]>,
  reports: RunReport[],
  installationBudgets: InstallationBudgets | null,
): [Harness, (event: SandboxEvent) => Promise<void>] {
  const probot = new Probot({
    appId: sandbox.app.id,
    privateKey: appKey(),
    baseUrl: sandbox.url,
    logLevel: "fatal",
    // Probot 14 passes its own throttle options over object-form defaults, so only the
    // function form really turns pacing off (GitHub's 1 write/s would slow every test).
    Octokit: ProbotOctokit.defaults((options: { throttle?: object }) => ({
      ...options,
      retry: { enabled: false },
      throttle: { ...options.throttle, enabled: false },
    })),
  });
  const app: OrkestraApp = startOrkestraApp(probot, { clock, dryRun: false, env, agentOptions, sweepTickMinutes: 0, installationBudgets });
  const dryApp: OrkestraApp = startOrkestraApp(new Probot({ appId: sandbox.app.id, privateKey: appKey(), baseUrl: sandbox.url, logLevel: "fatal" }), {
    clock,
    dryRun: true,
    env,
    agentOptions,
    sweepTickMinutes: 0,
    installationBudgets: null,
  });
  const deliver = (event: SandboxEvent) => probot.receive({ id: event.id, name: event.name, payload: event.payload } as never);
  const harness: Harness = {
    door: "app",
    sandbox,
    clock,
    reports,
    settle: () => sandbox.settled(),
    async sweep(options = {}) {
      const swept = await (options.dryRun ? dryApp : app).sweepAll();
      await sandbox.settled();
      reports.push(...swept);
      return swept;
    },
    async redeliver(event) {
      await deliver(event);
      await sandbox.settled();
    },
    async deliver(name, payload) {
      await deliver({ name, id: "recorded", payload, actor: { login: "?", type: "User" }, viaActionsToken: false });
      await sandbox.settled();
    },
    close: () => closeChecked(sandbox),
  };
  return [harness, deliver];
}

function actionHarness(
  sandbox: Sandbox,
  clock: Harness["clock"],
  env: Env,
  agentOptions: NonNullable<Services["agentOptions"]>,
  reports: RunReport[],
): [Harness, (event: SandboxEvent) => Promise<void>] {
  const dir = mkdtempSync(join(tmpdir(), "orkestra-action-"));
  let runs = 0;
  const runEvent = async (name: string, payload: unknown, dryRun = false): Promise<RunReport> => {
    const eventPath = join(dir, `event-${++runs}.json`);
    writeFileSync(eventPath, JSON.stringify(payload));
    const jobEnv = {
      ...env,
      GITHUB_EVENT_NAME: name,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_REPOSITORY: `${sandbox.owner}/${sandbox.repo}`,
      GITHUB_API_URL: sandbox.url,
      GITHUB_TOKEN: sandbox.tokens.actions,
      GITHUB_REF: `refs/heads/${sandbox.defaultBranch}`,
    };
    const report = await runAction({ env: jobEnv, clock, log: silentLogger, throttle: false, agentOptions, dryRun });
    reports.push(report);
    return report;
  };
  const deliver = async (event: SandboxEvent) => {
    if (!event.viaActionsToken) await runEvent(event.name, event.payload);
  };
  const harness: Harness = {
    door: "action",
    sandbox,
    clock,
    reports,
    settle: () => sandbox.settled(),
    async sweep(options = {}) {
      // A scheduled run's payload is only the schedule and the workflow, as GitHub sends it.
      const payload = { schedule: "*/15 * * * *", workflow: ".github/workflows/orkestra.yml" };
      const report = await runEvent("schedule", payload, options.dryRun ?? false);
      await sandbox.settled();
      return [report];
    },
    async redeliver(event) {
      await deliver(event);
      await sandbox.settled();
    },
    async deliver(name, payload) {
      await deliver({ name, id: "recorded", payload, actor: { login: "?", type: "User" }, viaActionsToken: false });
      await sandbox.settled();
    },
    close: () => closeChecked(sandbox),
  };
  return [harness, deliver];
}

/** Closes the sandbox, failing the test when any request or response broke GitHub's OpenAPI description. */
async function closeChecked(sandbox: Sandbox): Promise<void> {
  await sandbox.close();
  if (sandbox.violations.length > 0) {
    throw new Error(`requests or responses that GitHub's OpenAPI description rejects:\n${sandbox.violations.map((v) => `${v.kind} ${v.method} ${v.path}: ${v.message}`).join("\n")}`);
  }
}

const AUTH_ROUTE = /^(GET \/app|GET \/app\/installations|GET \/installation\/repositories|POST \/app\/installations\/\{installation_id\}\/access_tokens)$/;

/** Requests Orkestra made, as `METHOD /route`, without the app's own authentication. */
export function orkestraRequests(sandbox: Sandbox): string[] {
  return sandbox.requests
    .map((request) => request.route ?? `${request.method} ${request.path}`)
    .filter((line) => !AUTH_ROUTE.test(line));
}

/** Label names on an issue, sorted. */
export function labelsOf(sandbox: Sandbox, number: number): string[] {
  return (sandbox.state.issue(number)?.labels ?? [])
    .map((label) => (typeof label === "string" ? label : (label.name ?? "")))
    .sort();
}

/** Bodies of the comments Orkestra wrote on an issue. */
export function botComments(sandbox: Sandbox, number: number): string[] {
  return sandbox.state
    .comments(number)
    .filter((comment) => comment.user?.type === "Bot")
    .map((comment) => comment.body ?? "");
}

/** Reaction contents on a comment, in order. */
export function reactionsOn(sandbox: Sandbox, commentId: number): string[] {
  return sandbox.state.reactions(commentId).map((reaction) => reaction.content);
}

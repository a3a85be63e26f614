import { readFileSync } from "node:fs";
import * as core from "@actions/core";
import { getOctokit } from "@actions/github";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { type Clock } from "../domain/clock.js";
import { systemClock } from "../shared/clock.js";
import { OctokitGitHub, type OctokitClient } from "../github/octokit.js";
import { requestLimiters } from "../github/limits.js";
import { rateLimitRetry } from "../github/rate-limits.js";
import { JOB_TOKEN_LOGIN } from "../github/port.js";
import { handleEvent } from "../handlers/index.js";
import type { RunReport, Services } from "../runtime/context.js";
import { MAX_ERROR_ANNOTATIONS, renderReport } from "./summary.js";
import { prepareStep, publishStep, workStep, type StepDeps } from "./worker/steps.js";
import { configPathOf } from "../handlers/config.js";
import { CONFIG_PATH } from "../config/schema.js";
import { ACTION_OUTPUTS, KEY_INPUTS, configPathInput, declaredInputs, eventOutputs, inputsOf } from "./surface.js";
import type { Logger } from "../shared/logger.js";

interface ActionEnv {
  [name: string]: string | undefined;
}

interface ActionOptions {
  env?: ActionEnv;
  agentOptions?: Services["agentOptions"];
  clock?: Clock;
  log?: Logger;
  /**
   * Pace writes as GitHub asks (≤ 1 content-creating request a second) and wait seconds between
   * retries; tests turn it off (retries still happen, milliseconds apart).
   */
  throttle?: boolean;
  /** Overrides the `dry-run` input (tests). */
  dryRun?: boolean;
}

/**
 * The Action door: one event (or one scheduled run) per job. It reads what GitHub gives a
 * job — the event name and payload file, the repository, the API URL — builds an Octokit
 * with the retry and throttling plugins, and calls the same core as the Probot app.
 */
export async function runAction(options: ActionOptions = {}): Promise<RunReport> {
  const { env = process.env } = options;
  const eventName = required(env, "GITHUB_EVENT_NAME");
  const payload: unknown = JSON.parse(readFileSync(required(env, "GITHUB_EVENT_PATH"), "utf8"));
  const annotate = errorAnnotations();
  const log = options.log ?? actionLogger(annotate);
  // Inputs as @actions/core reads them: from process.env, where a runner puts them.
  const { services, dryRun } = await actionServices({ ...options, log }, declaredInputs(core.getInput), payload, scheduledBranch(eventName, env));
  const report = await handleEvent(services, { name: eventName, payload });
  const configFile = configPathOf(services);
  // Annotations for as many configuration errors as are shown, the last one counting the rest.
  const shown = report.configErrors.length <= annotate.left() ? report.configErrors.length : Math.max(annotate.left() - 1, 0);
  for (const error of report.configErrors.slice(0, shown)) {
    annotate(`${error.path ? `${error.path}: ` : ""}${error.message}`, {
      title: "Invalid Orkestra configuration",
      file: configFile,
      ...(error.line ? { startLine: error.line } : {}),
      ...(error.column ? { startColumn: error.column } : {}),
    });
  }
  const rest = report.configErrors.length - shown;
  if (rest > 0) annotate(`and ${rest} more configuration errors: all are listed in the job summary`, { title: "Invalid Orkestra configuration", file: configFile });
  if (env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(renderReport(eventName, report, dryRun)).write();
  return report;
}

type ActionMode = "event" | "worker-prepare" | "worker" | "publish";
const MODES: readonly ActionMode[] = ["event", "worker-prepare", "worker", "publish"];

interface ModeResult {
  mode: ActionMode;
  report: RunReport;
  /** Step outputs to set: `result`, `actions`, … for `event`; `base-sha`, … for the worker modes. */
  outputs: Record<string, string>;
}

/**
 * The Action by its `mode` input: `event` (the default) handles the job's event as `runAction`
 * always has; the other modes are the steps of the worker workflow (see worker/steps.ts).
 */
export async function runActionMode(options: ActionOptions = {}): Promise<ModeResult> {
  const { env = process.env, log = actionLogger(errorAnnotations()) } = options;
  const input = inputsOf(env);
  const mode = (input("mode") || "event") as ActionMode;
  if (!MODES.includes(mode)) throw new Error(`\`mode\` is ${JSON.stringify(mode)}, expected one of ${MODES.join(", ")}`);
  if (mode === "event") {
    const report = await runAction(options);
    return { mode, report, outputs: eventOutputs(report) };
  }
  const deps: StepDeps = {
    input,
    env,
    log,
    async connect() {
      const path = env.GITHUB_EVENT_PATH;
      const payload: unknown = path ? JSON.parse(readFileSync(path, "utf8")) : {};
      return (await actionServices({ ...options, env, log }, input, payload, undefined)).services;
    },
    keysEnv: () => agentEnv(env, input),
  };
  const step = mode === "worker-prepare" ? prepareStep : mode === "worker" ? workStep : publishStep;
  const { report, outputs } = await step(deps);
  const undeclared = Object.keys(outputs).filter((name) => !ACTION_OUTPUTS.includes(name));
  if (undeclared.length > 0) throw new Error(`the Action sets outputs action.yml does not declare: ${undeclared.join(", ")}`);
  const dryRun = options.dryRun ?? (input("dry-run") !== "" && isTrue(input("dry-run")));
  if (env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(renderReport(`mode: ${mode}`, report, dryRun)).write();
  return { mode, report, outputs };
}

/** What the core needs from a job: the token's client, who it writes as, the repository from the payload. */
async function actionServices(
  options: ActionOptions,
  getInput: (name: string) => string,
  payload: unknown,
  fallbackBranch: string | undefined,
): Promise<{ services: Services; dryRun: boolean }> {
  const { env = process.env, clock = systemClock, log = actionLogger(errorAnnotations()), throttle = true } = options;
  const token = getInput("github-token") || env.GITHUB_TOKEN;
  if (!token) throw new Error("no token: set the `github-token` input (defaults to the job's GITHUB_TOKEN)");
  const [owner, repo] = required(env, "GITHUB_REPOSITORY").split("/");
  if (!owner || !repo) throw new Error("GITHUB_REPOSITORY must look like owner/repo");
  const dryRun = options.dryRun ?? (getInput("dry-run") !== "" && isTrue(getInput("dry-run")));
  // Checked before any request: a bad path fails the step and reads nothing.
  const configPath = configPathInput(getInput("config-path"));
  const octokit = createActionOctokit(token, env.GITHUB_API_URL ?? "https://api.github.com", log, throttle);
  const repository = (payload as { repository?: { private?: boolean; default_branch?: string } }).repository;
  const defaultBranch = repository?.default_branch ?? fallbackBranch;
  const services: Services = {
    // Who the token writes as is asked only when a run needs it (a comment to read, a sender to compare).
    github: new OctokitGitHub(octokit, { owner, repo }, () => tokenLogin(octokit, token, env, log)),
    clock,
    log,
    dryRun,
    // Webhook and `schedule` payloads name the repository (scheduled ones since 2022-09); one
    // that does not (a hand-made `workflow_dispatch` test, an old GHES) counts as private.
    repoPrivate: repository?.private ?? true,
    ...(defaultBranch ? { defaultBranch } : {}),
    env: agentEnv(env, getInput),
    ...(configPath === CONFIG_PATH ? {} : { configPath }),
    ...(options.agentOptions ? { agentOptions: options.agentOptions } : {}),
  };
  return { services, dryRun };
}

/** core.getBooleanInput's reading (YAML 1.2 core schema), which throws on anything else. */
function isTrue(value: string): boolean {
  if (["true", "True", "TRUE"].includes(value)) return true;
  if (["false", "False", "FALSE"].includes(value)) return false;
  throw new TypeError(`Input does not meet YAML 1.2 "Core Schema" specification: dry-run\nSupport boolean input list: \`true | True | TRUE | false | False | FALSE\``);
}

/**
 * The Action's client: retried (plugin-retry), rate limits handled and writes paced
 * (plugin-throttling), with timer-free limiters where every request passes (src/github/limits.ts).
 * Exported for tests and bench/idle.ts; `limiters: false` builds it as before them (bench only).
 */
export function createActionOctokit(token: string, baseUrl: string, log: Logger, throttle = true, limiters = true): OctokitClient {
  return getOctokit(
    token,
    {
      baseUrl,
      // plugin-retry waits retryAfterBaseValue × n² ms before the n-th retry (1 s, 4 s, 9 s by default).
      ...(throttle ? {} : { retry: { retryAfterBaseValue: 1 } }),
      throttle: {
        enabled: throttle,
        onRateLimit: rateLimitRetry("rate limit", log),
        onSecondaryRateLimit: rateLimitRetry("secondary rate limit", log),
        ...(limiters ? requestLimiters() : {}),
      },
    },
    retry,
    throttling,
  );
}

/**
 * Who Orkestra writes as: `github-actions[bot]` with the job's GITHUB_TOKEN, an App's
 * `<slug>[bot]` with its installation token, or a PAT's user. GraphQL's `viewer` answers for every
 * kind of token, where REST `GET /user` refuses installation tokens (403) — and the job's token
 * reaches the Action as its `github-token` input, not as `GITHUB_TOKEN` in the environment. Unknown
 * (the query failed) leaves Orkestra trusting any bot's comment, so the failure is logged.
 */
async function tokenLogin(octokit: OctokitClient, token: string, env: ActionEnv, log: Logger): Promise<string | undefined> {
  if (token === env.GITHUB_TOKEN) return JOB_TOKEN_LOGIN;
  try {
    const answer = await octokit.graphql<{ viewer: { login: string } }>("query { viewer { login } }");
    return answer.viewer.login;
  } catch (error) {
    log.warn(`could not learn which login the token writes as (${String(error)}); any bot's comment may be taken for Orkestra's`);
    return undefined;
  }
}

/**
 * GitHub runs `schedule` on the default branch: its payload's `repository.default_branch` says
 * which, and GITHUB_REF too — the fallback for a payload without `repository`.
 */
function scheduledBranch(eventName: string, env: ActionEnv): string | undefined {
  if (eventName !== "schedule") return undefined;
  return env.GITHUB_REF?.replace(/^refs\/heads\//, "") || undefined;
}

/** The environment agents read keys from: the job's, plus keys given as inputs (masked in logs). */
function agentEnv(env: ActionEnv, getInput: (name: string) => string): ActionEnv {
  const merged = { ...env };
  for (const [input, name] of Object.entries(KEY_INPUTS)) {
    const value = getInput(input);
    if (!value) continue;
    core.setSecret(value);
    merged[name] = value;
  }
  return merged;
}

function required(env: ActionEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set: is this running inside GitHub Actions?`);
  return value;
}

function actionLogger(annotate: Annotate): Logger {
  return { debug: core.debug, info: core.info, warn: core.warning, error: (message) => annotate(message) };
}

interface Annotate {
  (message: string, properties?: core.AnnotationProperties): void;
  /** Error annotations still shown in this step. */
  left(): number;
}

/**
 * Error annotations for one step: GitHub shows only 10 per step, and the step's failure message
 * (`core.setFailed`) is one of them, so at most 9 here; later errors go to the log as plain lines.
 * Every error is in the job summary as well.
 */
function errorAnnotations(limit = MAX_ERROR_ANNOTATIONS - 1): Annotate {
  let used = 0;
  const annotate = (message: string, properties?: core.AnnotationProperties): void => {
    if (used >= limit) return core.info(`Error: ${message}`);
    used += 1;
    core.error(message, properties);
  };
  return Object.assign(annotate, { left: () => limit - used });
}

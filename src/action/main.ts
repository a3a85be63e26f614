import { readFileSync } from "node:fs";
import * as core from "@actions/core";
import { getOctokit } from "@actions/github";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { type Clock } from "../domain/clock.js";
import { systemClock } from "../shared/clock.js";
import { OctokitGitHub, type OctokitClient } from "../github/octokit.js";
import { rateLimitRetry } from "../github/rate-limits.js";
import { handleEvent } from "../handlers/index.js";
import type { RunReport, Services } from "../runtime/context.js";
import { renderReport } from "./summary.js";
import { CONFIG_PATH } from "../config/schema.js";
import type { Logger } from "../shared/logger.js";

interface ActionEnv {
  [name: string]: string | undefined;
}

/** Action inputs for agent keys and the environment variable each one stands for. */
const KEY_INPUTS: Record<string, string> = {
  "anthropic-api-key": "ANTHROPIC_API_KEY",
  "openai-api-key": "OPENAI_API_KEY",
  "gemini-api-key": "GEMINI_API_KEY",
  "xai-api-key": "XAI_API_KEY",
  "copilot-github-token": "COPILOT_GITHUB_TOKEN",
};

interface ActionOptions {
  env?: ActionEnv;
  agentOptions?: Services["agentOptions"];
  clock?: Clock;
  log?: Logger;
  /** Pace writes as GitHub asks (≤ 1 content-creating request a second); tests turn it off. */
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
  const { env = process.env, clock = systemClock, log = actionLogger(), throttle = true } = options;
  const token = core.getInput("github-token") || env.GITHUB_TOKEN;
  if (!token) throw new Error("no token: set the `github-token` input (defaults to the job's GITHUB_TOKEN)");
  const eventName = required(env, "GITHUB_EVENT_NAME");
  const payload: unknown = JSON.parse(readFileSync(required(env, "GITHUB_EVENT_PATH"), "utf8"));
  const [owner, repo] = required(env, "GITHUB_REPOSITORY").split("/");
  if (!owner || !repo) throw new Error("GITHUB_REPOSITORY must look like owner/repo");
  const dryRun = options.dryRun ?? (core.getInput("dry-run") !== "" && core.getBooleanInput("dry-run"));
  const octokit = createActionOctokit(token, env.GITHUB_API_URL ?? "https://api.github.com", log, throttle);
  const repository = (payload as { repository?: { private?: boolean; default_branch?: string } }).repository;
  const self = await tokenLogin(octokit, token, env);
  const defaultBranch = repository?.default_branch ?? scheduledBranch(eventName, env);
  const report = await handleEvent(
    {
      github: new OctokitGitHub(octokit, { owner, repo }, self),
      clock,
      log,
      dryRun,
      // A scheduled run's payload names no repository: unknown counts as private.
      repoPrivate: repository?.private ?? true,
      ...(self ? { self } : {}),
      ...(defaultBranch ? { defaultBranch } : {}),
      env: agentEnv(env),
      ...(options.agentOptions ? { agentOptions: options.agentOptions } : {}),
    },
    { name: eventName, payload },
  );
  for (const error of report.configErrors) {
    core.error(`${error.path ? `${error.path}: ` : ""}${error.message}`, {
      title: "Invalid Orkestra configuration",
      file: CONFIG_PATH,
      ...(error.line ? { startLine: error.line } : {}),
      ...(error.column ? { startColumn: error.column } : {}),
    });
  }
  if (env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(renderReport(eventName, report, dryRun)).write();
  return report;
}

function createActionOctokit(token: string, baseUrl: string, log: Logger, throttle = true): OctokitClient {
  return getOctokit(
    token,
    {
      baseUrl,
      throttle: {
        enabled: throttle,
        onRateLimit: rateLimitRetry("rate limit", log),
        onSecondaryRateLimit: rateLimitRetry("secondary rate limit", log),
      },
    },
    retry,
    throttling,
  );
}

/**
 * Who Orkestra writes as: `github-actions[bot]` with the job's GITHUB_TOKEN, otherwise the
 * token's user (a PAT) — or unknown (an app token), when any bot's comment may be Orkestra's.
 */
async function tokenLogin(octokit: OctokitClient, token: string, env: ActionEnv): Promise<string | undefined> {
  if (token === env.GITHUB_TOKEN) return "github-actions[bot]";
  try {
    return (await octokit.rest.users.getAuthenticated()).data.login;
  } catch {
    return undefined;
  }
}

/** GitHub runs `schedule` on the default branch, and says which in GITHUB_REF (its payload does not). */
function scheduledBranch(eventName: string, env: ActionEnv): string | undefined {
  if (eventName !== "schedule") return undefined;
  return env.GITHUB_REF?.replace(/^refs\/heads\//, "") || undefined;
}

/** The environment agents read keys from: the job's, plus keys given as inputs (masked in logs). */
function agentEnv(env: ActionEnv): ActionEnv {
  const merged = { ...env };
  for (const [input, name] of Object.entries(KEY_INPUTS)) {
    const value = core.getInput(input);
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

function actionLogger(): Logger {
  return { debug: core.debug, info: core.info, warn: core.warning, error: core.error };
}

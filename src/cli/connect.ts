import { execFile } from "node:child_process";
import { createActionOctokit } from "../action/main.js";
import type { Clock } from "../domain/clock.js";
import type { RepoRef } from "../domain/task/dependencies.js";
import { OctokitGitHub, type OctokitClient } from "../github/octokit.js";
import { GitHubError } from "../github/port.js";
import { loadConfig } from "../handlers/config.js";
import { CONFIG_PATH } from "../config/schema.js";
import { createRunContext, emptyReport, type RunContext, type Services } from "../runtime/context.js";
import { systemClock } from "../shared/clock.js";
import type { Logger } from "../shared/logger.js";

export type CliEnv = Record<string, string | undefined>;

/** A problem with how the command was called (flags, arguments): exit 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** A problem reaching GitHub (no token, a refused token, no network, no repository): exit 3. */
export class ConnectError extends Error {
  override name = "ConnectError";
}

/** What every command that talks to GitHub is given. */
export interface ConnectOptions {
  repo?: string | undefined;
  apiUrl?: string | undefined;
  /** Orkestra's own login (e.g. `github-actions[bot]`): only its comments are read as state. */
  bot?: string | undefined;
  env: CliEnv;
  /** Pace and retry as the Action does (default); tests turn it off. */
  throttle?: boolean;
  clock?: Clock;
  log?: Logger;
  /** Runs a command and returns its standard output, or null when it cannot be run or fails. */
  run?: (command: string, args: string[], env: CliEnv) => Promise<string | null>;
}

export interface Connection {
  /** The port every read goes through. */
  github: OctokitGitHub;
  /** The raw client, for what the port does not read (the repository itself, labels) and doctor's probes. */
  octokit: OctokitClient;
  repo: RepoRef;
  apiUrl: string;
  token: string;
  /** Where the token came from: `GITHUB_TOKEN`, `GH_TOKEN` or `gh auth token`. */
  tokenSource: string;
  /** Where the repository came from: `--repo`, `GITHUB_REPOSITORY` or `git remote origin`. */
  repoSource: string;
  clock: Clock;
  log: Logger;
}

const DEFAULT_API = "https://api.github.com";

/** Runs a program without a shell; its standard output, or null when it is missing or fails. */
function runProgram(command: string, args: string[], env: CliEnv): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(command, args, { env, timeout: 10_000 }, (error, stdout) => resolve(error ? null : stdout.trim()));
  });
}

/** The token: GITHUB_TOKEN, else GH_TOKEN, else what `gh auth token` prints. */
async function findToken(env: CliEnv, run = runProgram): Promise<{ token: string; source: string } | null> {
  for (const name of ["GITHUB_TOKEN", "GH_TOKEN"]) {
    const value = env[name]?.trim();
    if (value) return { token: value, source: name };
  }
  const fromGh = await run("gh", ["auth", "token"], env);
  return fromGh ? { token: fromGh, source: "gh auth token" } : null;
}

/** `owner/name` from `--repo`, else GITHUB_REPOSITORY, else the `origin` remote's URL. */
async function findRepo(flag: string | undefined, env: CliEnv, run = runProgram): Promise<{ repo: RepoRef; source: string }> {
  if (flag !== undefined) return { repo: parseRepo(flag, "--repo"), source: "--repo" };
  if (env.GITHUB_REPOSITORY) return { repo: parseRepo(env.GITHUB_REPOSITORY, "GITHUB_REPOSITORY"), source: "GITHUB_REPOSITORY" };
  const remote = await run("git", ["remote", "get-url", "origin"], env);
  const parsed = remote ? repoOfRemote(remote) : null;
  if (!parsed) {
    throw new UsageError("which repository? Pass --repo owner/name, set GITHUB_REPOSITORY, or run inside a clone whose `origin` is on GitHub");
  }
  return { repo: parsed, source: "git remote origin" };
}

function parseRepo(value: string, from: string): RepoRef {
  const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(value.trim());
  if (!match) throw new UsageError(`${from} must look like owner/name, not ${JSON.stringify(value)}`);
  return { owner: match[1]!, repo: match[2]!.replace(/\.git$/, "") };
}

/** `git@github.com:o/r.git`, `https://github.com/o/r(.git)`, `ssh://git@host/o/r.git`. */
function repoOfRemote(url: string): RepoRef | null {
  const match = /[:/]([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/?$/.exec(url.trim());
  return match ? { owner: match[1]!, repo: match[2]! } : null;
}

/** Finds the token, repository and API, and builds the port the way the Action door does. */
export async function connect(options: ConnectOptions): Promise<Connection> {
  const run = options.run ?? runProgram;
  const { repo, source: repoSource } = await findRepo(options.repo, options.env, run);
  const found = await findToken(options.env, run);
  if (!found) {
    throw new ConnectError("no GitHub token: set GITHUB_TOKEN (or GH_TOKEN), or install the GitHub CLI and run `gh auth login`");
  }
  const apiUrl = (options.apiUrl ?? options.env.GITHUB_API_URL ?? DEFAULT_API).replace(/\/+$/, "");
  if (!/^https?:\/\/\S+$/.test(apiUrl)) throw new UsageError(`--api-url must be an http(s) URL, not ${JSON.stringify(apiUrl)}`);
  const log = options.log ?? quietLogger;
  const octokit = createActionOctokit(found.token, apiUrl, log, options.throttle ?? true);
  // Orkestra's own login is not the CLI user's: without --bot, any bot's marker comment counts.
  const github = new OctokitGitHub(octokit, repo, options.bot ?? options.env.ORKESTRA_BOT_LOGIN);
  return { github, octokit, repo, apiUrl, token: found.token, tokenSource: found.source, repoSource, clock: options.clock ?? systemClock, log };
}

const quietLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

export interface RepoFacts {
  defaultBranch: string;
  private: boolean;
  fullName: string;
}

/** GET /repos/{owner}/{repo}: whether the token can read it, its default branch and visibility. */
export async function repoFacts(connection: Connection): Promise<RepoFacts> {
  const { owner, repo } = connection.repo;
  try {
    const { data } = await connection.octokit.rest.repos.get({ owner, repo });
    return { defaultBranch: data.default_branch, private: data.private, fullName: data.full_name };
  } catch (error) {
    throw asGitHubError(error, `GET /repos/${owner}/${repo}`);
  }
}

/** Services as a door hands them to the core; the CLI's are always dry: it writes nothing. */
export function cliServices(connection: Connection, facts: RepoFacts, env: CliEnv): Services {
  return {
    github: connection.github,
    clock: connection.clock,
    log: connection.log,
    dryRun: true,
    repoPrivate: facts.private,
    defaultBranch: facts.defaultBranch,
    env,
  };
}

/** A read-only run context: the repository's configuration, its label scheme and agents. */
export async function readContext(connection: Connection, env: CliEnv): Promise<RunContext> {
  const facts = await repoFacts(connection);
  const config = await loadConfig(connection.github, CONFIG_PATH);
  if (!config.ok) {
    const first = config.errors[0];
    throw new ConnectError(
      `${CONFIG_PATH} on ${facts.defaultBranch} is invalid${first ? ` (${first.line ? `line ${first.line}: ` : ""}${first.path ? `${first.path}: ` : ""}${first.message})` : ""}: run \`orkestra doctor\` or \`orkestra validate\` on a copy`,
    );
  }
  return createRunContext(cliServices(connection, facts, env), config.config, emptyReport());
}

/** Octokit's RequestError (read by shape) as a GitHubError naming the route. */
export function asGitHubError(error: unknown, route: string): GitHubError {
  if (error instanceof GitHubError) return error;
  const status = typeof error === "object" && error !== null && "status" in error && typeof error.status === "number" ? error.status : undefined;
  const message = error instanceof Error ? error.message : String(error);
  return new GitHubError(`GitHub API: ${route}: ${message}${status ? ` (${status})` : ""}`, status);
}

/** The status of a failed request, read by shape (several copies of Octokit's RequestError exist). */
export function statusOf(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null || !("status" in error)) return undefined;
  return typeof error.status === "number" ? error.status : undefined;
}

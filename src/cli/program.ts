import { createRequire } from "node:module";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import type { Clock } from "../domain/clock.js";
import { GitHubError } from "../github/port.js";
import { registerAudit } from "./commands/audit.js";
import { registerDoctor } from "./commands/doctor.js";
import { registerReads } from "./commands/read.js";
import { registerStatus } from "./commands/status.js";
import { registerSweep } from "./commands/sweep.js";
import { registerValidate } from "./commands/validate.js";
import { connect, ConnectError, statusOf, UsageError, type Connection, type ConnectOptions } from "./connect.js";
import { colorsFor, Output, type CliIO } from "./output.js";

export type { CliIO } from "./output.js";

/** Exit codes: every command ends with one of these. */
export const EXIT = { ok: 0, failed: 1, usage: 2, github: 3 } as const;

/** What tests (and only tests) change about a run. */
interface CliOptions {
  /** Pace writes and wait out retries as the Action does (default true). */
  throttle?: boolean;
  clock?: Clock;
  /** Runs `gh` and `git` for token and repository discovery (default: the real programs). */
  run?: ConnectOptions["run"];
}

/** The flags every command that reads GitHub takes. */
export interface CommonFlags {
  repo?: string;
  apiUrl?: string;
  bot?: string;
  json?: boolean;
  color?: boolean;
}

/** What a command's action gets: its output, a connection on demand, and where to put its exit code. */
export interface CommandDeps {
  io: CliIO;
  output(flags: CommonFlags): Output;
  connect(flags: CommonFlags): Promise<Connection>;
  /** The exit code of the command that ran (0 unless a command sets it). */
  exit(code: number): void;
}

/** Adds the options shared by the commands that read a repository. */
export function withRepoOptions(command: Command): Command {
  return command
    .option("-R, --repo <owner/name>", "the repository (default: GITHUB_REPOSITORY, else the `origin` remote)")
    .option("--api-url <url>", "GitHub's API (default: GITHUB_API_URL, else https://api.github.com)")
    .option("--bot <login>", "Orkestra's own login, to read only its comments as state (default: any bot; ORKESTRA_BOT_LOGIN)")
    .option("--json", "print one JSON document instead of tables")
    .option("--no-color", "no colour (also NO_COLOR)");
}

/** A positive whole number, for flags such as `--limit`. */
export function positiveInt(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError("expected a positive whole number");
  return Number(value);
}

/** An ISO 8601 date or time, for `--since` / `--until`. */
export function isoTime(value: string): string {
  const time = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(time)) throw new InvalidArgumentError("expected an ISO date or time, e.g. 2026-11-21 or 2026-11-21T09:00:00Z");
  return new Date(time).toISOString();
}

/** A choice among `values`, for flags such as `--status`. */
export function choice(flags: string, description: string, values: readonly string[]): Option {
  return new Option(flags, description).choices(values);
}

/**
 * The `orkestra` command line, in process: parses `argv` (the arguments after the program's
 * name), runs one command and returns its exit code — 0 ok, 1 a check failed, 2 a usage error,
 * 3 GitHub could not be reached or refused. It never exits the process itself.
 */
export async function runCli(argv: string[], io: CliIO, options: CliOptions = {}): Promise<number> {
  let code: number = EXIT.ok;
  const wantsJson = argv.includes("--json");
  const program = new Command("orkestra")
    .description("Orkestra from a terminal: the board, tasks, votes, plans, agents, the ledger, a dry sweep, and checks")
    .version(packageVersion(), "-v, --version")
    .showHelpAfterError("(run `orkestra --help` for usage)")
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: (text, write) => write(text) });
  const deps: CommandDeps = {
    io,
    output: (flags) => new Output(io, flags.json === true, colorsFor(io, flags.color !== false)),
    connect: (flags) =>
      connect({
        repo: flags.repo,
        apiUrl: flags.apiUrl,
        bot: flags.bot,
        env: io.env,
        ...(options.throttle !== undefined ? { throttle: options.throttle } : {}),
        ...(options.clock ? { clock: options.clock } : {}),
        ...(options.run ? { run: options.run } : {}),
      }),
    exit: (value) => {
      code = value;
    },
  };
  registerStatus(program, deps);
  registerReads(program, deps);
  registerAudit(program, deps);
  registerSweep(program, deps);
  registerValidate(program, deps);
  registerDoctor(program, deps);
  for (const command of program.commands) command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  try {
    if (argv.length === 0) {
      io.stderr(program.helpInformation());
      return EXIT.usage;
    }
    await program.parseAsync(argv, { from: "user" });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    const failure = describeFailure(error);
    if (failure.code === EXIT.failed && !(error instanceof UsageError)) {
      io.stderr(`${error instanceof Error && error.stack ? error.stack : String(error)}\n`);
    }
    io.stderr(`error: ${failure.message}\n`);
    if (wantsJson) io.stdout(`${JSON.stringify({ error: failure }, null, 2)}\n`);
    return failure.code;
  }
}

/** The exit code and a message naming what to fix. */
function describeFailure(error: unknown): { code: number; message: string } {
  if (error instanceof UsageError) return { code: EXIT.usage, message: error.message };
  if (error instanceof ConnectError) return { code: EXIT.github, message: error.message };
  const status = error instanceof GitHubError ? error.status : statusOf(error);
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof GitHubError || status !== undefined || isNetworkError(error)) {
    if (status === 401) {
      return {
        code: EXIT.github,
        message: `GitHub refused the token (401 Bad credentials): set GITHUB_TOKEN or GH_TOKEN to a valid token, or run \`gh auth login\` (${message})`,
      };
    }
    if (status === 404 && /\/repos\/[^/]+\/[^/:]+: /.test(message)) {
      return { code: EXIT.github, message: `the repository was not found, or the token cannot see it: check --repo and the token's access (${message})` };
    }
    if (isNetworkError(error)) return { code: EXIT.github, message: `could not reach GitHub: check --api-url / GITHUB_API_URL and the network (${message})` };
    return { code: EXIT.github, message };
  }
  return { code: EXIT.failed, message };
}

function isNetworkError(error: unknown): boolean {
  const cause = error instanceof Error ? error.cause : undefined;
  const text = `${error instanceof Error ? error.message : String(error)} ${cause instanceof Error ? `${cause.message} ${String((cause as { code?: unknown }).code)}` : ""}`;
  return /fetch failed|ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EAI_AGAIN|ECONNRESET|socket hang up/i.test(text);
}

/** The version in package.json, two directories up from src/cli (tsx) and lib/cli (the built bin) alike. */
function packageVersion(): string {
  try {
    const pkg = createRequire(import.meta.url)("../../package.json") as { version?: unknown };
    return typeof pkg.version === "string" ? pkg.version : "unknown";
  } catch {
    return "unknown";
  }
}

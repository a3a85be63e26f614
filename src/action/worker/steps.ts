/**
 * The Action's steps of the worker workflow (CLI mode), one per `mode`:
 *
 * - `worker-prepare` (job `work`, read-only token): asks Orkestra's core whether the dispatched job
 *   is still the task's current work, and for the CLI's prompt and the commit to check out. It
 *   writes a handover file under RUNNER_TEMP and outputs `base-sha` for `actions/checkout`; when
 *   there is nothing to run (a stale job, an agent without a CLI) it writes a failed outcome instead.
 * - `worker` (job `work`, after the checkout): checks the checkout is at that commit, runs the CLI
 *   through `runWorker` (no token in its environment) and writes the outcome file.
 * - `publish` (job `publish`, write token): reads and checks the outcome file (see outcome.ts) and
 *   hands it to the core, which runs the safe-output check and writes the branch and pull request.
 *   No file means the `work` job died: that is a failed round, so the attempt counts as failed.
 */
import { execFile } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { z } from "zod";
import { resolveAgentSpecs } from "../../agents/index.js";
import { configPathOf, loadConfig } from "../../handlers/config.js";
import type { WorkerJob, WorkerOutcome as PublishedOutcome } from "../../handlers/execution/worker.js";
import { prepareWorkerRun, publishWorkerRun } from "../../handlers/index.js";
import { emptyReport, type RunReport, type Services } from "../../runtime/context.js";
import type { Logger } from "../../shared/logger.js";
import type { WorkerAgentKind } from "./cli.js";
import { gitEnv } from "./env.js";
import { runWorker } from "./index.js";
import { readWorkerInputs } from "./inputs.js";
import { outcomeFile, readOutcomeFile, writeOutcomeFile } from "./outcome.js";

type Env = Record<string, string | undefined>;

export interface StepDeps {
  /** An input as @actions/core reads it: trimmed, "" when absent. */
  input: (name: string) => string;
  env: Env;
  log: Logger;
  /** The services for the core, with the job's token (prepare and publish only; `worker` talks to no one). */
  connect: () => Promise<Services>;
  /** The environment with the agents' keys given as inputs (the CLI's own key is picked from it). */
  keysEnv: () => Env;
}

interface StepResult {
  report: RunReport;
  /** The step's outputs (`base-sha`, …). */
  outputs: Record<string, string>;
}

const KINDS = ["claude-code", "codex", "gemini-cli", "copilot-cli"] as const satisfies readonly WorkerAgentKind[];

/** Which coding CLI works for an agent of each provider; other providers have none. */
const CLI_OF: Partial<Record<string, { kind: WorkerAgentKind; pkg: string }>> = {
  anthropic: { kind: "claude-code", pkg: "@anthropic-ai/claude-code" },
  openai: { kind: "codex", pkg: "@openai/codex" },
  gemini: { kind: "gemini-cli", pkg: "@google/gemini-cli" },
  copilot: { kind: "copilot-cli", pkg: "@github/copilot" },
};

/** What `worker-prepare` hands to `worker` in the same job (written before any agent code runs). */
const handoverSchema = z
  .object({
    version: z.literal(1),
    job: z.object({ issue: z.number(), agent: z.string(), attempt: z.number(), round: z.number() }).strict(),
    baseSha: z.string(),
    baseTree: z.string(),
    branch: z.string().nullable(),
    prompt: z.string(),
    agent: z.object({ name: z.string(), kind: z.enum(KINDS), command: z.string().nullable() }).strict(),
    maxBytes: z.number().int().positive(),
  })
  .strict();

type Handover = z.infer<typeof handoverSchema>;

const DEFAULT_TIMEOUT_MINUTES = 30;
/** A job runs at most 6 hours on GitHub-hosted runners. */
const MAX_TIMEOUT_MINUTES = 355;

export async function prepareStep(deps: StepDeps): Promise<StepResult> {
  const job = jobOf(deps.input);
  const findings = deps.input("findings") || null;
  const paths = pathsOf(deps);
  const outputs: Record<string, string> = { ready: "false", "base-sha": "", branch: "", "prompt-path": "", "agent-kind": "", "cli-package": "", "outcome-path": paths.outcome };
  const services = await deps.connect();
  const { prepared, report } = await prepareWorkerRun(services, job, findings);
  // A GitHub error or a broken configuration fails the step; publish then reports the job as failed.
  if (report.errors.length > 0 || report.configErrors.length > 0) return { report, outputs };
  const cli: CliChoice = prepared.ok ? await cliFor(services, job.agent) : { ok: false, reason: prepared.reason };
  if (!cli.ok || !prepared.ok) {
    // Handed over as a failed round: publish finds the job stale (writes nothing) or fails the attempt.
    const reason = cli.ok ? "nothing to run" : cli.reason;
    await writeOutcomeFile(paths.outcome, outcomeFile(job, null, { ok: false, reason }));
    report.notes.push(`#${job.issue}: nothing to run — ${reason}`);
    return { report, outputs };
  }
  const baseTree = (await services.github.commit(prepared.baseSha)).tree;
  const handover: Handover = {
    version: 1,
    job,
    baseSha: prepared.baseSha,
    baseTree,
    branch: prepared.branch,
    prompt: prepared.prompt,
    agent: { name: job.agent, kind: cli.kind, command: cli.command },
    maxBytes: cli.maxBytes,
  };
  await mkdir(paths.dir, { recursive: true });
  await writeFile(paths.handover, JSON.stringify(handover), { mode: 0o600 });
  await writeFile(paths.prompt, prepared.prompt, { mode: 0o600 });
  report.notes.push(`#${job.issue}: \`${job.agent}\` (${cli.kind}) works from ${prepared.baseSha}${prepared.branch ? ` (branch ${prepared.branch})` : ""}`);
  return {
    report,
    outputs: { ...outputs, ready: "true", "base-sha": prepared.baseSha, branch: prepared.branch ?? "", "prompt-path": paths.prompt, "agent-kind": cli.kind, "cli-package": cli.pkg },
  };
}

export async function workStep(deps: StepDeps): Promise<StepResult> {
  const job = jobOf(deps.input);
  const paths = pathsOf(deps);
  const report = emptyReport();
  const outputs = { "outcome-path": paths.outcome };
  const hand = async (file: ReturnType<typeof outcomeFile>) => {
    await writeOutcomeFile(paths.outcome, file);
    report.notes.push(file.ok ? `#${job.issue}: \`${job.agent}\` changed ${file.changes.length} file(s); handed over in ${paths.outcome}` : `#${job.issue}: \`${job.agent}\` failed: ${file.reason}`);
    return { report, outputs };
  };
  const handover = await readHandover(paths.handover, job);
  if (!handover.ok) {
    // A workflow without the prepare step: the attempt fails (and says why) rather than hanging.
    report.errors.push(handover.reason);
    return hand(outcomeFile(job, null, { ok: false, reason: handover.reason }));
  }
  const { value } = handover;
  const checkout = resolve(deps.input("checkout-path") || deps.env.GITHUB_WORKSPACE || process.cwd());
  const head = await checkoutHead(checkout, value, deps.env);
  if (!head.ok) return hand(outcomeFile(job, null, { ok: false, reason: head.reason }));
  const timeoutMinutes = minutesOf(deps.input("timeout-minutes"));
  const result = await runWorker({
    checkout,
    // The checkout's own commit: the same tree as the base (checked above), so the same changes.
    baseSha: head.sha,
    agent: { name: value.agent.name, kind: value.agent.kind },
    prompt: value.prompt,
    env: deps.keysEnv(),
    timeoutMs: timeoutMinutes * 60_000,
    maxBytes: value.maxBytes,
    ...(value.agent.command ? { command: value.agent.command } : {}),
  });
  for (const line of result.log) deps.log.info(line);
  return hand(outcomeFile(job, value.baseSha, result));
}

export async function publishStep(deps: StepDeps): Promise<StepResult> {
  const job = jobOf(deps.input);
  const paths = pathsOf(deps);
  const read = await readOutcomeFile(paths.outcome, job);
  if (!read.ok && !read.missing) {
    // Refused before any request: a tampered file writes nothing, not even a failed round.
    const report = emptyReport();
    report.errors.push(read.error);
    deps.log.error(read.error);
    return { report, outputs: {} };
  }
  const outcome: PublishedOutcome = read.ok ? read.outcome : { ok: false, reason: diedReason(deps), usage: { inputTokens: 0, outputTokens: 0, costUsd: null } };
  const report = await publishWorkerRun(await deps.connect(), job, outcome);
  return { report, outputs: {} };
}

function jobOf(input: (name: string) => string): WorkerJob {
  const read = readWorkerInputs(input);
  if (!read.ok) throw new Error(read.error);
  return read.inputs;
}

function pathsOf(deps: StepDeps) {
  const temp = deps.env.RUNNER_TEMP || tmpdir();
  const dir = join(temp, "orkestra-worker");
  return {
    dir,
    handover: join(dir, "prepared.json"),
    prompt: join(dir, "prompt.md"),
    outcome: resolve(deps.input("outcome-path") || join(temp, "orkestra-outcome", "outcome.json")),
  };
}

type CliChoice = { ok: true; kind: WorkerAgentKind; pkg: string; command: string | null; maxBytes: number } | { ok: false; reason: string };

async function cliFor(services: Services, name: string): Promise<CliChoice> {
  const config = await loadConfig(services.github, configPathOf(services));
  if (!config.ok) return { ok: false, reason: "the configuration is invalid" };
  const spec = resolveAgentSpecs(config.config.agents).find((agent) => agent.name === name);
  if (!spec) return { ok: false, reason: `\`${name}\` is not an agent in the configuration` };
  const cli = CLI_OF[spec.provider];
  if (!cli) return { ok: false, reason: `\`${name}\` (provider ${spec.provider}) has no coding CLI to run in the worker workflow` };
  return { ok: true, ...cli, command: spec.copilot?.command ?? null, maxBytes: config.config.execution.limits.maxBytesChanged };
}

async function readHandover(path: string, job: WorkerJob): Promise<{ ok: true; value: Handover } | { ok: false; reason: string }> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return { ok: false, reason: `no prepared work at ${path}: run Orkestra with \`mode: worker-prepare\` earlier in the same job` };
  }
  let parsed;
  try {
    parsed = handoverSchema.safeParse(JSON.parse(text));
  } catch {
    return { ok: false, reason: `the prepared work at ${path} is not JSON` };
  }
  if (!parsed.success) return { ok: false, reason: `the prepared work at ${path} is not what worker-prepare writes` };
  const { job: prepared } = parsed.data;
  if (prepared.issue !== job.issue || prepared.agent !== job.agent || prepared.attempt !== job.attempt || prepared.round !== job.round) {
    return { ok: false, reason: `the prepared work is for #${prepared.issue} attempt ${prepared.attempt} round ${prepared.round}, not this step's inputs` };
  }
  return { ok: true, value: parsed.data };
}

/** The checkout's HEAD, when its tree is the base's: `actions/checkout` with `ref: base-sha` gives exactly that. */
async function checkoutHead(checkout: string, handover: Handover, env: Env): Promise<{ ok: true; sha: string } | { ok: false; reason: string }> {
  const git = async (...args: string[]) =>
    (await promisify(execFile)("git", ["-c", `safe.directory=${checkout}`, ...args], { cwd: checkout, env: gitEnv(env), encoding: "utf8" })).stdout.trim();
  let sha: string;
  let tree: string;
  try {
    sha = await git("rev-parse", "--verify", "HEAD^{commit}");
    tree = await git("rev-parse", "--verify", "HEAD^{tree}");
  } catch {
    return { ok: false, reason: `${checkout} is not a git checkout: check out \`base-sha\` (the worker-prepare step's output) with actions/checkout first` };
  }
  if (sha !== handover.baseSha && tree !== handover.baseTree) {
    return { ok: false, reason: `the checkout is at ${sha}, not at the base ${handover.baseSha}: give actions/checkout \`ref: \${{ steps.prepare.outputs.base-sha }}\`` };
  }
  return { ok: true, sha };
}

function minutesOf(value: string): number {
  if (value === "") return DEFAULT_TIMEOUT_MINUTES;
  const minutes = Number(value);
  if (!Number.isFinite(minutes) || minutes <= 0 || minutes > MAX_TIMEOUT_MINUTES) {
    throw new Error(`\`timeout-minutes\` is ${JSON.stringify(value)}, expected a number of minutes from 1 to ${MAX_TIMEOUT_MINUTES}`);
  }
  return minutes;
}

function diedReason(deps: StepDeps): string {
  const given = deps.input("work-result");
  const result = /^[a-z_]{1,20}$/.test(given) ? given : "unknown";
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: run } = deps.env;
  const where = server && repository && run && /^\d+$/.test(run) ? ` (${server}/${repository}/actions/runs/${run})` : "";
  return `the worker workflow's \`work\` job ended (${result}) without handing over a result${where}`;
}

/**
 * The worker side of CLI worker mode: in a job with a checkout, run one coding CLI headless with
 * no write token, then collect what it changed. Writing those changes (after the safe-output
 * check) is the caller's job; nothing here talks to GitHub.
 */
import { createRedactor } from "../../agents/index.js";
import type { FileChange } from "../../domain/execution/safe-outputs.js";
import { MAX_ARGV_PROMPT_BYTES, cliInvocation, readCliOutput, tail, type CliUsage, type WorkerAgentKind } from "./cli.js";
import { collectChanges } from "./collect.js";
import { agentEnv } from "./env.js";
import { runProcess } from "./process.js";

export { readWorkerInputs, workerInputsSchema, type WorkerInputs } from "./inputs.js";
export type { WorkerAgentKind } from "./cli.js";

export interface WorkerInput {
  /** The checkout the CLI works in (the job's `actions/checkout`, credentials not persisted). */
  checkout: string;
  /** The commit the checkout started from: changes are what differs from it. */
  baseSha: string;
  agent: { name: string; kind: WorkerAgentKind };
  /** The whole prompt, built by the caller. */
  prompt: string;
  /** The environment to take PATH, HOME and the agent's key from (usually process.env plus the keys). */
  env: Record<string, string | undefined>;
  timeoutMs: number;
  /** Most bytes of new content collected; more is a failed attempt ("too large"). */
  maxBytes: number;
  /** The executable to run instead of the CLI's usual name (tests). */
  command?: string;
}

export type WorkerOutcome =
  | { ok: true; changes: FileChange[]; summary: string; usage: CliUsage; log: string[] }
  | { ok: false; reason: string; log: string[] };

/** Output kept from the CLI, per stream: enough for its JSON result, bounded for a chatty one. */
const MAX_OUTPUT_BYTES = 8 * 1024 * 1024;

/** Runs the agent's CLI in the checkout and collects its changes. Never throws. */
export async function runWorker(input: WorkerInput): Promise<WorkerOutcome> {
  const { agent } = input;
  const log: string[] = [];
  const env = agentEnv(agent.kind, input.env);
  if (!env.ok) return { ok: false, reason: `${agent.name}: ${env.reason}`, log };
  const redact = createRedactor(env.secrets);
  const fail = (reason: string): WorkerOutcome => ({ ok: false, reason: redact(`${agent.name}: ${reason}`), log: log.map(redact) });

  const invocation = cliInvocation(agent.kind, input.prompt);
  const promptBytes = Buffer.byteLength(input.prompt, "utf8");
  if (invocation.stdin === null && promptBytes > MAX_ARGV_PROMPT_BYTES) {
    return fail(`the prompt is ${promptBytes} bytes, more than ${agent.kind} can take as an argument (${MAX_ARGV_PROMPT_BYTES})`);
  }
  const command = input.command ?? invocation.command;
  log.push(`${agent.name}: running ${invocation.command} (${agent.kind}) in ${input.checkout} with a ${promptBytes}-byte prompt, no GitHub token, limit ${seconds(input.timeoutMs)}`);

  let run;
  try {
    run = await runProcess(command, invocation.args, {
      cwd: input.checkout,
      env: env.env,
      stdin: invocation.stdin,
      timeoutMs: input.timeoutMs,
      maxOutputBytes: MAX_OUTPUT_BYTES,
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return fail(`${command} was not found; install it with npm install -g ${invocation.pkg}`);
    return fail(`could not start ${command}: ${error instanceof Error ? error.message : String(error)}`);
  }
  log.push(`${agent.name}: ${invocation.command} ${run.timedOut ? "was stopped" : `exited with ${run.code ?? "a signal"}`} after ${seconds(run.durationMs)}`);
  if (run.timedOut) return fail(`${invocation.command} did not finish within the timeout of ${seconds(input.timeoutMs)} and was stopped`);
  if (run.code !== 0) {
    const output = tail([run.stderr.trim(), run.stdout.trim()].filter(Boolean).join("\n"));
    return fail(`${invocation.command} exited with ${run.code === null ? "a signal" : `code ${run.code}`}${output ? `: ${output}` : ""}`);
  }

  const result = readCliOutput(agent.kind, input.prompt, run.stdout);
  if (!result.ok) return fail(result.reason);
  if (result.estimated) log.push(`${agent.name}: no usage in the output; tokens estimated from the text`);

  const collected = await collectChanges(input.checkout, input.baseSha, input.maxBytes, input.env);
  if (!collected.ok) return fail(collected.reason);
  log.push(`${agent.name}: ${collected.changes.length} changed file(s), ${collected.bytes} bytes of new content`);
  return { ok: true, changes: collected.changes, summary: redact(result.summary), usage: result.usage, log: log.map(redact) };
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

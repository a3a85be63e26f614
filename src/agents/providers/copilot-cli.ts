/**
 * GitHub Copilot through the Copilot CLI (`@github/copilot`), the headless way GitHub offers
 * since GitHub Models (the OpenAI-compatible endpoint) was retired on 2026-07-30.
 *
 * The CLI is an agent, not a chat endpoint: it takes one prompt (`-p`), may use tools, and
 * prints its answer (`-s` prints only the answer). It has no JSON-schema mode and reports no
 * token counts, so:
 *  - a structured call runs it in an empty temporary directory with every tool denied, puts the
 *    schema in the prompt, and validates the printed JSON like any other answer; tokens are
 *    estimated locally;
 *  - a worker runs it in a checkout with an explicit allow-list of tools, and returns its summary;
 *    the caller inspects the resulting diff before anything is pushed or posted.
 * Authentication: a token in COPILOT_GITHUB_TOKEN (fine-grained PAT with "Copilot Requests", an
 * OAuth/GitHub App user token, or, in Actions, GITHUB_TOKEN with `copilot-requests: write`).
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { estimateTokens } from "../../domain/tokens.js";
import { costUsd, priceFor } from "../budget.js";
import { ProviderFailure, errorMessage } from "../failure.js";
import { systemPrompt, userPrompt } from "../prompt.js";
import type { ProviderClient, ProviderMessage, ProviderRequest, ProviderResponse } from "../provider.js";
import type { AgentRuntime } from "../runtime.js";
import type { AgentError, AgentSpec, DataBlock, Usage } from "../types.js";

/** Linux caps one argument at 128 KiB; stay under it with room for the flags. */
const MAX_PROMPT_BYTES = 120_000;

/** Tools a structured call may never use: it only reads the prompt and prints JSON. */
const NO_TOOLS = ["shell", "write", "url", "memory"];

/** Variables passed through to the CLI; everything else (other secrets) stays out of its reach. */
const PASS_ENV = ["PATH", "HOME", "USERPROFILE", "APPDATA", "LOCALAPPDATA", "SYSTEMROOT", "TMPDIR", "TEMP", "TMP", "LANG", "COPILOT_HOME"];

export interface CopilotCliOptions {
  command: string;
  token: string;
  /** "default" keeps the CLI's own model. */
  model: string;
  extraArgs: string[];
  /** The environment the CLI's PATH/HOME are taken from. */
  env: Record<string, string | undefined>;
}

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cliEnv(opts: CopilotCliOptions): Record<string, string> {
  const env: Record<string, string> = { COPILOT_GITHUB_TOKEN: opts.token, NO_COLOR: "1", COPILOT_AUTO_UPDATE: "false" };
  for (const name of PASS_ENV) {
    const value = opts.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

function modelArgs(model: string): string[] {
  return model === "default" ? [] : ["--model", model];
}

function runCli(command: string, args: string[], cwd: string, env: Record<string, string>, signal: AbortSignal): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, signal, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") reject(new ProviderFailure("provider-error", `Copilot CLI not found at "${command}"; install it with npm install -g @github/copilot`, false));
      else if (error.name === "AbortError") reject(new ProviderFailure("timeout", "the Copilot CLI was stopped at the time limit", true));
      else reject(new ProviderFailure("provider-error", `could not run the Copilot CLI: ${error.message}`, false));
    });
    child.on("close", (code) => resolve({ code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }));
  });
}

/** Reads a failed run's output: authentication and rate limits are the failures worth naming. */
function cliFailure(run: CliRun): ProviderFailure {
  const output = `${run.stderr}\n${run.stdout}`.trim();
  const tail = output.slice(-500);
  if (/rate.?limit|\b429\b|too many requests|quota/i.test(output)) return new ProviderFailure("rate-limited", `Copilot is rate limited: ${tail}`, true);
  if (/authenticat|unauthori[sz]ed|\b40[13]\b|copilot requests|not logged in|(?:no|invalid|expired) (?:\w+ )?token/i.test(output)) {
    return new ProviderFailure(
      "provider-error",
      `the Copilot CLI could not authenticate (use a fine-grained PAT with "Copilot Requests", or GITHUB_TOKEN with copilot-requests: write in Actions): ${tail}`,
      false,
    );
  }
  if (/\b50[0234]\b|service unavailable|ECONNRESET|ETIMEDOUT/i.test(output)) return new ProviderFailure("provider-error", `Copilot service error: ${tail}`, true);
  return new ProviderFailure("provider-error", `the Copilot CLI exited with code ${run.code ?? "?"}: ${tail}`, false);
}

/** The CLI takes a single prompt: the conversation so far is written out in it. */
function flattenConversation(system: string, messages: ProviderMessage[]): string {
  const turns = messages.map((m, i) => (i === 0 ? m.content : `${m.role === "assistant" ? "Your previous answer" : "Orkestra"}:\n${m.content}`));
  return `${system}\n\n${turns.join("\n\n")}`;
}

function checkSize(prompt: string): void {
  const bytes = Buffer.byteLength(prompt, "utf8");
  if (bytes > MAX_PROMPT_BYTES) {
    throw new ProviderFailure("provider-error", `prompt of ${bytes} bytes is too large for the Copilot CLI (max ${MAX_PROMPT_BYTES}); send less data`, false);
  }
}

/** Structured calls through the CLI: no tools, an empty working directory, JSON printed and validated by us. */
export function createCopilotClient(opts: CopilotCliOptions): ProviderClient {
  return {
    nativeSchema: false,
    async complete(req: ProviderRequest): Promise<ProviderResponse> {
      const prompt = flattenConversation(req.system, req.messages);
      checkSize(prompt);
      const sandbox = await mkdtemp(join(tmpdir(), "orkestra-copilot-"));
      try {
        const args = [
          "-p", prompt,
          "-s",
          "--no-ask-user",
          "--no-custom-instructions",
          "--disable-builtin-mcps",
          ...NO_TOOLS.map((tool) => `--deny-tool=${tool}`),
          ...modelArgs(opts.model),
          ...opts.extraArgs,
        ];
        const run = await runCli(opts.command, args, sandbox, cliEnv(opts), req.signal);
        if (run.code !== 0) throw cliFailure(run);
        return {
          text: run.stdout,
          refusal: null,
          truncated: false,
          inputTokens: estimateTokens(prompt),
          outputTokens: estimateTokens(run.stdout),
          estimated: true,
          model: opts.model === "default" ? "copilot" : opts.model,
        };
      } finally {
        await rm(sandbox, { recursive: true, force: true });
      }
    },
  };
}

export interface CopilotWorkRequest {
  /** The checkout the worker may change. */
  cwd: string;
  task: string;
  /** Trusted instructions from Orkestra's code. */
  instructions: string;
  /** Untrusted material (the issue, comments), delimited like in every prompt. */
  data: DataBlock[];
  timeoutMs?: number;
  /** Write the session transcript here (Copilot CLI --share) for the audit trail. */
  transcriptPath?: string;
}

export type CopilotWorkResult =
  | { ok: true; summary: string; usage: Usage }
  | { ok: false; error: AgentError; usage?: Usage };

export interface CopilotWorker {
  readonly name: string;
  /** Runs the Copilot agent in a checkout with the configured tool allow-list. Never throws. */
  work(request: CopilotWorkRequest): Promise<CopilotWorkResult>;
}

/**
 * A Copilot worker for code tasks. It does not retry (changing files is not idempotent) and it
 * cannot push: deny-listed tools win over allowed ones, and the caller decides what happens to
 * the diff. Counted against the same budgets as every agent call.
 */
export function createCopilotWorker(spec: AgentSpec, opts: CopilotCliOptions, runtime: AgentRuntime): CopilotWorker {
  const tools = spec.copilot ?? { workerAllowTools: [], workerDenyTools: [] };
  const { redact } = runtime.opts;
  return {
    name: spec.name,
    async work(request) {
      const boundary = runtime.opts.boundary();
      const prompt = `${systemPrompt(spec.name, boundary, "worker")}\n\n${userPrompt(request.task, request.instructions, request.data, boundary)}`;
      const maxOut = Math.min(spec.maxOutputTokens, runtime.opts.budgets.perCall.maxOutputTokens);
      const price = priceFor(runtime.opts.prices, spec.model === "default" ? "copilot" : spec.model);
      const inputTokens = estimateTokens(prompt);
      const budget = await runtime.admit(spec, inputTokens, maxOut, price);
      if (!budget.ok) return { ok: false, error: { kind: "budget-exceeded", message: redact(`${spec.name}: ${budget.message}`) } };
      const args = [
        "-p", prompt,
        "-s",
        "--no-ask-user",
        "--disable-builtin-mcps",
        ...tools.workerAllowTools.map((tool) => `--allow-tool=${tool}`),
        ...tools.workerDenyTools.map((tool) => `--deny-tool=${tool}`),
        ...modelArgs(opts.model),
        ...(request.transcriptPath ? [`--share=${request.transcriptPath}`] : []),
        ...opts.extraArgs,
      ];
      const started = performance.now();
      const timeoutMs = request.timeoutMs ?? spec.timeoutMs;
      try {
        checkSize(prompt);
        const run = await runCli(opts.command, args, request.cwd, cliEnv(opts), AbortSignal.timeout(timeoutMs));
        const usage: Usage = {
          inputTokens,
          outputTokens: estimateTokens(run.stdout),
          latencyMs: performance.now() - started,
          model: opts.model === "default" ? "copilot" : opts.model,
          costUsd: costUsd(price, inputTokens, estimateTokens(run.stdout)),
          estimated: true,
        };
        await runtime.record(spec.name, usage.inputTokens + usage.outputTokens, usage.costUsd);
        if (run.code !== 0) {
          const failure = cliFailure(run);
          return { ok: false, error: { kind: failure.kind, message: redact(`${spec.name}: ${failure.message}`) }, usage };
        }
        return { ok: true, summary: redact(run.stdout.trim()), usage };
      } catch (error) {
        const kind = error instanceof ProviderFailure ? error.kind : "provider-error";
        const message = error instanceof ProviderFailure && error.kind === "timeout" ? `no result within ${timeoutMs}ms` : errorMessage(error);
        return { ok: false, error: { kind, message: redact(`${spec.name}: ${message}`) } };
      }
    },
  };
}

/**
 * How each coding CLI is run headless in a checkout and how its answer is read. The CLIs edit
 * files and may run commands (tests, builds); none can push, because none holds a write token
 * (see env.ts), and each is also told not to push where it has a switch for it.
 */
import { estimateTokens } from "../../domain/tokens.js";

export type WorkerAgentKind = "claude-code" | "codex" | "gemini-cli" | "copilot-cli";

interface CliInvocation {
  /** The executable's usual name, found on PATH. */
  command: string;
  args: string[];
  /** The prompt on stdin, for the CLI that reads it there; null: stdin is empty. */
  stdin: string | null;
  /** The npm package that installs it, for the "not found" message. */
  pkg: string;
}

export interface CliUsage {
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
}

type CliResult = { ok: true; summary: string; usage: CliUsage; estimated: boolean } | { ok: false; reason: string };

/** Linux caps one argument at 128 KiB; stay under it with room for the flags. */
export const MAX_ARGV_PROMPT_BYTES = 120_000;

/** Longest summary kept (the caller posts it). */
const SUMMARY_MAX = 20_000;

export function cliInvocation(kind: WorkerAgentKind, prompt: string): CliInvocation {
  switch (kind) {
    case "claude-code":
      // acceptEdits approves file edits; in print mode anything not allowed is denied, so the
      // tools it may use are listed, and pushing is denied even though it could not succeed.
      return {
        command: "claude",
        pkg: "@anthropic-ai/claude-code",
        stdin: null,
        args: [
          "-p", prompt,
          "--output-format", "json",
          "--permission-mode", "acceptEdits",
          "--allowedTools", "Bash,Read,Glob,Grep,Edit,Write",
          "--disallowedTools", "Bash(git push:*)",
        ],
      };
    case "codex":
      // `-` reads the prompt from stdin (no argument-size limit); workspace-write lets it edit the
      // checkout and nothing outside it; --json prints events, the last agent message is the summary.
      return {
        command: "codex",
        pkg: "@openai/codex",
        stdin: prompt,
        args: ["exec", "--sandbox", "workspace-write", "--json", "--color", "never", "--ephemeral", "-"],
      };
    case "gemini-cli":
      // yolo approves every tool (shell included, for tests); there is no token to push with.
      return {
        command: "gemini",
        pkg: "@google/gemini-cli",
        stdin: null,
        args: ["-p", prompt, "--output-format", "json", "--approval-mode", "yolo"],
      };
    case "copilot-cli":
      // As src/agents/providers/copilot-cli.ts runs it, with every tool allowed but pushing, and
      // the built-in GitHub MCP server off (it would act on GitHub with the Copilot token).
      return {
        command: "copilot",
        pkg: "@github/copilot",
        stdin: null,
        args: ["-p", prompt, "-s", "--no-ask-user", "--disable-builtin-mcps", "--allow-all-tools", "--deny-tool=shell(git push)"],
      };
  }
}

/** Reads the CLI's final message and usage from its output; plain text falls back to its tail. */
export function readCliOutput(kind: WorkerAgentKind, prompt: string, stdout: string): CliResult {
  const parsed = kind === "claude-code" ? readClaude(stdout) : kind === "codex" ? readCodex(stdout) : kind === "gemini-cli" ? readGemini(stdout) : null;
  if (parsed && !parsed.ok) return parsed;
  if (parsed?.ok) return { ...parsed, summary: clip(parsed.summary) };
  // Copilot prints only its answer (-s) and no usage; other CLIs' unreadable output ends up here too.
  const summary = clip(stdout.trim());
  return { ok: true, summary, usage: { inputTokens: estimateTokens(prompt), outputTokens: estimateTokens(summary), costUsd: null }, estimated: true };
}

function readClaude(stdout: string): CliResult | null {
  const result = lastJson(stdout);
  if (!result || result.type !== "result") return null;
  const text = typeof result.result === "string" ? result.result : "";
  const subtype = typeof result.subtype === "string" ? result.subtype : "error";
  if (result.is_error === true || subtype.startsWith("error")) {
    return { ok: false, reason: `Claude Code reported an error (${subtype}): ${tail(text)}` };
  }
  const usage = record(result.usage);
  return {
    ok: true,
    summary: text,
    usage: {
      // Cached input is still input the model read (and is billed, at its own price).
      inputTokens: num(usage.input_tokens) + num(usage.cache_creation_input_tokens) + num(usage.cache_read_input_tokens),
      outputTokens: num(usage.output_tokens),
      costUsd: typeof result.total_cost_usd === "number" ? result.total_cost_usd : null,
    },
    estimated: false,
  };
}

function readCodex(stdout: string): CliResult | null {
  let summary: string | null = null;
  let inputTokens = 0;
  let outputTokens = 0;
  let events = 0;
  for (const line of stdout.split("\n")) {
    const event = parseObject(line);
    if (!event) continue;
    events++;
    if (event.type === "turn.failed" || event.type === "error") {
      const error = record(event.error);
      const message = typeof error.message === "string" ? error.message : typeof event.message === "string" ? event.message : "unknown error";
      return { ok: false, reason: `Codex reported an error: ${tail(message)}` };
    }
    if (event.type === "item.completed") {
      const item = record(event.item);
      if (item.type === "agent_message" && typeof item.text === "string") summary = item.text;
    }
    if (event.type === "turn.completed") {
      // cached_input_tokens is part of input_tokens, as in OpenAI's usage.
      const usage = record(event.usage);
      inputTokens += num(usage.input_tokens);
      outputTokens += num(usage.output_tokens);
    }
  }
  if (events === 0) return null;
  return { ok: true, summary: summary ?? "", usage: { inputTokens, outputTokens, costUsd: null }, estimated: false };
}

function readGemini(stdout: string): CliResult | null {
  const result = lastJson(stdout);
  if (!result || !("response" in result || "error" in result)) return null;
  if (result.error) {
    const error = record(result.error);
    return { ok: false, reason: `Gemini CLI reported an error: ${tail(typeof error.message === "string" ? error.message : JSON.stringify(result.error))}` };
  }
  let inputTokens = 0;
  let outputTokens = 0;
  for (const model of Object.values(record(record(result.stats).models))) {
    const tokens = record(record(model).tokens);
    inputTokens += num(tokens.prompt);
    // Thinking is billed as output.
    outputTokens += num(tokens.candidates) + num(tokens.thoughts);
  }
  return { ok: true, summary: typeof result.response === "string" ? result.response : "", usage: { inputTokens, outputTokens, costUsd: null }, estimated: false };
}

/** The output's JSON object: all of it, or its last line (some CLIs print warnings first). */
function lastJson(stdout: string): Record<string, unknown> | null {
  const whole = parseObject(stdout);
  if (whole) return whole;
  const lines = stdout.trim().split("\n");
  return parseObject(lines.at(-1) ?? "");
}

function parseObject(text: string): Record<string, unknown> | null {
  const trimmed = text.trim();
  if (!trimmed.startsWith("{")) return null;
  try {
    const value: unknown = JSON.parse(trimmed);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function num(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : 0;
}

function clip(text: string): string {
  return text.length > SUMMARY_MAX ? `${text.slice(0, SUMMARY_MAX - 1)}…` : text;
}

/** The end of a long message: where CLIs put the reason they stopped. */
export function tail(text: string, max = 500): string {
  const trimmed = text.trim();
  return trimmed.length > max ? `…${trimmed.slice(-max)}` : trimmed;
}

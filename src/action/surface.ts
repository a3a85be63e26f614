import { posix } from "node:path";
import { CONFIG_PATH } from "../config/schema.js";
import type { RunReport } from "../runtime/context.js";

/*
 * The Action's surface — the inputs it reads and the outputs it sets — as one list each, which
 * the code reads them by; tests/action/drift.test.ts ties these lists to action.yml and the README.
 */

/** Inputs that carry an agent's key, and the environment variable each one stands for. */
export const KEY_INPUTS = {
  "anthropic-api-key": "ANTHROPIC_API_KEY",
  "openai-api-key": "OPENAI_API_KEY",
  "gemini-api-key": "GEMINI_API_KEY",
  "xai-api-key": "XAI_API_KEY",
  "copilot-github-token": "COPILOT_GITHUB_TOKEN",
} as const;

/** Every input, in action.yml's order. */
export const ACTION_INPUTS = [
  "mode",
  "issue",
  "agent",
  "attempt",
  "round",
  "findings",
  "outcome-path",
  "checkout-path",
  "timeout-minutes",
  "work-result",
  "config-path",
  "github-token",
  "dry-run",
  ...(Object.keys(KEY_INPUTS) as (keyof typeof KEY_INPUTS)[]),
] as const;

/** Outputs of `mode: event`. */
const EVENT_OUTPUTS = ["result", "actions", "errors", "dashboard", "ledger-head"] as const;
/** Outputs of the worker modes (src/action/worker/steps.ts). */
const WORKER_OUTPUTS = ["ready", "base-sha", "branch", "prompt-path", "agent-kind", "cli-package", "outcome-path"] as const;
/** Every output, in action.yml's order. */
export const ACTION_OUTPUTS: readonly string[] = [...EVENT_OUTPUTS, ...WORKER_OUTPUTS];

interface ActionEnv {
  [name: string]: string | undefined;
}

/** Inputs as @actions/core reads them from the environment it is given (process.env on a runner). */
export function inputsOf(env: ActionEnv): (name: string) => string {
  return declaredInputs((name) => (env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim());
}

/** Reading an input that action.yml does not declare is a bug (a runner never sets it): it throws. */
export function declaredInputs(read: (name: string) => string): (name: string) => string {
  return (name) => {
    if (!(ACTION_INPUTS as readonly string[]).includes(name)) throw new Error(`the Action reads an input action.yml does not declare: ${name}`);
    return read(name);
  };
}

/**
 * The `config-path` input: a file in the repository, relative to its root (`.github/orkestra.yml`
 * when empty). It is read through the API, so anything that could leave the repository — an
 * absolute path, `..` — is refused before any request, naming the input.
 */
export function configPathInput(value: string): string {
  if (value === "") return CONFIG_PATH;
  const refuse = (why: string) => new Error(`\`config-path\` is ${JSON.stringify(value)}: ${why}; give a file in the repository relative to its root, like ${CONFIG_PATH}`);
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(value)) throw refuse("it holds control characters");
  if (value.includes("\\")) throw refuse("use `/` between folders");
  if (posix.isAbsolute(value) || /^[A-Za-z]:/.test(value)) throw refuse("an absolute path leaves the repository");
  const parts = value.split("/");
  if (parts.includes("..")) throw refuse("`..` leaves the repository");
  const path = posix.normalize(value);
  if (path === "." || value.endsWith("/")) throw refuse("that is a folder, not a file");
  if (path === ".git" || path.startsWith(".git/")) throw refuse("`.git` is not part of the repository's files");
  return path;
}

/** What `mode: event` tells later steps about its run. */
export function eventOutputs(report: RunReport): Record<(typeof EVENT_OUTPUTS)[number], string> {
  const errors = [...report.configErrors.map((error) => `${error.line ? `line ${error.line}: ` : ""}${error.path ? `${error.path}: ` : ""}${error.message}`), ...report.errors];
  return {
    result: resultOf(report),
    actions: String(report.actions.length),
    errors: JSON.stringify(errors),
    dashboard: report.dashboard ? String(report.dashboard) : "",
    "ledger-head": report.ledger && "head" in report.ledger ? report.ledger.head : "",
  };
}

function resultOf(report: RunReport): "ok" | "config-error" | "error" | "nothing-to-do" {
  if (report.errors.length > 0) return "error";
  if (report.configErrors.length > 0) return "config-error";
  return report.actions.length > 0 ? "ok" : "nothing-to-do";
}

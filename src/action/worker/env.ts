/**
 * The environment a coding CLI runs in: enough to work (PATH, HOME, locale, proxies) and its own
 * key, nothing else. Built from an allow-list, so a write token under any name (GITHUB_TOKEN,
 * GH_TOKEN, INPUT_GITHUB-TOKEN, ACTIONS_RUNTIME_TOKEN, another agent's key) never reaches it.
 */
import type { WorkerAgentKind } from "./cli.js";

/** What every CLI may see: the runner's basics, never a credential. */
const BASE = [
  "PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR", "TEMP", "TMP",
  "HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY", "https_proxy", "http_proxy", "no_proxy", "NODE_EXTRA_CA_CERTS",
  "RUNNER_TEMP", "RUNNER_TOOL_CACHE",
];

interface AgentKeys {
  /** Variables the CLI reads for its own configuration and key; only these prefixes pass. */
  prefixes: readonly string[];
  /** At least one must be set, or the CLI cannot authenticate. */
  keys: readonly string[];
}

/**
 * Copilot reads COPILOT_GITHUB_TOKEN before GH_TOKEN and GITHUB_TOKEN; only the first passes, so
 * a job token that happens to be in the environment is never used as the Copilot credential.
 */
const AGENT_KEYS: Record<WorkerAgentKind, AgentKeys> = {
  "claude-code": { prefixes: ["ANTHROPIC_", "CLAUDE_"], keys: ["ANTHROPIC_API_KEY", "CLAUDE_CODE_OAUTH_TOKEN"] },
  codex: { prefixes: ["OPENAI_", "CODEX_"], keys: ["OPENAI_API_KEY", "CODEX_API_KEY"] },
  "gemini-cli": { prefixes: ["GEMINI_", "GOOGLE_"], keys: ["GEMINI_API_KEY", "GOOGLE_API_KEY"] },
  "copilot-cli": { prefixes: ["COPILOT_"], keys: ["COPILOT_GITHUB_TOKEN"] },
};

/** Never passed, whatever prefix they match: write credentials and the Action's own inputs. */
const NEVER = /^(GITHUB_TOKEN|GH_TOKEN|GH_ENTERPRISE_TOKEN|GITHUB_ENTERPRISE_TOKEN|ACTIONS_.*|INPUT_.*)$/i;

type AgentEnv = { ok: true; env: Record<string, string>; secrets: string[] } | { ok: false; reason: string };

export function agentEnv(kind: WorkerAgentKind, source: Record<string, string | undefined>): AgentEnv {
  const { prefixes, keys } = AGENT_KEYS[kind];
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(source)) {
    if (value === undefined || NEVER.test(name)) continue;
    if (BASE.includes(name) || prefixes.some((prefix) => name.startsWith(prefix))) env[name] = value;
  }
  const secrets = keys.map((key) => env[key]).filter((value): value is string => value !== undefined && value !== "");
  if (secrets.length === 0) return { ok: false, reason: `no key for ${kind}: set ${keys.join(" or ")}` };
  // Codex's exec mode reads CODEX_API_KEY; an OpenAI key given the usual way serves for it.
  if (kind === "codex" && !env.CODEX_API_KEY && env.OPENAI_API_KEY) env.CODEX_API_KEY = env.OPENAI_API_KEY;
  // Headless and plain: no colours, no update checks, and the CLIs know they run in CI.
  Object.assign(env, { CI: "true", NO_COLOR: "1", COPILOT_AUTO_UPDATE: "false", DISABLE_AUTOUPDATER: "1" });
  return { ok: true, env, secrets };
}

/** The environment for Orkestra's own git commands: no credentials, no user or system config. */
export function gitEnv(source: Record<string, string | undefined>, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null", GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" };
  if (source.PATH !== undefined) env.PATH = source.PATH;
  return { ...env, ...extra };
}

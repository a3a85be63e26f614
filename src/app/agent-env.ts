import { KEY_ENV, type Env } from "../agents/index.js";

/**
 * What a coding CLI needs from the process to run at all (the Copilot CLI's PATH and home);
 * no secret lives in these.
 */
const RUNTIME = ["PATH", "HOME", "USERPROFILE", "APPDATA", "LOCALAPPDATA", "SYSTEMROOT", "TMPDIR", "TEMP", "TMP", "LANG", "COPILOT_HOME"];

/** Where the operator names further variables agents may read (`ORKESTRA_AGENT_KEYS=OLLAMA_API_KEY,…`). */
const AGENT_KEYS_VARIABLE = "ORKESTRA_AGENT_KEYS";

/**
 * The App's environment as agents see it: an allowlist. A repository's configuration names the
 * variable an agent's key comes from (`apiKeyEnv`), and an `openai-compatible` agent sends that
 * key to the URL the configuration gives — so any variable of the App's process (its private
 * key, the host's cloud credentials) could otherwise leave with a request. Agents get the
 * providers' standard key variables, the ones the operator lists in ORKESTRA_AGENT_KEYS, and
 * what a CLI needs to start.
 */
export function agentEnvironment(env: Env): Env {
  const named = (env[AGENT_KEYS_VARIABLE] ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
  const allowed = new Set([...Object.values(KEY_ENV).flat(), ...named, ...RUNTIME]);
  return Object.fromEntries(Object.entries(env).filter(([name]) => allowed.has(name)));
}

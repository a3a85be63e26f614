/** The worker runs a coding CLI (a fake executable here) in a checkout and collects its changes. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runWorker, type WorkerAgentKind, type WorkerInput, type WorkerOutcome } from "../../src/action/worker/index.js";
import { fake, repo, runnerEnv, tempDir } from "./support.js";

const KINDS: WorkerAgentKind[] = ["claude-code", "codex", "gemini-cli", "copilot-cli"];

function input(checkout: string, baseSha: string, command: string, overrides: Partial<WorkerInput> = {}): WorkerInput {
  return {
    checkout,
    baseSha,
    agent: { name: "claude", kind: "claude-code" },
    prompt: "Fix issue #7: make the greeting friendlier.",
    env: runnerEnv(),
    timeoutMs: 10_000,
    maxBytes: 1024 * 1024,
    command,
    ...overrides,
  };
}

/** Running, and not a zombie waiting for a parent that does not reap (PID 1 in some containers). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, "utf8") : "";
  return !/^\d+ \(.*\) Z/.test(stat);
}

describe("running a CLI and collecting its work", () => {
  it("collects edits, an addition, a deletion and a link, including what the CLI committed itself", async () => {
    const r = repo({ "a.txt": "a\n", "b.txt": "b\n", "old.txt": "old\n" });
    const outcome = await runWorker(input(r.dir, r.base, fake("editor.mjs")));
    if (!outcome.ok) throw new Error(outcome.reason);
    expect(outcome.changes.map((c) => `${c.kind} ${c.mode} ${c.path} ${JSON.stringify(c.content)}`).sort()).toEqual([
      'add 100644 new/dir/c.txt "c\\n"',
      'add 120000 link "a.txt"',
      "delete 100644 old.txt null",
      'modify 100644 a.txt "a, edited and committed\\n"',
      'modify 100644 b.txt "b, edited after the commit\\n"',
    ]);
    expect(outcome.summary).toBe("Edited a and b, added c, removed old, linked a.");
    // Cache reads and writes are input the model read.
    expect(outcome.usage).toEqual({ inputTokens: 150, outputTokens: 40, costUsd: 0.0123 });
    expect(outcome.log.join("\n")).toMatch(/5 changed file\(s\)/);
  });

  it.each(KINDS)("passes the prompt to %s the way it expects and reads its summary and usage", async (kind) => {
    const r = repo({ "a.txt": "a\n" });
    const outcome = await runWorker(input(r.dir, r.base, fake("impersonate.mjs"), { agent: { name: "agent", kind } }));
    if (!outcome.ok) throw new Error(outcome.reason);
    const expected = {
      "claude-code": { summary: "claude did: Fix issue #7: make the greeting friendlier.", usage: { inputTokens: 10, outputTokens: 20, costUsd: 0.5 } },
      // The last agent message, not an earlier one; cached input is part of input_tokens.
      codex: { summary: "codex did: Fix issue #7: make the greeting friendlier.", usage: { inputTokens: 1000, outputTokens: 50, costUsd: null } },
      // Every model's tokens, thinking counted as output.
      "gemini-cli": { summary: "gemini did: Fix issue #7: make the greeting friendlier.", usage: { inputTokens: 1000, outputTokens: 50, costUsd: null } },
      "copilot-cli": { summary: "copilot did: Fix issue #7: make the greeting friendlier.", usage: { inputTokens: expect.any(Number), outputTokens: expect.any(Number), costUsd: null } },
    }[kind];
    expect(outcome).toMatchObject({ ...expected, changes: [] });
    if (kind === "copilot-cli") {
      expect(outcome.usage.inputTokens).toBeGreaterThan(0);
      expect(outcome.log.join("\n")).toContain("tokens estimated");
    }
  });

  it("stops a CLI that runs past its timeout, with everything it started, and says why", async () => {
    const r = repo({ "a.txt": "a\n" });
    const pids = join(tempDir(), "pids.txt");
    const started = Date.now();
    const outcome = await runWorker(input(r.dir, r.base, fake("hang.mjs"), { timeoutMs: 800, env: runnerEnv({ ANTHROPIC_X_PIDS: pids }) }));
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.reason).toBe("claude: claude did not finish within the timeout of 0.8 s and was stopped");
    expect(Date.now() - started).toBeLessThan(8_000);
    const [cli, child] = readFileSync(pids, "utf8").split(" ").map(Number);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(alive(cli!)).toBe(false);
    expect(alive(child!)).toBe(false); // it ignored nothing: the group was killed
  });

  it("fails with the exit code and the end of the output when the CLI exits non-zero", async () => {
    const r = repo({ "a.txt": "a\n" });
    r.write("a.txt", "changed before the failure\n");
    const outcome: WorkerOutcome = await runWorker(input(r.dir, r.base, fake("fail.mjs")));
    expect(outcome).toEqual({
      ok: false,
      reason: "claude: claude exited with code 3: Error: 401 invalid x-api-key\npartial output",
      log: [expect.stringContaining("running claude"), expect.stringMatching(/^claude: claude exited with 3 after [\d.]+ s$/)],
    });
  });

  it("gives the CLI no GitHub token, no Action input and no other agent's key", async () => {
    const r = repo({ "a.txt": "a\n" });
    const outcome = await runWorker(input(r.dir, r.base, fake("env-check.mjs")));
    if (!outcome.ok) throw new Error(outcome.reason);
    expect(outcome.summary).toMatch(/^clean environment: /);
    expect(outcome.summary).toContain("ANTHROPIC_API_KEY");
    expect(outcome.summary).not.toMatch(/GITHUB_TOKEN|GH_TOKEN|INPUT_|ACTIONS_/);
  });

  it("passes Copilot only COPILOT_GITHUB_TOKEN, never a GitHub token it would fall back to", async () => {
    const r = repo({ "a.txt": "a\n" });
    const outcome = await runWorker(input(r.dir, r.base, fake("impersonate.mjs"), { agent: { name: "copilot", kind: "copilot-cli" }, env: runnerEnv({ COPILOT_GITHUB_TOKEN: "" }) }));
    expect(outcome).toEqual({ ok: false, reason: "copilot: no key for copilot-cli: set COPILOT_GITHUB_TOKEN", log: [] });
  });

  it("masks the agent's key in what it reports", async () => {
    const r = repo({ "a.txt": "a\n" });
    const key = "sk-ant-test-key-0000000000";
    const outcome = await runWorker(input(r.dir, r.base, fake("impersonate.mjs"), { prompt: `echo ${key}` }));
    expect(outcome.ok && outcome.summary).toBe("claude did: echo [REDACTED]");
  });

  it("says how to install a CLI that is not there", async () => {
    const r = repo({ "a.txt": "a\n" });
    const outcome = await runWorker(input(r.dir, r.base, join(r.dir, "no-such-codex"), { agent: { name: "gpt", kind: "codex" } }));
    expect(!outcome.ok && outcome.reason).toBe(`gpt: ${join(r.dir, "no-such-codex")} was not found; install it with npm install -g @openai/codex`);
  });

  it("refuses a prompt too large for an argument rather than failing inside the CLI", async () => {
    const r = repo({ "a.txt": "a\n" });
    const outcome = await runWorker(input(r.dir, r.base, fake("impersonate.mjs"), { prompt: "x".repeat(130_000) }));
    expect(!outcome.ok && outcome.reason).toMatch(/the prompt is 130000 bytes, more than claude-code can take as an argument/);
    // Codex reads it from stdin, so the same prompt is fine there.
    const codex = await runWorker(input(r.dir, r.base, fake("impersonate.mjs"), { prompt: "x".repeat(130_000), agent: { name: "gpt", kind: "codex" } }));
    expect(codex.ok && codex.summary.slice(0, 20)).toBe("codex did: xxxxxxxxx");
    expect(codex.ok && codex.summary.length).toBe(20_000); // long summaries are clipped
  });

  it("fails the attempt when the CLI's changes are over the byte limit", async () => {
    const r = repo({ "a.txt": "a\n", "b.txt": "b\n", "old.txt": "old\n" });
    const outcome = await runWorker(input(r.dir, r.base, fake("editor.mjs"), { maxBytes: 10 }));
    expect(!outcome.ok && outcome.reason).toMatch(/^claude: the changes are too large: \d+ bytes of new content in 4 files, more than the limit of 10$/);
    expect(existsSync(join(r.dir, "new/dir/c.txt"))).toBe(true);
  });
});

/** The Action's `worker` mode on its own: no GitHub, a checkout, the prepared work, the outcome file. */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runActionMode } from "../../src/action/main.js";
import { silentLogger } from "../../src/shared/logger.js";
import { fake, repo, runnerEnv, tempDir } from "./support.js";

const JOB = { issue: 7, agent: "claude", attempt: 1, round: 1 };

function prepared(temp: string, base: string, tree: string, command: string | null) {
  mkdirSync(join(temp, "orkestra-worker"), { recursive: true });
  const handover = { version: 1, job: JOB, baseSha: "b".repeat(40), baseTree: tree, branch: null, prompt: "Fix #7.", agent: { name: "claude", kind: "claude-code", command }, maxBytes: 1_000_000 };
  writeFileSync(join(temp, "orkestra-worker", "prepared.json"), JSON.stringify(handover));
  return base;
}

function worker(temp: string, checkout: string, extra: Record<string, string> = {}) {
  const env = {
    ...runnerEnv(),
    RUNNER_TEMP: temp,
    INPUT_MODE: "worker",
    INPUT_ISSUE: "7",
    INPUT_AGENT: "claude",
    INPUT_ATTEMPT: "1",
    "INPUT_CHECKOUT-PATH": checkout,
    ...extra,
  };
  return runActionMode({ env, log: silentLogger });
}

function outcomeIn(temp: string) {
  return JSON.parse(readFileSync(join(temp, "orkestra-outcome", "outcome.json"), "utf8")) as Record<string, unknown>;
}

describe("the Action's worker mode", () => {
  it("runs the agent's CLI with its key and no token, though the step's environment holds them, and hands over the changes", async () => {
    const r = repo({ "a.txt": "a\n" });
    const temp = tempDir();
    prepared(temp, r.base, r.git("rev-parse", "HEAD^{tree}"), fake("env-check.mjs"));
    const result = await worker(temp, r.dir, { "INPUT_ANTHROPIC-API-KEY": "sk-ant-input-key-000000" });
    expect(result.report.errors).toEqual([]);
    const outcome = outcomeIn(temp);
    expect(outcome).toMatchObject({ ok: true, job: JOB, baseSha: "b".repeat(40), changes: [] });
    expect(String(outcome.summary)).toMatch(/^clean environment: /);
    expect(String(outcome.summary)).not.toMatch(/GITHUB_TOKEN|INPUT_|ACTIONS_/);
    expect(result.outputs["outcome-path"]).toBe(join(temp, "orkestra-outcome", "outcome.json"));
  });

  it("refuses a checkout that is not at the base: a failed round, with the fix named", async () => {
    const r = repo({ "a.txt": "a\n" });
    const temp = tempDir();
    prepared(temp, r.base, "c".repeat(40), fake("editor.mjs"));
    const result = await worker(temp, r.dir);
    expect(result.report.errors).toEqual([]);
    expect(outcomeIn(temp)).toMatchObject({ ok: false, reason: expect.stringMatching(/^the checkout is at [0-9a-f]{40}, not at the base b{40}: give actions\/checkout `ref: \$\{\{ steps\.prepare\.outputs\.base-sha \}\}`$/) });
    expect(r.git("status", "--porcelain")).toBe("");
  });

  it("without the prepare step, fails the step and hands over a failed round", async () => {
    const r = repo({ "a.txt": "a\n" });
    const temp = tempDir();
    const result = await worker(temp, r.dir);
    expect(result.report.errors).toEqual([expect.stringMatching(/^no prepared work at .*: run Orkestra with `mode: worker-prepare` earlier in the same job$/)]);
    expect(outcomeIn(temp)).toMatchObject({ ok: false, job: JOB });
  });

  it("names bad inputs: the mode, the job, the timeout", async () => {
    const r = repo({ "a.txt": "a\n" });
    const temp = tempDir();
    await expect(worker(temp, r.dir, { INPUT_MODE: "push" })).rejects.toThrow("`mode` is \"push\", expected one of event, worker-prepare, worker, publish");
    await expect(worker(temp, r.dir, { INPUT_ISSUE: "x" })).rejects.toThrow('Invalid worker inputs: `issue` is "x", expected a positive whole number.');
    prepared(temp, r.base, r.git("rev-parse", "HEAD^{tree}"), fake("editor.mjs"));
    await expect(worker(temp, r.dir, { "INPUT_TIMEOUT-MINUTES": "0" })).rejects.toThrow("`timeout-minutes` is \"0\", expected a number of minutes from 1 to 355");
  });
});

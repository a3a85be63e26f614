import { Octokit } from "@octokit/rest";
import { afterEach, describe, expect, it } from "vitest";
import type { DayUsage } from "../../src/agents/index.js";
import { fixedClock } from "../../tools/fixed-clock.js";
import { OctokitGitHub } from "../../src/github/octokit.js";
import { silentLogger } from "../../src/shared/logger.js";
import { applyEffect } from "../../src/runtime/apply.js";
import { GitUsageStore } from "../../src/runtime/usage-store.js";
import { startSandbox, type Sandbox } from "../../tools/sandbox/index.js";

const DAY = "2026-11-21";

function spend(tokens: number, agent = "claude"): DayUsage {
  return { tokens, costUsd: tokens / 1_000_000, calls: 1, byAgent: { [agent]: { tokens, costUsd: tokens / 1_000_000, calls: 1 } } };
}

describe("agent usage kept in GitHub", () => {
  let sandbox: Sandbox;
  afterEach(async () => {
    await sandbox.close();
    expect(sandbox.violations).toEqual([]);
  });

  function store(token = sandbox.tokens.installation): GitUsageStore {
    const octokit = new Octokit({ auth: token, baseUrl: sandbox.url, log: { debug() {}, info() {}, warn() {}, error() {} } });
    const github = new OctokitGitHub(octokit, { owner: sandbox.owner, repo: sandbox.repo });
    return new GitUsageStore(github, (effect) => applyEffect(github, effect, { dryRun: false, log: silentLogger, record: () => {} }), "main");
  }

  it("adds what each run spent, even when two runs flush from the same starting point", async () => {
    sandbox = await startSandbox({ clock: fixedClock("2026-11-21T09:00:00Z") });
    const first = store();
    const second = store();
    expect(await first.load(DAY)).toEqual({ tokens: 0, costUsd: 0, calls: 0, byAgent: {} });
    await second.load(DAY);
    await first.save(DAY, spend(1000));
    await second.save(DAY, spend(300, "gemini"));
    await first.flush();
    await second.flush(); // its commit is no longer a fast-forward: it reads again and adds on top
    const total = await store().load(DAY);
    expect(total.tokens).toBe(1300);
    expect(total.calls).toBe(2);
    expect(Object.keys(total.byAgent).sort()).toEqual(["claude", "gemini"]);
    expect(sandbox.state.refs().map((ref) => ref.ref)).toContain(`refs/orkestra/usage/${DAY}`);
  });

  it("keeps a day's totals with the job's token, which may not touch workflows, while the default branch's workflows change", async () => {
    const ci = "on: push\njobs: {}\n";
    sandbox = await startSandbox({ clock: fixedClock("2026-11-21T09:00:00Z"), files: { ".github/workflows/ci.yml": ci, "README.md": "hi\n" } });
    const morning = store(sandbox.tokens.actions);
    await morning.load(DAY);
    await morning.save(DAY, spend(1000));
    await morning.flush();
    // A person changes the workflows during the day.
    sandbox.setFile(".github/workflows/ci.yml", `${ci}# changed\n`);
    const afternoon = store(sandbox.tokens.actions);
    const loaded = await afternoon.load(DAY);
    const gemini = spend(500, "gemini");
    await afternoon.save(DAY, { tokens: loaded.tokens + 500, costUsd: loaded.costUsd + gemini.costUsd, calls: loaded.calls + 1, byAgent: { ...loaded.byAgent, ...gemini.byAgent } });
    await afternoon.flush();
    const total = await store().load(DAY);
    expect(total.tokens).toBe(1500);
    expect(Object.keys(total.byAgent).sort()).toEqual(["claude", "gemini"]);
    // Every record changes no file against the default branch's head it sits on.
    const tip = sandbox.state.refs().find((ref) => ref.ref === `refs/orkestra/usage/${DAY}`)!.object.sha;
    const main = sandbox.state.refs().find((ref) => ref.ref === "refs/heads/main")!.object.sha;
    const record = await new Octokit({ auth: sandbox.tokens.installation, baseUrl: sandbox.url }).rest.git.getCommit({ owner: sandbox.owner, repo: sandbox.repo, commit_sha: tip });
    expect(record.data.parents[0]!.sha).toBe(main);
  });

  it("writes nothing for a run that spent nothing", async () => {
    sandbox = await startSandbox();
    const quiet = store();
    await quiet.load(DAY);
    sandbox.clearRequests();
    await quiet.flush();
    expect(sandbox.requests).toEqual([]);
  });
});

/**
 * CLI mode through the Action door, end to end against the sandbox: the coordinator dispatches the
 * worker workflow; the test plays its two jobs with the Action's modes as a runner would —
 * `worker-prepare`, a real git checkout of the base, `worker` with a fake Copilot CLI, the outcome
 * file as the artifact, and `publish` — each with its token only in the `github-token` input.
 */
import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { runActionMode } from "../../src/action/main.js";
import { parseCard } from "../../src/domain/task/card.js";
import { silentLogger } from "../../src/shared/logger.js";
import { scriptedProvider } from "../../tools/scripted/index.js";
import type { ScriptedResponder } from "../../tools/scripted/provider.js";
import { scriptedToolsProvider } from "../../tools/scripted/tools.js";
import { botComments, labelsOf, startHarness, type Harness } from "../support/harness.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const FAKE_COPILOT = join(ROOT, "tests/worker/fixtures/copilot-edit.mjs");
const WORKFLOW = readFileSync(join(ROOT, "examples/workflows/orkestra-worker.yml"), "utf8");
const COPILOT_KEY = "github_pat_copilot_worker_test_0000";

const CONFIG = [
  "agents:",
  ...["claude", "chatgpt", "gemini", "grok"].map((name) => `  ${name}: { enabled: false }`),
  `  copilot: { enabled: true, command: ${JSON.stringify(FAKE_COPILOT)} }`,
  "  custom:",
  "    beta:",
  "      provider: scripted",
  "      model: scripted",
  "      specialties: []",
  "execution:",
  "  enabled: true",
].join("\n");

let agentOptions = { scripted: scriptedProvider(), scriptedTools: scriptedToolsProvider() };

function cardOf(h: Harness, number: number) {
  return botComments(h.sandbox, number).map(parseCard).find((meta) => meta !== null)!;
}

/** Requests that changed something on GitHub (GraphQL reads aside). */
function writes(h: Harness): string[] {
  return h.sandbox.requests.filter((request) => request.method !== "GET" && request.path !== "/graphql").map((request) => `${request.method} ${request.path}`);
}

describe("CLI agents at work through the Action's worker modes", () => {
  let h: Harness;
  const made: string[] = [];
  afterEach(async () => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
    await h?.close();
  });

  function temp(): string {
    const dir = mkdtempSync(join(tmpdir(), "orkestra-cli-"));
    made.push(dir);
    return dir;
  }

  async function start(reviewer: Record<string, ScriptedResponder> = {}) {
    agentOptions = { scripted: scriptedProvider({ byAgent: reviewer }), scriptedTools: scriptedToolsProvider() };
    h = await startHarness(
      "action",
      {
        files: {
          ".github/orkestra.yml": CONFIG,
          ".github/workflows/orkestra-worker.yml": WORKFLOW,
          "README.md": "# Demo\n",
          "src/greet.ts": "export const greet = () => 'hi';\n",
        },
      },
      { env: { COPILOT_GITHUB_TOKEN: COPILOT_KEY }, agentOptions },
    );
  }

  /** Opens and assigns the task; returns it with the worker run Orkestra dispatched. */
  async function assignToCopilot() {
    const task = h.sandbox.as("alice").openIssue({ title: "Greet people by name", body: "## Acceptance criteria\n\n- greets by name" });
    await h.settle();
    h.sandbox.as("alice").comment(task.number, "/assign copilot");
    await h.settle();
    const runs = h.sandbox.actions.runs().filter((run) => run.path === ".github/workflows/orkestra-worker.yml");
    expect(runs).toHaveLength(1);
    return { task, run: runs[0]! };
  }

  /** One job of the worker workflow on its own runner: RUNNER_TEMP, the dispatch's event payload, the token as an input. */
  function runner(inputs: Record<string, unknown>) {
    const runnerTemp = temp();
    const eventPath = join(runnerTemp, "event.json");
    const payload = { inputs, ref: `refs/heads/${h.sandbox.defaultBranch}`, workflow: ".github/workflows/orkestra-worker.yml", repository: { default_branch: h.sandbox.defaultBranch, private: false } };
    writeFileSync(eventPath, JSON.stringify(payload));
    const jobInputs = Object.fromEntries(["issue", "agent", "attempt", "round", "findings"].filter((name) => inputs[name] !== undefined).map((name) => [`INPUT_${name.toUpperCase()}`, String(inputs[name])]));
    return {
      runnerTemp,
      step(mode: string, extra: Record<string, string> = {}) {
        const env = {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          GITHUB_EVENT_NAME: "workflow_dispatch",
          GITHUB_EVENT_PATH: eventPath,
          GITHUB_REPOSITORY: `${h.sandbox.owner}/${h.sandbox.repo}`,
          GITHUB_API_URL: h.sandbox.url,
          RUNNER_TEMP: runnerTemp,
          // As a runner gives it: the token reaches the step only as its input.
          "INPUT_GITHUB-TOKEN": h.sandbox.tokens.actions,
          INPUT_MODE: mode,
          ...jobInputs,
          ...extra,
        };
        return runActionMode({ env, clock: h.clock, log: silentLogger, throttle: false, agentOptions });
      },
    };
  }

  /** What actions/checkout gives the job: a git checkout of the sandbox's commit (same tree, a local commit). */
  function checkout(sha: string): string {
    const dir = temp();
    const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, encoding: "utf8" }).trim();
    git("init", "-q", "-b", "main");
    const store = h.sandbox.internals.store.git;
    for (const [path, entry] of store.treeOf(sha)!) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), store.blobs.get(entry.sha)!);
    }
    git("add", "-A");
    git("-c", "user.name=runner", "-c", "user.email=runner@example.com", "-c", "commit.gpgsign=false", "commit", "-q", "-m", "checkout");
    return dir;
  }

  it("an assigned task goes to the worker workflow; its read-only job runs the CLI and the publish job opens the pull request", async () => {
    await start();
    const { task, run } = await assignToCopilot();
    expect(run.event).toBe("workflow_dispatch");
    expect(run.inputs).toMatchObject({ issue: String(task.number), agent: "copilot", attempt: "1", round: "1" });

    // Job `work`, step 1: what to check out.
    const work = runner(run.inputs!);
    const prepared = await work.step("worker-prepare");
    expect(prepared.report.errors).toEqual([]);
    const base = h.sandbox.internals.store.git.resolve(h.sandbox.defaultBranch)!;
    expect(prepared.outputs).toMatchObject({ ready: "true", "base-sha": base, branch: "", "agent-kind": "copilot-cli", "cli-package": "@github/copilot" });
    expect(readFileSync(prepared.outputs["prompt-path"]!, "utf8")).toContain("Greet people by name");

    // Step 2 (actions/checkout of base-sha), step 3: the CLI, with keys and tokens in the step's environment.
    const dir = checkout(prepared.outputs["base-sha"]!);
    const worked = await work.step("worker", {
      "INPUT_CHECKOUT-PATH": dir,
      "INPUT_COPILOT-GITHUB-TOKEN": COPILOT_KEY,
      GITHUB_TOKEN: h.sandbox.tokens.actions,
      ACTIONS_RUNTIME_TOKEN: "runtime-token-0000",
    });
    expect(worked.report.errors).toEqual([]);
    const outcomePath = worked.outputs["outcome-path"]!;
    const handed = JSON.parse(readFileSync(outcomePath, "utf8")) as { ok: boolean; reason?: string; baseSha: string; changes: { path: string; kind: string }[] };
    // The fake CLI refuses to work when it sees a token: `ok` also says none reached it.
    expect(handed.reason).toBeUndefined();
    expect(handed).toMatchObject({ ok: true, baseSha: base });
    expect(handed.changes.map((change) => `${change.kind} ${change.path}`).sort()).toEqual(["add src/greet.test.ts", "modify src/greet.ts"]);
    expect(readFileSync(outcomePath, "utf8")).not.toContain(COPILOT_KEY);

    // Job `publish`: the artifact, downloaded on another runner.
    const publish = runner(run.inputs!);
    const artifact = join(publish.runnerTemp, "orkestra-outcome", "outcome.json");
    mkdirSync(dirname(artifact), { recursive: true });
    writeFileSync(artifact, readFileSync(outcomePath));
    const published = await publish.step("publish", { "INPUT_WORK-RESULT": "success" });
    await h.settle();
    expect(published.report.errors).toEqual([]);

    const pulls = h.sandbox.state.pulls();
    expect(pulls).toHaveLength(1);
    const pr = pulls[0]!;
    expect(pr.head.ref).toBe(`orkestra/${task.number}-greet-people-by-name`);
    expect(pr.body).toContain(`Closes #${task.number}`);
    expect(h.sandbox.internals.store.git.fileAt(h.sandbox.internals.store.git.resolve(pr.head.ref)!, "src/greet.ts")).toBe("export const greet = (name: string) => `Hello, ${name}!`;\n");
    const card = cardOf(h, task.number);
    expect(card.status).toBe("review");
    expect(card.execution).toMatchObject({ agent: "copilot", attempt: 1, pr: pr.number, mode: "cli" });
    expect(labelsOf(h.sandbox, task.number)).toContain("status:review");
  }, 60_000);

  it("a work job that died without an outcome file is a failed attempt: the card shows the retry", async () => {
    await start();
    const { task, run } = await assignToCopilot();
    const publish = runner(run.inputs!);
    const published = await publish.step("publish", { "INPUT_WORK-RESULT": "failure", GITHUB_SERVER_URL: "https://github.com", GITHUB_RUN_ID: "42" });
    await h.settle();
    expect(published.report.errors).toEqual([]);
    const card = cardOf(h, task.number);
    expect(card.status).toBe("pending");
    expect(card.retry.count).toBe(1);
    expect(JSON.stringify(card.history)).toContain("`work` job ended (failure) without handing over a result");
    expect(h.sandbox.state.pulls()).toEqual([]);
  }, 60_000);

  it("a stale job (the task was stopped meanwhile) is prepared as nothing to run, and its publish writes nothing", async () => {
    await start();
    const { task, run } = await assignToCopilot();
    h.sandbox.as("alice").comment(task.number, "/stop");
    await h.settle();
    const before = cardOf(h, task.number);

    const work = runner(run.inputs!);
    const prepared = await work.step("worker-prepare");
    expect(prepared.outputs.ready).toBe("false");
    expect(prepared.report.notes.join("\n")).toMatch(/stale/);

    // Even a well-formed outcome (as a CLI still running when /stop came would hand over) is not written.
    const publish = runner(run.inputs!);
    const artifact = join(publish.runnerTemp, "orkestra-outcome", "outcome.json");
    mkdirSync(dirname(artifact), { recursive: true });
    const base = h.sandbox.internals.store.git.resolve(h.sandbox.defaultBranch)!;
    const job = { issue: task.number, agent: "copilot", attempt: 1, round: 1 };
    const content = Buffer.from("export const greet = (name: string) => name;\n").toString("base64");
    writeFileSync(artifact, JSON.stringify({ version: 1, job, usage: { inputTokens: 1, outputTokens: 1, costUsd: null }, ok: true, baseSha: base, summary: "done", changes: [{ path: "src/greet.ts", kind: "modify", mode: "100644", content }] }));
    h.sandbox.clearRequests();
    const published = await publish.step("publish", { "INPUT_WORK-RESULT": "success" });
    await h.settle();
    expect(published.report.errors).toEqual([]);
    expect(published.report.notes.join("\n")).toMatch(/stale worker run's output was not written/);
    expect(writes(h)).toEqual([]);
    expect(h.sandbox.state.pulls()).toEqual([]);
    expect(cardOf(h, task.number)).toEqual(before);
  }, 60_000);

  type Tamper = (file: { changes: Record<string, unknown>[] } & Record<string, unknown>) => unknown;
  const onChange = (edit: (change: Record<string, unknown>) => Record<string, unknown>): Tamper => (file) => ({ ...file, changes: file.changes.map(edit) });
  it.each<[string, Tamper, RegExp]>([
    ["a path out of the repository", onChange((c) => ({ ...c, path: "../x" })), /changes\.0\.path: a path has no empty, `\.` or `\.\.` part/],
    ["a path into .git", onChange((c) => ({ ...c, path: ".git/hooks/post-checkout" })), /changes\.0\.path: a path never goes into `\.git`/],
    ["content that is not base64", onChange((c) => ({ ...c, content: "not base64!" })), /changes\.0\.content: content is not base64/],
    ["an unknown mode", onChange((c) => ({ ...c, mode: "040000" })), /changes\.0\.mode/],
    ["an extra field", onChange((c) => ({ ...c, sha: "0".repeat(40) })), /changes\.0: Unrecognized key: "sha"/],
    ["an oversized summary", (file) => ({ ...file, summary: "x".repeat(70_000) }), /summary: Too big/],
    ["another job's outcome", (file) => ({ ...file, job: { ...(file.job as object), attempt: 2 } }), /it is for #\d+ `copilot` attempt 2 round 1/],
  ])("a tampered outcome file (%s) is refused with a clear message and nothing is written", async (_name, tamper, message) => {
    await start();
    const { task, run } = await assignToCopilot();
    const before = cardOf(h, task.number);
    const publish = runner(run.inputs!);
    const artifact = join(publish.runnerTemp, "orkestra-outcome", "outcome.json");
    mkdirSync(dirname(artifact), { recursive: true });
    const base = h.sandbox.internals.store.git.resolve(h.sandbox.defaultBranch)!;
    const change = { path: "src/greet.ts", kind: "modify", mode: "100644", content: Buffer.from("x\n").toString("base64") };
    const job = { issue: task.number, agent: "copilot", attempt: 1, round: 1 };
    writeFileSync(artifact, JSON.stringify(tamper({ version: 1, job, usage: { inputTokens: 1, outputTokens: 1, costUsd: null }, ok: true, baseSha: base, summary: "done", changes: [change] })));
    h.sandbox.clearRequests();
    const published = await publish.step("publish", { "INPUT_WORK-RESULT": "success" });
    await h.settle();
    expect(published.report.errors).toHaveLength(1);
    expect(published.report.errors[0]).toMatch(/^The worker's outcome file .* was refused: /);
    expect(published.report.errors[0]).toMatch(message);
    expect(published.report.errors[0]).toMatch(/Nothing was written\.$/);
    // Refused before any request.
    expect(h.sandbox.requests).toEqual([]);
    expect(cardOf(h, task.number)).toEqual(before);
    expect(existsSync(artifact)).toBe(true);
  }, 60_000);

  /** The worker workflow's two jobs for one dispatched run, as in the first test; returns what prepare gave. */
  async function playRun(inputs: Record<string, unknown>) {
    const work = runner(inputs);
    const prepared = await work.step("worker-prepare");
    const worked = await work.step("worker", { "INPUT_CHECKOUT-PATH": checkout(prepared.outputs["base-sha"]!), "INPUT_COPILOT-GITHUB-TOKEN": COPILOT_KEY });
    const publish = runner(inputs);
    const artifact = join(publish.runnerTemp, "orkestra-outcome", "outcome.json");
    mkdirSync(dirname(artifact), { recursive: true });
    writeFileSync(artifact, readFileSync(worked.outputs["outcome-path"]!));
    const published = await publish.step("publish", { "INPUT_WORK-RESULT": "success" });
    await h.settle();
    expect(published.report.errors).toEqual([]);
    return { prepared, prompt: readFileSync(prepared.outputs["prompt-path"]!, "utf8") };
  }

  it("a reviewer's blocker dispatches round 2 with the findings; it starts from Orkestra's branch and adds a commit to the same pull request", async () => {
    let reviews = 0;
    await start({ beta: () => (++reviews === 1 ? { verdict: "blocker", summary: "[scripted] beta: document greet", findings: [] } : { verdict: "approve", summary: "[scripted] beta: fine now", findings: [] }) });
    const { task, run } = await assignToCopilot();
    await playRun(run.inputs!);
    const pr = h.sandbox.state.pulls()[0]!;
    const second = h.sandbox.actions.runs().filter((item) => item.path === ".github/workflows/orkestra-worker.yml")[1]!;
    expect(second.inputs).toMatchObject({ issue: String(task.number), agent: "copilot", attempt: "1", round: "2" });
    expect(String(second.inputs!.findings)).toContain("document greet");

    const { prepared, prompt } = await playRun(second.inputs!);
    expect(prepared.outputs).toMatchObject({ ready: "true", branch: pr.head.ref });
    expect(prepared.outputs["base-sha"]).not.toBe(h.sandbox.internals.store.git.resolve(h.sandbox.defaultBranch));
    expect(prompt).toContain("review round 2");
    expect(prompt).toContain("document greet");
    const git = h.sandbox.internals.store.git;
    expect(git.fileAt(git.resolve(pr.head.ref)!, "src/greet.ts")).toMatch(/^\/\*\* Greets by name\. \*\/\n/);
    expect(git.fileAt(git.resolve(pr.head.ref)!, "src/greet.test.ts")).toBeDefined();
    expect(h.sandbox.state.pulls()).toHaveLength(1);
    expect(cardOf(h, task.number)).toMatchObject({ status: "review", execution: { round: 2, commits: 2, pr: pr.number } });
  }, 60_000);

  it("the bundled Action (dist/index.js) runs the worker modes in its own process: outputs through GITHUB_OUTPUT, a refused file fails the step", async () => {
    await start();
    const { run } = await assignToCopilot();
    const dir = temp();
    writeFileSync(join(dir, "event.json"), JSON.stringify({ inputs: run.inputs, repository: { default_branch: h.sandbox.defaultBranch, private: false } }));
    writeFileSync(join(dir, "output"), "");
    const env = (mode: string) => ({
      PATH: process.env.PATH,
      GITHUB_EVENT_NAME: "workflow_dispatch",
      GITHUB_EVENT_PATH: join(dir, "event.json"),
      GITHUB_REPOSITORY: `${h.sandbox.owner}/${h.sandbox.repo}`,
      GITHUB_API_URL: h.sandbox.url,
      GITHUB_OUTPUT: join(dir, "output"),
      RUNNER_TEMP: dir,
      "INPUT_GITHUB-TOKEN": h.sandbox.tokens.actions,
      "INPUT_DRY-RUN": "false",
      INPUT_MODE: mode,
      INPUT_ISSUE: String(run.inputs!.issue),
      INPUT_AGENT: String(run.inputs!.agent),
      INPUT_ATTEMPT: String(run.inputs!.attempt),
      INPUT_ROUND: String(run.inputs!.round),
    });
    const node = (mode: string) => promisify(execFile)(process.execPath, [join(ROOT, "dist/index.js")], { env: env(mode), timeout: 60_000 });
    const { stdout } = await node("worker-prepare");
    expect(stdout).not.toContain("::error");
    const outputs = readFileSync(join(dir, "output"), "utf8");
    expect(outputs).toMatch(new RegExp(`base-sha<<(\\S+)\n${h.sandbox.internals.store.git.resolve(h.sandbox.defaultBranch)!}\n\\1`));
    expect(outputs).toMatch(/ready<<(\S+)\ntrue\n\1/);

    mkdirSync(join(dir, "orkestra-outcome"), { recursive: true });
    writeFileSync(join(dir, "orkestra-outcome", "outcome.json"), JSON.stringify({ version: 1, ok: true, pushTo: "main" }));
    h.sandbox.clearRequests();
    const failed = await node("publish").then(() => null, (error: { code: number; stdout: string }) => error);
    expect(failed?.code).toBe(1);
    expect(failed?.stdout).toMatch(/::error::The worker's outcome file .* was refused: .*Nothing was written\./);
    expect(h.sandbox.requests).toEqual([]);
  }, 60_000);
});

describe("CLI agents through the app", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("the app dispatches the worker workflow with the task, the agent, the attempt and the round, and the card says CLI mode", async () => {
    h = await startHarness(
      "app",
      { files: { ".github/orkestra.yml": CONFIG, ".github/workflows/orkestra-worker.yml": WORKFLOW, "src/greet.ts": "export const greet = () => 'hi';\n" } },
      { env: { COPILOT_GITHUB_TOKEN: COPILOT_KEY }, agentOptions: { scripted: scriptedProvider(), scriptedTools: scriptedToolsProvider() } },
    );
    const task = h.sandbox.as("alice").openIssue({ title: "Greet people by name" });
    await h.settle();
    h.sandbox.as("alice").comment(task.number, "/assign copilot");
    await h.settle();
    const runs = h.sandbox.actions.runs().filter((run) => run.path === ".github/workflows/orkestra-worker.yml");
    expect(runs.map((run) => [run.event, run.inputs])).toEqual([["workflow_dispatch", expect.objectContaining({ issue: String(task.number), agent: "copilot", attempt: "1", round: "1" })]]);
    const card = cardOf(h, task.number);
    expect(card.status).toBe("in-progress");
    expect(card.execution).toMatchObject({ mode: "cli", agent: "copilot", attempt: 1, round: 1, pr: null });
    // Nothing is written to the repository until the worker's publish job hands the work over.
    expect(h.sandbox.state.pulls()).toEqual([]);
    expect(h.sandbox.state.refs().map((ref) => ref.ref).filter((ref) => ref.startsWith("refs/heads/orkestra/"))).toEqual([]);
  });
});

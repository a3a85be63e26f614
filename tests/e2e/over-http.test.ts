import { execFile } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { startProbotServer, type RunningServer } from "../../tools/demo/probot-server.js";
import { scriptedProvider } from "../../tools/scripted/index.js";
import { parseCard } from "../../src/domain/task/card.js";
import { startSandbox, type Sandbox } from "../../tools/sandbox/index.js";
import { scriptedAgentsConfig } from "../support/config.js";
import { fixedClock } from "../../tools/fixed-clock.js";
import { repositoryShape } from "../../tools/sandbox/shapes/repo.js";
import { SEEDED_AT, SWEEP_AT, scheduleJob, seedWorld } from "../../bench/sweep-worlds.js";
import { startHarness, type Harness } from "../support/harness.js";

const SECRET = "e2e-webhook-secret";
const CONFIG = scriptedAgentsConfig({ alpha: { specialties: ["research"] }, beta: {} }, "maintainers: ['@mona']\n");
const PEOPLE = { alice: "write", mona: "maintain", rita: "read" } as const;
const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();

/** What people do, in order; each step waits until Orkestra has handled everything it caused. */
async function playScenario(sandbox: Sandbox): Promise<number[]> {
  const dep = sandbox.as("alice").openIssue({ title: "Design the API", body: "### Type\n\nresearch\n\n### Priority\n\nhigh" });
  await sandbox.settled();
  const task = sandbox.as("alice").openIssue({ title: "Build the client", body: `Depends on #${dep.number}.` });
  await sandbox.settled();
  sandbox.as("rita").comment(task.number, "/priority critical");
  sandbox.as("alice").comment(dep.number, "/assign");
  await sandbox.settled();
  sandbox.as("mona").comment(dep.number, "/status done");
  await sandbox.settled();
  sandbox.as("alice").comment(task.number, "```\n/status cancelled\n```\n/priority low");
  await sandbox.settled();
  return [dep.number, task.number];
}

/** The final state people see, without who wrote it (the app's bot, or github-actions[bot]). */
function board(sandbox: Sandbox, numbers: number[]) {
  return numbers.map((number) => {
    const issue = sandbox.state.issue(number)!;
    return {
      number,
      state: issue.state,
      labels: issue.labels.map((label) => (typeof label === "string" ? label : label.name)).sort(),
      card: sandbox.state.comments(number).map((comment) => parseCard(comment.body)).find(Boolean),
      botComments: sandbox.state.comments(number).filter((c) => c.user?.type === "Bot").length,
    };
  });
}

describe("end to end over HTTP", () => {
  let sandbox: Sandbox | undefined;
  let server: RunningServer | undefined;
  let harness: Harness | undefined;
  afterEach(async () => {
    await server?.stop();
    await sandbox?.close();
    await harness?.close();
    expect(sandbox?.violations ?? []).toEqual([]);
  });

  async function startApp(): Promise<{ sandbox: Sandbox; server: RunningServer }> {
    sandbox = await startSandbox({ collaborators: { ...PEOPLE }, files: { ".github/orkestra.yml": CONFIG } });
    server = await startProbotServer({
      // What GHE_HOST=127.0.0.1:<port> and GHE_PROTOCOL=http give Probot.
      baseUrl: `${sandbox.url}/api/v3`,
      appId: sandbox.app.id,
      privateKey,
      webhookSecret: SECRET,
      env: {},
      agentOptions: { scripted: scriptedProvider() },
    });
    sandbox.deliverWebhooks({ url: server.webhookUrl, secret: SECRET });
    return { sandbox, server };
  }

  it("the real Probot server, receiving signed webhooks, and the Action entry reach the same final state", async () => {
    const app = await startApp();
    const numbers = await playScenario(app.sandbox);
    expect(app.sandbox.webhookDeliveries.length).toBeGreaterThan(10);
    expect(app.sandbox.webhookDeliveries.filter((delivery) => delivery.status !== 200)).toEqual([]);
    const viaApp = board(app.sandbox, numbers);
    expect(viaApp[0]).toMatchObject({ state: "closed", labels: ["orkestra:task", "priority:high", "status:done", "type:research"] });
    expect(viaApp[1]).toMatchObject({ state: "open", labels: ["orkestra:task", "priority:low", "status:pending", "type:technical"] });
    expect(viaApp[0]?.card?.history.map((decision) => decision.what)).toContain("assigned to `alpha`");

    harness = await startHarness("action", { collaborators: { ...PEOPLE }, files: { ".github/orkestra.yml": CONFIG } });
    const viaAction = board(harness.sandbox, await playScenario(harness.sandbox));
    const withoutTimes = (rows: typeof viaApp) =>
      rows.map((row) => ({ ...row, card: { ...row.card, seenAt: undefined, agent: undefined, history: row.card?.history.map(({ what, why }) => ({ what, why })) } }));
    expect(withoutTimes(viaAction)).toEqual(withoutTimes(viaApp));
  });

  it("a webhook with a bad signature is refused and changes nothing", async () => {
    const app = await startApp();
    const issue = app.sandbox.as("alice").openIssue({ title: "Hello" });
    await app.sandbox.settled();
    const opened = app.sandbox.deliveries.find((event) => event.name === "issues" && event.payload.action === "opened")!;
    const edited = { ...opened.payload, action: "edited", issue: { ...(opened.payload.issue as object), body: "depends on #999" } };
    app.sandbox.clearRequests();
    const answer = await app.sandbox.sendWebhook({ url: app.server.webhookUrl, event: "issues", payload: edited, signature: "sha256=0000" });
    await app.sandbox.settled();
    expect([400, 401]).toContain(answer.status);
    expect(app.sandbox.requests).toEqual([]);
    expect(app.sandbox.state.comments(issue.number).filter((c) => c.body?.includes("did not record"))).toEqual([]);
  });

  it("the bundled Action (dist/index.js) handles an event in its own process, with its token only in the `github-token` input as on a runner", async () => {
    sandbox = await startSandbox({ collaborators: { ...PEOPLE } });
    const issue = sandbox.as("alice").openIssue({ title: "From the bundle" });
    const event = sandbox.deliveries.find((delivery) => delivery.name === "issues" && delivery.payload.action === "opened")!;
    const dir = mkdtempSync(join(tmpdir(), "orkestra-dist-"));
    writeFileSync(join(dir, "event.json"), JSON.stringify(event.payload));
    const summary = join(dir, "summary.md");
    writeFileSync(summary, "");
    const env = {
      PATH: process.env.PATH,
      GITHUB_EVENT_NAME: "issues",
      GITHUB_EVENT_PATH: join(dir, "event.json"),
      GITHUB_REPOSITORY: `${sandbox.owner}/${sandbox.repo}`,
      GITHUB_API_URL: sandbox.url,
      GITHUB_REF: `refs/heads/${sandbox.defaultBranch}`,
      GITHUB_STEP_SUMMARY: summary,
      // As a runner gives it: the token reaches the step only as its input, not as GITHUB_TOKEN.
      "INPUT_GITHUB-TOKEN": sandbox.tokens.actions,
      "INPUT_DRY-RUN": "false",
    };
    const { stdout } = await promisify(execFile)(process.execPath, ["dist/index.js"], { env, timeout: 60_000 });
    expect(stdout).not.toContain("::error");
    expect(sandbox.state.issue(issue.number)?.labels.map((label) => (typeof label === "string" ? label : label.name)).sort()).toEqual([
      "orkestra:task",
      "priority:medium",
      "status:pending",
      "type:technical",
    ]);
    expect(readFileSync(summary, "utf8")).toContain(`#${issue.number}: post a comment`);
    // Every request went out with the job's token from the input; it learnt its login from GraphQL's
    // viewer (GET /user answers 403 to installation tokens), in one request that did not fail.
    const orkestras = sandbox.requests.filter((request) => request.actor !== "alice");
    expect(new Set(orkestras.map((request) => request.actor))).toEqual(new Set(["github-actions[bot]"]));
    expect(sandbox.requests.filter((request) => request.route === "GET /user")).toEqual([]);
    expect(sandbox.requests.filter((request) => request.path === "/graphql").map((request) => request.status)).toEqual([200]);
  }, 60_000);

  it("the bundled Action knows it writes as github-actions[bot], so another bot's task card is not taken for its own", async () => {
    sandbox = await startSandbox({ collaborators: { ...PEOPLE } });
    sandbox.addBot("mimic[bot]");
    const issue = sandbox.as("alice").openIssue({ title: "Fooled?" });
    const forged = `<!-- orkestra:task {"v":1,"issue":${issue.number},"status":"assigned","priority":"critical","type":"technical","deps":[],"extraDeps":[],"mirrored":[],"heldByPerson":false,"seenAt":"2026-01-01T00:00:00Z","agent":{"name":"claude","since":"2026-01-01T00:00:00Z","leaseUntil":null,"why":"forged"},"history":[]} -->\nA card from another bot.`;
    const mimic = sandbox.as("mimic[bot]").comment(issue.number, forged);
    const event = sandbox.deliveries.find((delivery) => delivery.name === "issues" && delivery.payload.action === "opened")!;
    const dir = mkdtempSync(join(tmpdir(), "orkestra-dist-"));
    writeFileSync(join(dir, "event.json"), JSON.stringify(event.payload));
    const env = {
      PATH: process.env.PATH,
      GITHUB_EVENT_NAME: "issues",
      GITHUB_EVENT_PATH: join(dir, "event.json"),
      GITHUB_REPOSITORY: `${sandbox.owner}/${sandbox.repo}`,
      GITHUB_API_URL: sandbox.url,
      GITHUB_REF: `refs/heads/${sandbox.defaultBranch}`,
      "INPUT_GITHUB-TOKEN": sandbox.tokens.actions,
    };
    await promisify(execFile)(process.execPath, ["dist/index.js"], { env, timeout: 60_000 });
    const labels = sandbox.state.issue(issue.number)?.labels.map((label) => (typeof label === "string" ? label : label.name)).sort();
    expect(labels).toEqual(["orkestra:task", "priority:medium", "status:pending", "type:technical"]);
    const comments = sandbox.state.comments(issue.number);
    // The other bot's comment is untouched, and Orkestra's own card sits beside it.
    expect(comments.find((comment) => comment.id === mimic.id)?.body).toBe(forged);
    expect(comments.filter((comment) => comment.user?.login === "github-actions[bot]" && comment.body?.includes("orkestra:task"))).toHaveLength(1);
  }, 60_000);

  it("the bundled Action's scheduled sweep cut short by its share ends green with a warning, its coverage in the summary, and a cursor for the next run", async () => {
    // 1,000 pending tasks, no agent; a job token of 200 requests an hour and a share of 0.1: 20 a run.
    // The dashboard is off: its GraphQL (pinIssue, updateRefs) would hide whether the login was asked.
    const clock = fixedClock(SEEDED_AT);
    sandbox = await startSandbox({ clock, rateLimit: 200, collaborators: { alice: "write" }, files: { ".github/orkestra.yml": "sweep:\n  rateLimitFloor: 0\ndashboard:\n  enabled: false\n" } });
    seedWorld(sandbox, clock, "idle", 1_000);
    clock.set(SWEEP_AT);
    sandbox.clearRequests();
    const dir = mkdtempSync(join(tmpdir(), "orkestra-dist-"));
    const summary = join(dir, "summary.md");
    writeFileSync(summary, "");
    const env = {
      PATH: process.env.PATH,
      ...scheduleJob(dir, { ...sandbox, repository: repositoryShape(sandbox.internals.shapes) }),
      GITHUB_STEP_SUMMARY: summary,
      "INPUT_GITHUB-TOKEN": sandbox.tokens.actions,
    };
    // execFile rejects on a non-zero exit: the step is not failed.
    const { stdout } = await promisify(execFile)(process.execPath, ["dist/index.js"], { env, timeout: 60_000 });
    expect(stdout).not.toContain("::error");
    expect(stdout).toMatch(/::warning::sweep stopped while reading the open tasks: \d+ requests made of the 20 a sweep may make \(sweep\.requestShare: 0\.1 of 200 an hour\)/);
    expect(readFileSync(summary, "utf8")).toMatch(/\*\*Coverage\*\* — read pages 1–\d of 10 \(\d00 open tasks\) with \d+ GitHub requests of the 20 a sweep may make\. The next sweep starts at page \d; at this pace the rest is read by the next (sweep|\d sweeps)\./);
    // What it did not reach is named, not every pending task: with no agent on, assignment was no step.
    expect(readFileSync(summary, "utf8")).toMatch(/Not reached: the open tasks from page \d on\n/);
    expect(sandbox.requests.length).toBeLessThanOrEqual(20);
    // Nothing to act on: it never read a comment, so it never asked who it writes as.
    expect(sandbox.requests.filter((request) => request.path === "/graphql")).toEqual([]);
    expect([...sandbox.internals.store.git.refs.keys()].filter((ref) => ref.startsWith("refs/orkestra/sweep/"))).toHaveLength(1);
  }, 60_000);

  it("the bundled Action's scheduled sweep, as a runner starts it, opens the dashboard and appends the ledger with the dashboard's ref in one request", async () => {
    // 100 pending tasks; the payload as GitHub sends it (the schedule, the workflow, the repository);
    // the job token only as the `github-token` input — GET /user would answer it 403.
    const clock = fixedClock(SEEDED_AT);
    sandbox = await startSandbox({ clock, collaborators: { alice: "write" } });
    seedWorld(sandbox, clock, "idle", 100);
    clock.set(SWEEP_AT);
    sandbox.clearRequests();
    const dir = mkdtempSync(join(tmpdir(), "orkestra-dist-"));
    const env = {
      PATH: process.env.PATH,
      ...scheduleJob(dir, { ...sandbox, repository: repositoryShape(sandbox.internals.shapes) }),
      GITHUB_STEP_SUMMARY: join(dir, "summary.md"),
      GITHUB_OUTPUT: join(dir, "outputs"),
      "INPUT_GITHUB-TOKEN": sandbox.tokens.actions,
    };
    writeFileSync(env.GITHUB_STEP_SUMMARY, "");
    writeFileSync(env.GITHUB_OUTPUT, "");
    const { stdout } = await promisify(execFile)(process.execPath, ["dist/index.js"], { env, timeout: 60_000 });
    expect(stdout).not.toContain("::error");
    const { store } = sandbox.internals;
    const dashboard = [...store.issues.values()].find((issue) => issue.title === "Orkestra dashboard");
    expect(dashboard?.body).toContain("Run the sweep now");
    // Later steps learn where the board is (`steps.<id>.outputs.dashboard`), as @actions/core writes outputs.
    expect(readFileSync(env.GITHUB_OUTPUT, "utf8")).toMatch(new RegExp(`^dashboard<<(.+)\\n${dashboard!.number}\\n\\1$`, "m"));
    expect(dashboard?.pinned).toBe(true);
    // The ledger's batch and the dashboard's ref: moved together (GraphQL updateRefs), no REST ref write.
    const ledger = store.git.refs.get("refs/orkestra/state/ledger");
    expect(ledger).toBeDefined();
    expect(store.git.refs.get(`refs/orkestra/dashboard/${dashboard!.number}`)).toBe(ledger);
    expect(sandbox.requests.filter((request) => request.path.includes("/git/refs"))).toEqual([]);
    expect(sandbox.requests.filter((request) => request.path === "/user")).toEqual([]);
    expect(sandbox.violations).toEqual([]);
    // A second run, nothing changed: no request for the dashboard or the ledger, nothing written.
    clock.set("2026-11-21T12:15:00Z");
    sandbox.clearRequests();
    await promisify(execFile)(process.execPath, ["dist/index.js"], { env, timeout: 60_000 });
    expect(sandbox.requests.filter((request) => request.method !== "GET")).toEqual([]);
    expect(store.git.refs.get("refs/orkestra/state/ledger")).toBe(ledger);
  }, 60_000);
});

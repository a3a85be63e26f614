/** The reading commands against a sandbox whose tasks, vote and plan Orkestra itself made (through the Action door). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { statusJsonSchema, agentsJsonSchema, auditJsonSchema, errorJsonSchema, plansJsonSchema, sweepJsonSchema, tasksJsonSchema, votesJsonSchema } from "../../src/cli/json.js";
import { scriptedAgentsConfig } from "../support/config.js";
import { startHarness, type Harness } from "../support/harness.js";
import { against, cli, writes } from "./support.js";

const CONFIG = scriptedAgentsConfig({ alpha: {}, beta: {}, gamma: {} });

describe("orkestra's reading commands", () => {
  let h: Harness;
  let flags: string[];
  let env: Record<string, string | undefined>;
  const issues: Record<string, number> = {};

  beforeAll(async () => {
    h = await startHarness("action", { files: { ".github/orkestra.yml": CONFIG } });
    const alice = h.sandbox.as("alice");
    issues.login = alice.openIssue({ title: "Build the login page", body: "Users sign in." }).number;
    issues.docs = alice.openIssue({ title: "Write the user guide with a title long enough to be cut in a table column", body: "" }).number;
    await h.settle();
    issues.vote = alice.openIssue({ title: "Pick a database", body: "We need one." }).number;
    await h.settle();
    alice.comment(issues.vote, "/propose Which database? method=ranked deadline=2d quorum=2 voters=@alice,@mona\n- Postgres\n- SQLite");
    await h.settle();
    alice.comment(issues.vote, "/vote Postgres");
    await h.settle();
    issues.epic = alice.openIssue({ title: "Payments", body: "Take card payments." }).number;
    await h.settle();
    h.sandbox.as("trish").comment(issues.epic, "/plan");
    await h.settle();
    ({ flags, env } = against(h.sandbox, h.sandbox.tokenFor("alice")));
  });

  afterAll(async () => {
    await h.close();
  });

  it("tasks --json lists the open tasks with status, priority, type and agent", async () => {
    const run = await cli(["tasks", "--json", ...flags], env);
    expect(run.code).toBe(0);
    const parsed = tasksJsonSchema.parse(JSON.parse(run.stdout));
    expect(parsed.repo).toBe("octo-org/orkestra-demo");
    expect(parsed.truncated).toBe(false);
    const login = parsed.tasks.find((task) => task.number === issues.login);
    expect(login).toMatchObject({ title: "Build the login page", status: "pending", priority: "medium", type: "technical", agent: null });
    expect(parsed.tasks.map((task) => task.number)).toEqual([...parsed.tasks.map((task) => task.number)].sort((a, b) => a - b));
  });

  it("tasks prints an aligned table for people, long titles cut with …", async () => {
    const run = await cli(["tasks", ...flags], env);
    expect(run.code).toBe(0);
    const lines = run.stdout.split("\n");
    const header = lines.find((line) => line.includes("STATUS"))!;
    expect(header).toMatch(/#\s+STATUS\s+PRIORITY\s+TYPE\s+AGENT\s+TITLE/);
    const row = lines.find((line) => line.includes("Build the login page"))!;
    // Columns line up: the title starts where its heading does.
    expect(row.indexOf("Build the login page")).toBe(header.indexOf("TITLE"));
    expect(run.stdout).toContain("Write the user guide with a title long enough to be cut in…");
    // No colour when stdout is not a terminal.
    expect(run.stdout).not.toContain("\u001b[");
  });

  it("tasks --status and --limit filter, and say when the listing was cut", async () => {
    const done = tasksJsonSchema.parse(JSON.parse((await cli(["tasks", "--json", "--status", "done", ...flags], env)).stdout));
    expect(done.tasks).toEqual([]);
    const one = tasksJsonSchema.parse(JSON.parse((await cli(["tasks", "--json", "--limit", "1", ...flags], env)).stdout));
    expect(one.tasks).toHaveLength(1);
    expect(one.truncated).toBe(true);
  });

  it("votes --json shows the open vote with its deadline, ballots and leader", async () => {
    const run = await cli(["votes", "--json", ...flags], env);
    expect(run.code).toBe(0);
    const { votes } = votesJsonSchema.parse(JSON.parse(run.stdout));
    expect(votes).toEqual([
      expect.objectContaining({ issue: issues.vote, question: "Which database?", method: "ranked", deadline: "2026-11-23T09:00:00.000Z", voters: 2, quorum: 2, ballots: 1 }),
    ]);
    const table = await cli(["votes", ...flags], env);
    expect(table.stdout).toMatch(/#\d+\s+Which database\?\s+ranked\s+2026-11-23T09:00:00.000Z\s+1\/2/);
  });

  it("plans --json shows the epic being planned and its plan's status", async () => {
    const run = await cli(["plans", "--json", ...flags], env);
    expect(run.code).toBe(0);
    const { plans } = plansJsonSchema.parse(JSON.parse(run.stdout));
    expect(plans).toEqual([expect.objectContaining({ issue: issues.epic, title: "Payments", status: "proposed", planners: ["alpha", "beta", "gamma"] })]);
    expect(plans[0]!.rounds).toBeGreaterThanOrEqual(1);
  });

  it("agents --json lists the configured agents with today's spending", async () => {
    const run = await cli(["agents", "--json", ...flags], env);
    expect(run.code).toBe(0);
    const parsed = agentsJsonSchema.parse(JSON.parse(run.stdout));
    expect(parsed.agents.filter((agent) => agent.enabled).map((agent) => agent.name)).toEqual(["alpha", "beta", "gamma"]);
    expect(parsed.agents.find((agent) => agent.name === "claude")).toMatchObject({ enabled: false });
    expect(parsed.today.budgetUsd).toBe(25);
  });

  it("audit --json reads the ledger, newest first", async () => {
    const run = await cli(["audit", "--json", "--limit", "20", ...flags], env);
    expect(run.code).toBe(0);
    const parsed = auditJsonSchema.parse(JSON.parse(run.stdout));
    expect(parsed.entries.length).toBeLessThanOrEqual(20);
    const times = parsed.entries.map((entry) => entry.at);
    expect(times).toEqual([...times].sort().reverse());
  });

  // `status` reads the dashboard's model (src/handlers/dashboard/read.ts, written separately).
  it("status --json prints the board's model", async () => {
    const run = await cli(["status", "--json", ...flags], env);
    expect(run.code).toBe(0);
    const model = statusJsonSchema.parse(JSON.parse(run.stdout));
    expect(model.repo).toBe("octo-org/orkestra-demo");
    expect(model.votes.map((vote) => vote.issue)).toContain(issues.vote);
    expect(model.plans.map((plan) => plan.issue)).toContain(issues.epic);
    const table = await cli(["status", ...flags], env);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain("Open tasks:");
  });

  it("sweep --dry-run reports what the sweep would do and writes nothing", async () => {
    await h.settle();
    const before = h.sandbox.state.issues().map((issue) => ({ ...issue }));
    h.sandbox.clearRequests();
    const run = await cli(["sweep", "--dry-run", "--json", ...flags], env);
    expect(run.code).toBe(0);
    const report = sweepJsonSchema.parse(JSON.parse(run.stdout));
    expect(report.sweep).toBe("ran");
    expect(report.coverage?.text).toContain("open tasks");
    expect(h.sandbox.requests.length).toBeGreaterThan(0);
    expect(writes(h.sandbox)).toEqual([]);
    expect(h.sandbox.state.issues()).toEqual(before);
  });

  it("sweep without --dry-run is refused: the CLI does not write", async () => {
    h.sandbox.clearRequests();
    const run = await cli(["sweep", "--json", ...flags], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--dry-run");
    expect(run.stderr).toMatch(/Action .* or the app/);
    expect(errorJsonSchema.parse(JSON.parse(run.stdout)).error.code).toBe(2);
    expect(h.sandbox.requests).toEqual([]);
  });

  it("a refused token exits 3 and says what to fix", async () => {
    const run = await cli(["tasks", ...flags], { GITHUB_TOKEN: "ghp_not_a_real_token" });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("401");
    expect(run.stderr).toMatch(/set GITHUB_TOKEN or GH_TOKEN/);
    expect(run.stdout).toBe("");
  });

  it("a repository the token cannot see exits 3 naming --repo", async () => {
    const run = await cli(["tasks", "--repo", "octo-org/elsewhere", "--api-url", h.sandbox.url], env);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("--repo");
  });
});

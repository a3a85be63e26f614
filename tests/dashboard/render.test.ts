import { describe, expect, it } from "vitest";
import { tickedActions, untickAll } from "../../src/domain/dashboard/checkboxes.js";
import type { DashboardAgent, DashboardModel, DashboardTask } from "../../src/domain/dashboard/model.js";
import {
  DASHBOARD_CAPS,
  DASHBOARD_KIND,
  DASHBOARD_TITLE,
  GRAPH_MAX_EDGES,
  GRAPH_MAX_NODES,
  MAX_DASHBOARD_CHARS,
  cachedAgents,
  dashboardDigest,
  renderDashboard,
  withPause,
} from "../../src/domain/dashboard/render.js";
import { parseMarker } from "../../src/domain/markers.js";

const AT = "2026-11-21T10:00:00.000Z";
const LEASE = "2026-11-21T12:30:00.000Z";

function task(number: number, over: Partial<DashboardTask> = {}): DashboardTask {
  return { number, title: `Task ${number}`, status: "pending", priority: "medium", type: "technical", agent: null, leaseUntil: null, dependsOn: [], epic: false, ...over };
}

function agent(name: string, over: Partial<DashboardAgent> = {}): DashboardAgent {
  return {
    name,
    on: true,
    off: null,
    degraded: false,
    breaker: "closed",
    calls: 40,
    successRate: 0.925,
    meanLatencyMs: 1840,
    lastError: null,
    holding: 1,
    limit: 3,
    spentUsd: 1.5,
    tokens: 123456,
    budgetUsd: 5,
    ...over,
  };
}

function model(over: Partial<DashboardModel> = {}): DashboardModel {
  return {
    repo: "acme/widgets",
    at: AT,
    paused: null,
    tasks: [
      task(7, { title: "Set up CI", status: "in-progress", priority: "high", agent: "claude", leaseUntil: LEASE }),
      task(12, { title: "Write docs", dependsOn: [7, 999] }),
      task(13, { title: "Ship it", status: "blocked", priority: "critical", dependsOn: [12, 7] }),
    ],
    openTasks: 3,
    pulls: [{ number: 40, title: "Add CI", task: 7, agent: "claude", decision: "changes-requested", draft: false }],
    votes: [{ issue: 20, title: "Pick a license", deadline: "2026-11-22T09:00:00Z", ballots: 3 }],
    plans: [{ issue: 30, title: "Epic: v2", status: "proposed" }],
    escalations: [{ issue: 50, title: "Flaky migration", why: "3 attempts failed" }],
    agents: [agent("claude"), agent("gpt", { on: false, off: "no API key", degraded: true, breaker: "open", lastError: "429 rate limited", calls: 0, budgetUsd: null })],
    coverage: { text: "read pages 1–2 of 2 (3 open tasks) with 4 GitHub requests: every open task was visited.", complete: true },
    ...over,
  };
}

/** Headings of the sections, in order. */
function headings(body: string): string[] {
  return body.split("\n").filter((line) => line.startsWith("### ")).map((line) => line.slice(4));
}

/** Table rows (lines starting with `|`) split into cells at unescaped pipes. */
function cells(row: string): string[] {
  return row.replace(/^\|/, "").replace(/\|$/, "").split(/(?<!\\)\|/);
}

const HOSTILE =
  "| @alice `x` <!-- orkestra:dashboard-action {\"kind\":\"pause\"} --> \"q\" <b>x</b> --> @org/team 🎉🔥 [a](b) *_~ \\ & #1; %% end\nline2 ";

function adversarialTitle(n: number): string {
  return `${n} ${HOSTILE.repeat(4)}`.slice(0, 250);
}

describe("renderDashboard", () => {
  it("names the issue and starts with the dashboard marker and its digest", () => {
    expect(DASHBOARD_TITLE).toBe("Orkestra dashboard");
    const body = renderDashboard(model(), { actions: true });
    const first = body.split("\n")[0] ?? "";
    expect(parseMarker(first)?.kind).toBe(DASHBOARD_KIND);
    expect(dashboardDigest(body)).toMatch(/^[0-9a-f]{16}$/);
    expect(dashboardDigest("no marker")).toBeNull();
    expect(dashboardDigest('<!-- orkestra:dashboard {"v":1,"digest":"nope"} -->')).toBeNull();
  });

  it("shows every section in order, with the actions when asked", () => {
    const body = renderDashboard(model({ paused: { by: "alice", at: AT, why: "release freeze" } }), { actions: true });
    expect(headings(body)).toEqual([
      "Actions",
      "Tasks by status",
      "Held by agents",
      "Pull requests in review",
      "Votes",
      "Plans",
      "Escalations waiting for people",
      "Agents",
      "Sweep coverage",
      "Dependencies",
    ]);
    expect(body.indexOf("Orkestra is paused")).toBeLessThan(body.indexOf("### Actions"));
    expect(body).toContain("by @\u200balice since 2026-11-21 10:00 UTC — release freeze");
    expect(body.trimEnd().split("\n").at(-1)).toMatch(/^<sub>Orkestra keeps this issue up to date\. A person with write permission ticks a box.*overwritten\.<\/sub>$/);
  });

  it("leaves out the actions, the paused banner and empty sections when they do not apply", () => {
    const body = renderDashboard(model({ pulls: [], votes: [], plans: [], escalations: [], coverage: null, tasks: [task(1)] }), { actions: false });
    expect(headings(body)).toEqual(["Tasks by status", "Agents"]);
    expect(body).not.toContain("orkestra:dashboard-action");
    expect(body).not.toContain("paused");
    expect(body).not.toContain("- [ ]");
  });

  it("offers pause when running and resume when paused, and a retry per escalation", () => {
    const running = renderDashboard(model(), { actions: true });
    expect(running).toContain('- [ ] <!-- orkestra:dashboard-action {"kind":"sweep"} --> Run the sweep now');
    expect(running).toContain('- [ ] <!-- orkestra:dashboard-action {"kind":"pause"} --> Pause Orkestra in this repository');
    expect(running).not.toContain('"resume"');
    expect(running).toContain('- [ ] <!-- orkestra:dashboard-action {"kind":"retry","issue":50} --> Retry #50 (Flaky migration)');
    const paused = renderDashboard(model({ paused: { by: "alice", at: AT, why: null } }), { actions: true });
    expect(paused).toContain('- [ ] <!-- orkestra:dashboard-action {"kind":"resume"} --> Resume Orkestra');
    expect(paused).not.toContain('"pause"');
    // The boxes it renders are the ones tickedActions reads.
    expect(tickedActions(paused, paused.replace("- [ ] <!-- orkestra:dashboard-action {\"kind\":\"resume\"}", "- [x] <!-- orkestra:dashboard-action {\"kind\":\"resume\"}"))).toEqual([{ kind: "resume" }]);
  });

  it("shows tasks by status with counts, leases as absolute times, and who holds what", () => {
    const body = renderDashboard(model(), { actions: false });
    expect(body).toContain("**3** open tasks: 🟡 pending **1** · 🟢 in-progress **1** · ⛔ blocked **1**");
    expect(body).toContain("The last sweep read pages 1–2 of 2");
    expect(body).toContain("| #7 | Set up CI | high | claude | until 2026-11-21 12:30 UTC |");
    expect(body).toContain("| claude | #7 | Set up CI | until 2026-11-21 12:30 UTC |");
    expect(body).toContain("| #40 | Add CI | #7 | claude | changes-requested |");
    expect(body).toContain("| #20 | Pick a license | 2026-11-22 09:00 UTC | 3 |");
    expect(body).toContain("| #30 | Epic: v2 | proposed |");
    expect(body).toContain("| #50 | Flaky migration | 3 attempts failed |");
    expect(body).not.toMatch(/\bin \d+ (minutes|hours)\b/);
  });

  it("says which tasks the sweep has not read yet", () => {
    const body = renderDashboard(model({ openTasks: 1200 }), { actions: false });
    expect(body).toContain("Showing the 3 open tasks the sweep read, of 1,200.");
  });

  it("shows each agent's state, health, success rate, latency, load and spending", () => {
    const body = renderDashboard(model(), { actions: false });
    expect(body).toContain("| claude | on | ok | 93% of 40 | 1.8 s | — | 1/3 | $1.50 of $5.00, 123,456 tokens |");
    expect(body).toContain("| gpt | off: no API key | degraded, breaker open | no call yet | — | 429 rate limited | 1/3 | $1.50 no budget, 123,456 tokens |");
  });

  it("draws the dependencies between listed tasks only", () => {
    const body = renderDashboard(model(), { actions: false });
    const graph = /```mermaid\n([\s\S]*?)```/.exec(body)?.[1] ?? "";
    expect(graph).toContain('t7["#7 Set up CI"]');
    expect(graph).toContain("t7 --> t12");
    expect(graph).toContain("t7 --> t13");
    expect(graph).toContain("t12 --> t13");
    expect(graph).not.toContain("999");
    expect(renderDashboard(model({ tasks: [task(1), task(2, { dependsOn: [5] })] }), { actions: false })).not.toContain("mermaid");
  });

  it("escapes hostile titles, names and errors", () => {
    const hostile = model({
      paused: { by: "evil", at: AT, why: HOSTILE },
      tasks: [task(1, { title: HOSTILE, agent: "@bob|x", leaseUntil: LEASE }), task(2, { title: HOSTILE, dependsOn: [1] })],
      pulls: [{ number: 3, title: HOSTILE, task: 1, agent: HOSTILE, decision: HOSTILE, draft: true }],
      votes: [{ issue: 4, title: HOSTILE, deadline: null, ballots: 0 }],
      plans: [{ issue: 5, title: HOSTILE, status: HOSTILE }],
      escalations: [{ issue: 6, title: HOSTILE, why: HOSTILE }],
      agents: [agent(HOSTILE, { lastError: HOSTILE, off: HOSTILE, on: false })],
    });
    const body = renderDashboard(hostile, { actions: true });
    // The only HTML comments are Orkestra's own markers: the dashboard's and its boxes'.
    const comments = body.match(/<!--[\s\S]*?-->/g) ?? [];
    expect(comments).toHaveLength(4);
    for (const comment of comments) expect(comment).toMatch(/^<!-- orkestra:dashboard(-action)? \{[^<>]*\} -->$/);
    expect(tickedActions("", body.replace(/- \[ \]/g, "- [x]"))).toEqual([{ kind: "sweep" }, { kind: "resume" }, { kind: "retry", issue: 6 }]);
    // No mention pings, no raw HTML.
    expect(body).not.toMatch(/@(?!\u200b)[A-Za-z0-9]/);
    expect(body).not.toMatch(/(?<!\\)<(?!!-- orkestra:|sub>|\/sub>)/);
    // Every table row has exactly its header's columns.
    const lines = body.split("\n");
    let columns = 0;
    let rows = 0;
    lines.forEach((line, index) => {
      if (!line.startsWith("|") || line.startsWith("|---")) return;
      if (lines[index + 1]?.startsWith("|---")) columns = cells(line).length;
      else {
        rows += 1;
        expect(cells(line), line).toHaveLength(columns);
      }
    });
    expect(rows).toBe(8);
    // Mermaid labels are quoted and hold nothing that ends or breaks them.
    const graph = /```mermaid\n([\s\S]*?)```/.exec(body)?.[1] ?? "";
    const labels = [...graph.matchAll(/\["([^\n]*)"\]/g)].map((match) => match[1] ?? "");
    expect(labels).toHaveLength(2);
    for (const label of labels) {
      expect(label).not.toMatch(/["`<>;%&[\]{}|\n]/);
      expect(label.replace(/^#\d+ /, "")).not.toContain("#");
      expect([...label.replace(/^#\d+ /, "")].length).toBeLessThanOrEqual(60);
    }
    for (const line of graph.trim().split("\n")) expect(line).toMatch(/^(graph LR| {2}t\d+\["#\d+[^"]*"\]| {2}t\d+ --> t\d+)$/);
  });

  it("gives the same digest whatever boxes are ticked, and another when the board changes", () => {
    const body = renderDashboard(model(), { actions: true });
    const ticked = body.replace(/- \[ \]/g, "- [x]");
    expect(dashboardDigest(ticked)).toBe(dashboardDigest(body));
    expect(untickAll(ticked)).toBe(body);
    expect(renderDashboard(model(), { actions: true })).toBe(body);
    const changed = renderDashboard(model({ tasks: [...model().tasks, task(14)] }), { actions: true });
    expect(dashboardDigest(changed)).not.toBe(dashboardDigest(body));
    const lease = renderDashboard(model({ tasks: model().tasks.map((t) => (t.number === 7 ? { ...t, leaseUntil: "2026-11-21T13:00:00Z" } : t)) }), { actions: true });
    expect(dashboardDigest(lease)).not.toBe(dashboardDigest(body));
    // `at` (when the board was read) is not shown, so re-reading an unchanged board changes nothing.
    expect(renderDashboard(model({ at: "2026-11-21T10:05:00Z" }), { actions: true })).toBe(body);
  });

  it("caps each list with an exact '… and N more' line", () => {
    const tasks = Array.from({ length: 40 }, (_, i) => task(i + 1, { agent: i < 60 ? "claude" : null, leaseUntil: LEASE }));
    const pulls = Array.from({ length: 70 }, (_, i) => ({ number: 1000 + i, title: "pr", task: null, agent: null, decision: null, draft: false }));
    const escalations = Array.from({ length: 51 }, (_, i) => ({ issue: 2000 + i, title: "e", why: "w" }));
    const body = renderDashboard(model({ tasks, pulls, escalations, votes: [], plans: [] }), { actions: true });
    expect(body).toContain(`… and ${40 - DASHBOARD_CAPS.tasksPerStatus} more tasks`);
    expect(body).not.toContain("more held tasks");
    expect(body).toContain(`… and ${70 - DASHBOARD_CAPS.pulls} more pull requests`);
    expect(body).toContain("… and 1 more escalations");
    expect(body).toContain("… and 1 more retries");
    expect(body.match(/"kind":"retry"/g)).toHaveLength(DASHBOARD_CAPS.escalations);
    expect(body.match(/^\| #\d+ \| Task \d+ \|/gm)).toHaveLength(DASHBOARD_CAPS.tasksPerStatus);
  });

  it("draws at most GRAPH_MAX_NODES tasks and says how many are left out", () => {
    const tasks = Array.from({ length: 400 }, (_, i) => task(i + 1, { dependsOn: i > 0 ? [i] : [] }));
    const body = renderDashboard(model({ tasks, openTasks: 400 }), { actions: false });
    const graph = /```mermaid\n([\s\S]*?)```/.exec(body)?.[1] ?? "";
    expect(graph.match(/^ {2}t\d+\[/gm)).toHaveLength(GRAPH_MAX_NODES);
    expect(graph.match(/-->/g)).toHaveLength(GRAPH_MAX_NODES - 1);
    expect(body).toContain(`… and ${400 - GRAPH_MAX_NODES} more tasks not drawn`);
  });

  it("draws at most GRAPH_MAX_EDGES dependencies and says how many are left out", () => {
    // 30 tasks, each waiting for every earlier one: 435 edges.
    const tasks = Array.from({ length: 30 }, (_, i) => task(i + 1, { dependsOn: Array.from({ length: i }, (_, j) => j + 1) }));
    const body = renderDashboard(model({ tasks, openTasks: 30 }), { actions: false });
    expect(body.match(/^ {2}t\d+ --> t\d+$/gm)).toHaveLength(GRAPH_MAX_EDGES);
    expect(body).toContain(`… and ${435 - GRAPH_MAX_EDGES} more dependencies not drawn`);
    expect(body).not.toContain("tasks not drawn");
  });

  it("stays under the size budget with 10,000 adversarial tasks, dropping the graph first", () => {
    const tasks = Array.from({ length: 10_000 }, (_, i) =>
      task(i + 1, {
        title: adversarialTitle(i + 1),
        status: (["pending", "assigned", "in-progress", "review", "blocked", null] as const)[i % 6] ?? null,
        priority: (["low", "medium", "high", "critical"] as const)[i % 4],
        agent: i % 3 === 0 ? `agent-${i % 20}-${"🎉".repeat(30)}` : null,
        leaseUntil: i % 3 === 0 ? LEASE : null,
        dependsOn: i > 0 ? [i, Math.floor(i / 2) + 1] : [],
        epic: i % 50 === 0,
      }),
    );
    const huge = model({
      paused: { by: "x".repeat(300), at: AT, why: HOSTILE.repeat(10) },
      tasks,
      openTasks: 10_000,
      pulls: Array.from({ length: 500 }, (_, i) => ({ number: 20_000 + i, title: adversarialTitle(i), task: i + 1, agent: HOSTILE, decision: HOSTILE, draft: i % 2 === 0 })),
      votes: Array.from({ length: 500 }, (_, i) => ({ issue: 30_000 + i, title: adversarialTitle(i), deadline: AT, ballots: i })),
      plans: Array.from({ length: 500 }, (_, i) => ({ issue: 40_000 + i, title: adversarialTitle(i), status: HOSTILE })),
      escalations: Array.from({ length: 500 }, (_, i) => ({ issue: 50_000 + i, title: adversarialTitle(i), why: HOSTILE.repeat(3) })),
      agents: Array.from({ length: 20 }, (_, i) => agent(`${HOSTILE}${i}`, { lastError: HOSTILE.repeat(5), off: HOSTILE })),
      coverage: { text: HOSTILE.repeat(100), complete: false },
    });
    const started = performance.now();
    const body = renderDashboard(huge, { actions: true });
    const elapsed = performance.now() - started;
    console.warn(`10,000-task dashboard: ${body.length} characters (${[...body].length} code points), rendered in ${Math.round(elapsed)} ms`);
    expect(body.length).toBeLessThan(MAX_DASHBOARD_CHARS);
    expect(body.length).toBeLessThan(65_536);
    expect(body).not.toContain("```mermaid");
    expect(body).toContain("the dependency graph is left out and lists show fewer rows");
    expect(headings(body)).toEqual([
      "Actions",
      "Tasks by status",
      "Held by agents",
      "Pull requests in review",
      "Votes",
      "Plans",
      "Escalations waiting for people",
      "Agents",
      "Sweep coverage",
    ]);
    // The counts stay exact even when the rows shrink.
    const shownPending = (/#### 🟡 pending \(1,667\)\n\n\|[^\n]*\n\|---[^\n]*\n((?:\|[^\n]*\n)*)/.exec(body)?.[1] ?? "").split("\n").filter(Boolean).length;
    expect(body).toContain(`… and ${(1667 - shownPending).toLocaleString("en-US")} more tasks`);
    expect(dashboardDigest(body)).toMatch(/^[0-9a-f]{16}$/);
    expect(body).not.toMatch(/@(?!\u200b)[A-Za-z0-9]/);
  });

  it("drops the graph before shortening any list", () => {
    const statuses = ["pending", "assigned", "in-progress", "review", "blocked", "failed", "done"] as const;
    const tasks = Array.from({ length: 1000 }, (_, i) =>
      task(i + 1, { title: "ab<".repeat(27), status: statuses[i % 7], agent: "x<".repeat(20), leaseUntil: LEASE, dependsOn: i > 0 ? [i] : [] }),
    );
    const board = model({ tasks, openTasks: 1000, pulls: [], votes: [], plans: [], escalations: [], agents: [], coverage: null });
    const body = renderDashboard(board, { actions: false });
    expect(body.length).toBeLessThanOrEqual(MAX_DASHBOARD_CHARS);
    expect(body).not.toContain("```mermaid");
    expect(body).toContain("✂️ This board is shortened to stay within GitHub's size limit for an issue: the dependency graph is left out.");
    expect(body.match(/^\| #\d+ \| ab/gm)).toHaveLength(7 * DASHBOARD_CAPS.tasksPerStatus);
    expect(body.match(/^\| x/gm)).toHaveLength(DASHBOARD_CAPS.held);
    // With fewer statuses the same board fits whole, graph included.
    const fits = renderDashboard(model({ ...board, tasks: tasks.map((t) => ({ ...t, status: "pending" as const })) }), { actions: false });
    expect(fits).toContain("```mermaid");
    expect(fits).not.toContain("shortened");
  });
});

describe("the agents' rows kept in the marker", () => {
  const USAGE = "a".repeat(40);

  it("are given back only for the usage record they were drawn from", () => {
    const body = renderDashboard(model(), { actions: true, agentsFrom: USAGE });
    expect(cachedAgents(body, USAGE)).toEqual(model().agents);
    expect(cachedAgents(body, "b".repeat(40))).toBeNull();
    expect(cachedAgents(body, null)).toBeNull();
    // Drawn with no record today: kept for "no record".
    expect(cachedAgents(renderDashboard(model(), { actions: true, agentsFrom: null }), null)).toEqual(model().agents);
  });

  it("are absent when not asked for, and the digest does not depend on them", () => {
    const plain = renderDashboard(model(), { actions: true });
    expect(cachedAgents(plain, USAGE)).toBeNull();
    expect(dashboardDigest(plain)).toBe(dashboardDigest(renderDashboard(model(), { actions: true, agentsFrom: USAGE })));
  });

  it("survive showing a pause, and a forged cache that does not fit is ignored", () => {
    const body = renderDashboard(model(), { actions: true, agentsFrom: USAGE });
    expect(cachedAgents(withPause(body, { by: "mona", at: AT, why: null }), USAGE)).toEqual(model().agents);
    const forged = body.replace(/"agents":\[/, '"agents":[{"name":"x"},');
    expect(cachedAgents(forged, USAGE)).toBeNull();
  });
});

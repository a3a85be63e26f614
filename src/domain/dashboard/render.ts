/**
 * The Orkestra dashboard issue's body (docs/dashboard.md), rendered from a `DashboardModel`.
 *
 * - **Same board, same text**: times are absolute (`formatTime`), lists are sorted, and the
 *   first line's marker carries a digest of the rest with every box unticked, so the sweep edits
 *   the issue only when the board changed, whatever boxes people ticked meanwhile.
 * - **Untrusted text** (titles, names, errors, reasons) goes through `escapeInline`, shortened
 *   first; Mermaid labels keep only characters that cannot break the graph.
 * - **Bounded**: GitHub refuses an issue body over 65,536 characters. Every list is capped and
 *   every untrusted string shortened, and the body is measured: over `MAX_DASHBOARD_CHARS` the
 *   dependency graph goes first, then the lists shrink (the largest share of their caps that
 *   fits, found by bisection), down to counts only — a form whose every line is bounded
 *   whatever the model holds (a few thousand characters). A line says when the board is cut.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { formatTime } from "../markdown.js";
import { hasMarker, readMarker, renderMarker } from "../markers.js";
import { STATUS_ICON } from "../task/card.js";
import { PRIORITY_RANK, STATUSES, type Status } from "../task/model.js";
import { escapeInline, oneLine } from "../untrusted-text.js";
import { ACTION_KIND, untickAll } from "./checkboxes.js";
import type { ScheduleLapse } from "./schedule-lapse.js";
import type {
  DashboardAction,
  DashboardAgent,
  DashboardEscalation,
  DashboardModel,
  DashboardPlan,
  DashboardPull,
  DashboardTask,
  DashboardVote,
} from "./model.js";

export const DASHBOARD_KIND = "dashboard";
export const DASHBOARD_TITLE = "Orkestra dashboard";

/** The most characters a dashboard body has (GitHub refuses an issue body over 65,536). */
export const MAX_DASHBOARD_CHARS = 60_000;

/** How many rows each list shows at most (before shrinking to fit `MAX_DASHBOARD_CHARS`). */
export const DASHBOARD_CAPS = {
  tasksPerStatus: 25,
  held: 50,
  pulls: 50,
  votes: 50,
  plans: 50,
  escalations: 50,
  agents: 50,
} as const;

/** The dependency graph draws at most this many tasks and edges. */
export const GRAPH_MAX_NODES = 150;
export const GRAPH_MAX_EDGES = 300;

/** Longest untrusted strings shown, in characters (before escaping). */
const TITLE_MAX = 80;
const NAME_MAX = 40;
const REASON_MAX = 160;
const COVERAGE_MAX = 600;
const LABEL_MAX = 60;

const digestSchema = z.object({ v: z.literal(1), digest: z.string().regex(/^[0-9a-f]{16}$/) });

const agentSchema = z.object({
  name: z.string(),
  on: z.boolean(),
  off: z.string().nullable(),
  degraded: z.boolean(),
  breaker: z.enum(["closed", "open", "half-open"]),
  calls: z.number(),
  successRate: z.number(),
  meanLatencyMs: z.number(),
  lastError: z.string().nullable(),
  holding: z.number(),
  limit: z.number(),
  spentUsd: z.number(),
  tokens: z.number(),
  budgetUsd: z.number().nullable(),
});

/** What the marker keeps of the agents' section: the day's usage record it was drawn from, and its rows. */
const agentsCacheSchema = z.object({ usage: z.string().nullable(), agents: z.array(agentSchema).max(100) });
type AgentsCache = z.infer<typeof agentsCacheSchema>;

/** Statuses in the order shown; `null` is a task without a status label. */
const STATUS_ORDER: readonly (Status | null)[] = [...STATUSES, null];

interface Caps {
  tasksPerStatus: number;
  held: number;
  pulls: number;
  votes: number;
  plans: number;
  escalations: number;
  agents: number;
}

interface Layout {
  caps: Caps;
  graph: boolean;
  /** Why the board is cut, shown at its top; null when nothing is. */
  note: string | null;
}

/** The model with its lists sorted once, so every layout tried renders the same order. */
interface Sorted {
  model: DashboardModel;
  byStatus: Map<Status | null, DashboardTask[]>;
  held: DashboardTask[];
  pulls: DashboardPull[];
  votes: DashboardVote[];
  plans: DashboardPlan[];
  escalations: DashboardEscalation[];
  agents: DashboardAgent[];
  graph: string[] | null;
}

/**
 * The dashboard issue's body. `actions` adds the boxes people tick to act (the issue has them;
 * a job summary or `orkestra status` does not). Always at most `MAX_DASHBOARD_CHARS` long.
 */
export function renderDashboard(model: DashboardModel, options: { actions: boolean; agentsFrom?: string | null }): string {
  const sorted = sortModel(model);
  // The agents' rows and the usage record they came from, kept in the marker for the next drawing.
  const cache = options.agentsFrom === undefined ? undefined : { usage: options.agentsFrom, agents: model.agents };
  const full: Layout = { caps: { ...DASHBOARD_CAPS }, graph: true, note: null };
  const first = assemble(sorted, options, full, cache);
  if (first.length <= MAX_DASHBOARD_CHARS) return first;

  const graphNote = sorted.graph ? "the dependency graph is left out" : null;
  const withoutGraph = assemble(sorted, options, { ...full, graph: false, note: cutNote(graphNote, false) }, cache);
  if (withoutGraph.length <= MAX_DASHBOARD_CHARS) return withoutGraph;

  // The largest share (in percent) of the caps that fits; 0 (counts only) always does.
  const at = (percent: number) =>
    assemble(sorted, options, { caps: scaleCaps(percent), graph: false, note: cutNote(graphNote, true) }, cache);
  let low = 0;
  let high = 99;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (at(mid).length <= MAX_DASHBOARD_CHARS) low = mid;
    else high = mid - 1;
  }
  const body = at(low);
  return body.length <= MAX_DASHBOARD_CHARS ? body : hardCut(body);
}

/** Whether a body is Orkestra's dashboard (its marker): such an issue is never a task. */
export function isDashboardBody(body: string | null | undefined): boolean {
  return hasMarker(body, DASHBOARD_KIND);
}

/** The digest in a dashboard body's marker; null when the body has no valid dashboard marker. */
export function dashboardDigest(body: string): string | null {
  return readMarker(body, DASHBOARD_KIND, digestSchema)?.digest ?? null;
}

function assemble(sorted: Sorted, options: { actions: boolean }, layout: Layout, cache: AgentsCache | undefined): string {
  return withDigest(renderBody(sorted, options, layout), cache);
}

function withDigest(rest: string, cache: AgentsCache | undefined): string {
  const digest = createHash("sha256").update(untickAll(rest)).digest("hex").slice(0, 16);
  return `${renderMarker(DASHBOARD_KIND, { v: 1, digest, ...cache })}\n${rest}`;
}

/**
 * The agents' rows a dashboard body was drawn with, when they came from the day's usage record at
 * `usage` (null: there was none): drawing again needs no read of it. Null otherwise.
 */
export function cachedAgents(body: string, usage: string | null): DashboardModel["agents"] | null {
  const cache = readMarker(body, DASHBOARD_KIND, agentsCacheSchema);
  return cache && cache.usage === usage ? cache.agents : null;
}

const TITLE_LINE = "## 🎼 Orkestra dashboard";
const PAUSED_LINE = "> ⏸️ **Orkestra is paused";

/**
 * A dashboard body (as Orkestra wrote it) showing `pause` — or no pause — without the board being
 * read again: while paused the sweep reads nothing, so the banner and the pause/resume box are
 * changed in the text it already has. The rest shows the board as it was when paused.
 */
export function withPause(body: string, pause: DashboardModel["paused"]): string {
  const lines = body.split("\n").slice(1);
  const banner = lines.findIndex((line) => line.startsWith(PAUSED_LINE));
  if (banner >= 0) lines.splice(banner, lines[banner + 1] === "" ? 2 : 1);
  if (pause) {
    const title = lines.indexOf(TITLE_LINE);
    lines.splice(title + 1, 0, "", renderPaused(pause, true));
    if (lines[title + 3] !== "") lines.splice(title + 3, 0, "");
  }
  const pauseBox = box({ kind: "pause" }, "Pause Orkestra in this repository");
  const resumeBox = box({ kind: "resume" }, "Resume Orkestra");
  const swapped = lines.map((line) => {
    const action = line.replace(/^- \[[ xX]\] /, "- [ ] ");
    if (pause && action === pauseBox) return resumeBox;
    if (!pause && action === resumeBox) return pauseBox;
    return line;
  });
  return withDigest(swapped.join("\n"), readMarker(body, DASHBOARD_KIND, agentsCacheSchema) ?? undefined);
}

function cutNote(graph: string | null, lists: boolean): string | null {
  const parts = [graph, lists ? "lists show fewer rows" : null].filter((part) => part !== null);
  if (parts.length === 0) return null;
  return `✂️ This board is shortened to stay within GitHub's size limit for an issue: ${parts.join(" and ")}.`;
}

function scaleCaps(percent: number): Caps {
  const scale = (cap: number) => Math.floor((cap * percent) / 100);
  return {
    tasksPerStatus: scale(DASHBOARD_CAPS.tasksPerStatus),
    held: scale(DASHBOARD_CAPS.held),
    pulls: scale(DASHBOARD_CAPS.pulls),
    votes: scale(DASHBOARD_CAPS.votes),
    plans: scale(DASHBOARD_CAPS.plans),
    escalations: scale(DASHBOARD_CAPS.escalations),
    agents: scale(DASHBOARD_CAPS.agents),
  };
}

/** Never reached (the counts-only form is a few thousand characters): a last guarantee. */
function hardCut(body: string): string {
  const note = "\n\n… (cut to GitHub's size limit)";
  const cut = body.slice(0, MAX_DASHBOARD_CHARS - note.length);
  return `${cut.slice(0, Math.max(cut.lastIndexOf("\n"), 0))}${note}`;
}

function sortModel(model: DashboardModel): Sorted {
  const byNumber = <T>(number: (item: T) => number) => (a: T, b: T) => number(a) - number(b);
  const tasks = [...model.tasks].sort(
    (a, b) => PRIORITY_RANK[b.priority] - PRIORITY_RANK[a.priority] || a.number - b.number,
  );
  const byStatus = new Map<Status | null, DashboardTask[]>();
  for (const task of tasks) {
    const status = task.status ?? null;
    const list = byStatus.get(status) ?? [];
    list.push(task);
    byStatus.set(status, list);
  }
  const held = model.tasks
    .filter((task) => task.agent !== null)
    .sort((a, b) => compare(a.agent ?? "", b.agent ?? "") || a.number - b.number);
  const votes = [...model.votes].sort(
    (a, b) => compare(a.deadline ?? "\uffff", b.deadline ?? "\uffff") || a.issue - b.issue,
  );
  return {
    model,
    byStatus,
    held,
    pulls: [...model.pulls].sort(byNumber((pull) => pull.number)),
    votes,
    plans: [...model.plans].sort(byNumber((plan) => plan.issue)),
    escalations: [...model.escalations].sort(byNumber((escalation) => escalation.issue)),
    agents: [...model.agents].sort((a, b) => compare(a.name, b.name)),
    graph: renderGraph(model.tasks),
  };
}

/** Code-unit order: the same on every machine, unlike `localeCompare`. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function renderBody(sorted: Sorted, options: { actions: boolean }, layout: Layout): string {
  const { model } = sorted;
  const { caps } = layout;
  const sections: string[][] = [[TITLE_LINE]];
  if (layout.note) sections.push([layout.note]);
  if (model.paused) sections.push([renderPaused(model.paused, options.actions)]);
  if (model.scheduleLapse) sections.push([renderScheduleLapse(model.scheduleLapse)]);
  if (options.actions) sections.push(renderActions(model, sorted.escalations, caps.escalations));
  sections.push(renderTasks(sorted, caps.tasksPerStatus));
  if (sorted.held.length > 0) sections.push(renderHeld(sorted.held, caps.held));
  if (sorted.pulls.length > 0) sections.push(renderPulls(sorted.pulls, caps.pulls));
  if (sorted.votes.length > 0) sections.push(renderVotes(sorted.votes, caps.votes));
  if (sorted.plans.length > 0) sections.push(renderPlans(sorted.plans, caps.plans));
  if (sorted.escalations.length > 0) sections.push(renderEscalations(sorted.escalations, caps.escalations));
  sections.push(renderAgents(sorted.agents, caps.agents));
  if (model.coverage) sections.push(["### Sweep coverage", "", `The last sweep ${oneLine(model.coverage.text, COVERAGE_MAX)}`]);
  if (sorted.graph && layout.graph) sections.push(sorted.graph);
  sections.push([
    options.actions
      ? "<sub>Orkestra keeps this issue up to date. A person with write permission ticks a box above to act; other edits are overwritten.</sub>"
      : "<sub>Orkestra keeps this board up to date; other edits are overwritten.</sub>",
  ]);
  return `${sections.map((lines) => lines.join("\n")).join("\n\n")}\n`;
}

function renderScheduleLapse(lapse: ScheduleLapse): string {
  return (
    `> ⚠️ **The sweep's schedule stops around ${lapse.switchOff}.** GitHub switches off scheduled workflows in public repositories after 60 days ` +
    `without activity, and the last push here was on ${lapse.lastPush}. Push a commit to keep it running; once it is off, enable the workflow again in the Actions tab.`
  );
}

function renderPaused(paused: NonNullable<DashboardModel["paused"]>, actions: boolean): string {
  const why = paused.why ? ` — ${escapeInline(paused.why, REASON_MAX)}` : "";
  const resume = actions ? "tick “Resume Orkestra” below or comment `/resume`" : "comment `/resume`";
  return `> ⏸️ **Orkestra is paused in this repository** by ${escapeInline(`@${paused.by.replace(/^@/, "")}`, NAME_MAX)} since ${time(paused.at)}${why}. Nothing changes until someone resumes it (${resume}).`;
}

function renderActions(model: DashboardModel, escalations: readonly DashboardEscalation[], cap: number): string[] {
  const lines = ["### Actions", "", box({ kind: "sweep" }, "Run the sweep now")];
  lines.push(model.paused ? box({ kind: "resume" }, "Resume Orkestra") : box({ kind: "pause" }, "Pause Orkestra in this repository"));
  for (const escalation of escalations.slice(0, cap)) {
    lines.push(box({ kind: "retry", issue: escalation.issue }, `Retry #${escalation.issue} (${escapeInline(escalation.title, TITLE_MAX)})`));
  }
  lines.push(...more(escalations.length - cap, "retries (see the escalations below)"));
  return lines;
}

function box(action: DashboardAction, text: string): string {
  return `- [ ] ${renderMarker(ACTION_KIND, action)} ${text}`;
}

function renderTasks(sorted: Sorted, cap: number): string[] {
  const { model, byStatus } = sorted;
  const lines = ["### Tasks by status", ""];
  const read = model.tasks.length;
  if (read === 0) {
    lines.push(model.openTasks > 0 ? `${count(model.openTasks)} open tasks; the sweep read none of them yet.` : "No open task.");
    return lines;
  }
  const counts = STATUS_ORDER.filter((status) => byStatus.has(status)).map(
    (status) => `${statusName(status)} **${count(byStatus.get(status)?.length ?? 0)}**`,
  );
  lines.push(`**${count(read)}** open ${read === 1 ? "task" : "tasks"}: ${counts.join(" · ")}`);
  if (model.openTasks > read) lines.push("", `Showing the ${count(read)} open tasks the sweep read, of ${count(model.openTasks)}.`);
  for (const status of STATUS_ORDER) {
    const tasks = byStatus.get(status);
    if (!tasks) continue;
    lines.push("", `#### ${statusName(status)} (${count(tasks.length)})`);
    if (cap > 0) {
      lines.push("", "| Task | Title | Priority | Agent | Lease |", "|---|---|---|---|---|");
      for (const task of tasks.slice(0, cap)) {
        const title = `${escapeInline(task.title, TITLE_MAX)}${task.epic ? " (epic)" : ""}`;
        const agent = task.agent ? escapeInline(task.agent, NAME_MAX) : "—";
        const lease = task.agent && task.leaseUntil ? `until ${time(task.leaseUntil)}` : "—";
        lines.push(`| #${task.number} | ${title} | ${task.priority} | ${agent} | ${lease} |`);
      }
    }
    lines.push(...more(tasks.length - cap, "tasks"));
  }
  return lines;
}

function renderHeld(held: readonly DashboardTask[], cap: number): string[] {
  const lines = ["### Held by agents", ""];
  if (cap > 0) {
    lines.push("| Agent | Task | Title | Lease |", "|---|---|---|---|");
    for (const task of held.slice(0, cap)) {
      const lease = task.leaseUntil ? `until ${time(task.leaseUntil)}` : "no lease";
      lines.push(`| ${escapeInline(task.agent ?? "", NAME_MAX)} | #${task.number} | ${escapeInline(task.title, TITLE_MAX)} | ${lease} |`);
    }
  }
  lines.push(...more(held.length - cap, "held tasks"));
  return lines;
}

function renderPulls(pulls: readonly DashboardPull[], cap: number): string[] {
  const lines = ["### Pull requests in review", ""];
  if (cap > 0) {
    lines.push("| Pull request | Title | Task | Agent | Decision |", "|---|---|---|---|---|");
    for (const pull of pulls.slice(0, cap)) {
      const decision = `${pull.decision ? escapeInline(pull.decision, NAME_MAX) : "none yet"}${pull.draft ? " (draft)" : ""}`;
      const task = pull.task === null ? "—" : `#${pull.task}`;
      const agent = pull.agent ? escapeInline(pull.agent, NAME_MAX) : "—";
      lines.push(`| #${pull.number} | ${escapeInline(pull.title, TITLE_MAX)} | ${task} | ${agent} | ${decision} |`);
    }
  }
  lines.push(...more(pulls.length - cap, "pull requests"));
  return lines;
}

function renderVotes(votes: readonly DashboardVote[], cap: number): string[] {
  const lines = ["### Votes", ""];
  if (cap > 0) {
    lines.push("| Issue | Title | Closes | Ballots |", "|---|---|---|---|");
    for (const vote of votes.slice(0, cap)) {
      const deadline = vote.deadline ? time(vote.deadline) : "when closed by people";
      lines.push(`| #${vote.issue} | ${escapeInline(vote.title, TITLE_MAX)} | ${deadline} | ${count(vote.ballots)} |`);
    }
  }
  lines.push(...more(votes.length - cap, "votes"));
  return lines;
}

function renderPlans(plans: readonly DashboardPlan[], cap: number): string[] {
  const lines = ["### Plans", ""];
  if (cap > 0) {
    lines.push("| Issue | Title | Status |", "|---|---|---|");
    for (const plan of plans.slice(0, cap)) {
      lines.push(`| #${plan.issue} | ${escapeInline(plan.title, TITLE_MAX)} | ${escapeInline(plan.status, NAME_MAX)} |`);
    }
  }
  lines.push(...more(plans.length - cap, "plans"));
  return lines;
}

function renderEscalations(escalations: readonly DashboardEscalation[], cap: number): string[] {
  const lines = ["### Escalations waiting for people", ""];
  if (cap > 0) {
    lines.push("| Issue | Title | Why |", "|---|---|---|");
    for (const escalation of escalations.slice(0, cap)) {
      lines.push(`| #${escalation.issue} | ${escapeInline(escalation.title, TITLE_MAX)} | ${escapeInline(escalation.why, REASON_MAX)} |`);
    }
  }
  lines.push(...more(escalations.length - cap, "escalations"));
  return lines;
}

function renderAgents(agents: readonly DashboardAgent[], cap: number): string[] {
  const lines = ["### Agents", ""];
  if (agents.length === 0) {
    lines.push("No agent is configured.");
    return lines;
  }
  if (cap > 0) {
    lines.push(
      "| Agent | Takes work | Health | Success | Mean latency | Last error | Holds | Today |",
      "|---|---|---|---|---|---|---|---|",
    );
    for (const agent of agents.slice(0, cap)) {
      const on = agent.on ? "on" : `off${agent.off ? `: ${escapeInline(agent.off, NAME_MAX)}` : ""}`;
      const health = [agent.degraded ? "degraded" : "ok", agent.breaker === "closed" ? null : `breaker ${agent.breaker}`]
        .filter((part) => part !== null)
        .join(", ");
      const success = agent.calls > 0 ? `${count(agent.successRate * 100)}% of ${count(agent.calls)}` : "no call yet";
      const latency = agent.calls > 0 ? duration(agent.meanLatencyMs) : "—";
      const error = agent.lastError ? escapeInline(agent.lastError, REASON_MAX) : "—";
      const budget = agent.budgetUsd === null ? "no budget" : `of ${usd(agent.budgetUsd)}`;
      const today = `${usd(agent.spentUsd)} ${budget}, ${count(agent.tokens)} tokens`;
      lines.push(
        `| ${escapeInline(agent.name, NAME_MAX)} | ${on} | ${health} | ${success} | ${latency} | ${error} | ${count(agent.holding)}/${count(agent.limit)} | ${today} |`,
      );
    }
  }
  lines.push(...more(agents.length - cap, "agents"));
  return lines;
}

/** The dependency graph's section, or null when no listed task waits for another listed one. */
function renderGraph(tasks: readonly DashboardTask[]): string[] | null {
  const listed = new Map(tasks.map((task) => [task.number, task]));
  const edges: [number, number][] = [];
  for (const task of listed.values()) {
    for (const dep of new Set(task.dependsOn)) if (dep !== task.number && listed.has(dep)) edges.push([dep, task.number]);
  }
  if (edges.length === 0) return null;
  edges.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
  const involved = [...new Set(edges.flat())].sort((a, b) => a - b);
  const drawn = new Set(involved.slice(0, GRAPH_MAX_NODES));
  const drawable = edges.filter(([from, to]) => drawn.has(from) && drawn.has(to));
  const lines = ["### Dependencies", "", "An arrow goes from a task to one that waits for it.", "", "```mermaid", "graph LR"];
  for (const number of drawn) lines.push(`  t${number}["${mermaidLabel(number, listed.get(number)?.title ?? "")}"]`);
  for (const [from, to] of drawable.slice(0, GRAPH_MAX_EDGES)) lines.push(`  t${from} --> t${to}`);
  lines.push("```");
  const hidden = [...more(involved.length - drawn.size, "tasks not drawn"), ...more(drawable.length - GRAPH_MAX_EDGES, "dependencies not drawn")];
  if (hidden.length > 0) lines.push("", ...hidden);
  return lines;
}

/**
 * `#12 title` for a quoted Mermaid label: only letters, marks, digits, spaces and a few safe
 * punctuation marks are kept (no quote, backtick, `<`, `>`, `#`, `;`, `%`, `&`, bracket or line
 * break, which end the label or start an entity, a comment or HTML), at most `LABEL_MAX` long.
 */
function mermaidLabel(number: number, title: string): string {
  const clean = title
    .replace(/[^\p{L}\p{M}\p{N} .,:!?'()+/-]/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  const chars = [...clean];
  const short = chars.length > LABEL_MAX ? `${chars.slice(0, LABEL_MAX - 1).join("").trimEnd()}…` : clean;
  return short ? `#${number} ${short}` : `#${number}`;
}

function more(hidden: number, what: string): string[] {
  return hidden > 0 ? [`… and ${count(hidden)} more ${what}`] : [];
}

function statusName(status: Status | null): string {
  return status === null ? "❔ no status" : `${STATUS_ICON[status]} ${status}`;
}

/** An absolute time, or `—` for a time that is not one (never throws). */
function time(iso: string): string {
  return Number.isNaN(Date.parse(iso)) ? "—" : formatTime(iso);
}

/** A whole count with thousands separators; bounded in length whatever the number. */
function count(value: number): string {
  if (!Number.isFinite(value)) return "?";
  if (Math.abs(value) >= 1e15) return value.toExponential(2);
  return Math.round(value)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

function usd(value: number): string {
  if (!Number.isFinite(value)) return "$?";
  if (Math.abs(value) >= 1e12) return `$${value.toExponential(2)}`;
  return `$${value.toFixed(2)}`;
}

function duration(ms: number): string {
  if (!Number.isFinite(ms)) return "?";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 1e12) return `${(ms / 1000).toFixed(1)} s`;
  return `${(ms / 1000).toExponential(2)} s`;
}

/**
 * The plan comment on the epic, edited in place: what people read (status, what they can do
 * next, the items as a table and a Mermaid graph, who agrees, reasons, disagreements, spend) with
 * the whole plan state in a hidden `<!-- orkestra:plan {...} -->` marker first. Everything agents
 * wrote is escaped: it cannot break the table, open HTML, ping anyone, close a `<details>` block
 * or forge a marker. The comment stays under `MAX_PLAN_COMMENT_CHARS`: when it would not, the
 * state and the text are compacted step by step (see `LEVELS`).
 */
import { formatTime } from "../markdown.js";
import { renderMarker } from "../markers.js";
import { escapeInline } from "../untrusted-text.js";
import { matchesPlan } from "./merge.js";
import { PLAN_KIND } from "./schema.js";
import { createdNumbers, lastRound, nextRoundNumber, planningSpend, summarise } from "./state.js";
import type { AgentSpend, MergedItem, PlannerAnswer, PlanItem, PlanRound, PlanState, RoundSummary } from "./types.js";

/** GitHub caps a comment at 65,536 characters; the plan comment stays under this. */
export const MAX_PLAN_COMMENT_CHARS = 60_000;
const MERMAID_MAX_NODES = 50;
const MERMAID_LABEL_CHARS = 60;

interface PlanCommentOptions {
  autonomy: "full" | "supervised" | "manual";
  now: Date;
}

/** How much of the state and of the text a rendering keeps; later levels keep less. */
interface Level {
  /** The latest round's answers: in full, with short descriptions, or reduced to item keys. */
  answers: "full" | "short" | "keys";
  /** Characters kept of the plan's item descriptions / acceptance criteria / titles in the marker (null: all). */
  itemChars: number | null;
  acceptanceChars: number | null;
  titleChars: number | null;
  feedbackChars: number;
  reasonChars: number;
  disagreements: number;
  /** Characters of each item's description shown in the item details (0: no details). */
  shownDescriptionChars: number;
  mermaid: boolean;
  mermaidLabelChars: number;
  /** Which rounds' summaries keep each planner's item keys (the others keep a count). */
  summaryKeys: "all" | "latest" | "none";
}

const LEVELS: readonly Level[] = [
  { answers: "full", itemChars: null, acceptanceChars: null, titleChars: null, feedbackChars: 2000, reasonChars: 600, disagreements: 100, shownDescriptionChars: 300, mermaid: true, mermaidLabelChars: 60, summaryKeys: "all" },
  { answers: "short", itemChars: null, acceptanceChars: null, titleChars: null, feedbackChars: 2000, reasonChars: 400, disagreements: 60, shownDescriptionChars: 200, mermaid: true, mermaidLabelChars: 60, summaryKeys: "all" },
  { answers: "keys", itemChars: null, acceptanceChars: null, titleChars: null, feedbackChars: 1000, reasonChars: 300, disagreements: 40, shownDescriptionChars: 120, mermaid: true, mermaidLabelChars: 60, summaryKeys: "all" },
  { answers: "keys", itemChars: 300, acceptanceChars: 100, titleChars: null, feedbackChars: 500, reasonChars: 300, disagreements: 30, shownDescriptionChars: 0, mermaid: true, mermaidLabelChars: 40, summaryKeys: "latest" },
  { answers: "keys", itemChars: 150, acceptanceChars: 60, titleChars: null, feedbackChars: 200, reasonChars: 200, disagreements: 20, shownDescriptionChars: 0, mermaid: true, mermaidLabelChars: 30, summaryKeys: "latest" },
  { answers: "keys", itemChars: 60, acceptanceChars: 30, titleChars: 60, feedbackChars: 100, reasonChars: 100, disagreements: 10, shownDescriptionChars: 0, mermaid: false, mermaidLabelChars: 0, summaryKeys: "none" },
  { answers: "keys", itemChars: 0, acceptanceChars: 0, titleChars: 20, feedbackChars: 50, reasonChars: 50, disagreements: 5, shownDescriptionChars: 0, mermaid: false, mermaidLabelChars: 0, summaryKeys: "none" },
];

export function renderPlanComment(state: PlanState, options: PlanCommentOptions): string {
  let text = "";
  for (const level of LEVELS) {
    text = render(state, options, level);
    if (text.length <= MAX_PLAN_COMMENT_CHARS) return text;
  }
  return text;
}

/** The state as the marker holds it at `level` (the state itself at the first level, earlier rounds summarised). */
function compactPlanState(state: PlanState, level: Level = LEVELS[0]!): PlanState {
  const last = state.rounds.length - 1;
  const rounds = state.rounds.map((round, index) => {
    const compact = index < last ? summarise(round) : compactRound(round, level);
    const keepKeys = level.summaryKeys === "all" || (level.summaryKeys === "latest" && index >= last - 1);
    return compact.summary && !keepKeys ? { ...compact, summary: compact.summary.map(withoutKeys) } : compact;
  });
  const plan = state.plan
    ? {
        ...state.plan,
        items: state.plan.items.map((item) => ({ ...item, ...compactItemText(item, level.itemChars, level.acceptanceChars, level.titleChars) })),
        disagreements: capList(state.plan.disagreements, level.disagreements),
      }
    : null;
  const feedback = state.feedback.map((entry, index) => ({
    ...entry,
    text: index === state.feedback.length - 1 ? cut(entry.text, Math.max(level.feedbackChars, 200)) : cut(entry.text, level.feedbackChars),
  }));
  return { ...state, rounds, plan, feedback };
}

function withoutKeys(entry: RoundSummary): RoundSummary {
  return entry.keys.length === 0 ? entry : { agent: entry.agent, ok: entry.ok, keys: [], count: entry.keys.length };
}

function compactRound(round: PlanRound, level: Level): PlanRound {
  if (round.summary || level.answers === "keys") return summarise(round);
  const answers: PlannerAnswer[] = round.answers.map((answer) => {
    if (!answer.ok) return { ...answer, error: cut(answer.error, level.reasonChars) };
    const items = level.answers === "full" ? answer.proposal.items : answer.proposal.items.map((item) => ({ ...item, ...compactItemText(item, 200, 0, null) }));
    return { ...answer, proposal: { items, reason: cut(answer.proposal.reason, level.reasonChars) } };
  });
  return { round: round.round, answers };
}

function compactItemText(item: PlanItem, chars: number | null, acceptanceChars: number | null, titleChars: number | null): Partial<PlanItem> {
  return {
    title: titleChars === null ? item.title : cut(item.title, titleChars),
    description: chars === null ? item.description : cut(item.description, chars),
    acceptance:
      acceptanceChars === null ? item.acceptance : acceptanceChars === 0 ? [] : item.acceptance.map((entry) => cut(entry, acceptanceChars)),
  };
}

function render(state: PlanState, options: PlanCommentOptions, level: Level): string {
  const items = state.plan?.items ?? [];
  const numbers = createdNumbers(state);
  const ref = indexRefs(items, numbers);
  return [
    renderMarker(PLAN_KIND, compactPlanState(state, level)),
    `### 🗺️ Plan for #${state.epic}`,
    "",
    ...statusLines(state, options),
    "",
    ...tableLines(state, items, ref),
    ...graphLines(items, ref, level),
    ...agreementLines(state),
    ...disagreementLines(state, level),
    ...feedbackLines(state, level),
    ...detailsLines(items, level),
    ...reasonLines(state, level),
    ...spendLines(state),
    `<sub>Updated ${formatTime(options.now.toISOString())}.</sub>`,
  ].join("\n");
}

function statusLines(state: PlanState, options: PlanCommentOptions): string[] {
  const round = lastRound(state)?.round ?? 0;
  const count = state.plan?.items.length ?? 0;
  const subs = `${count} sub-issue${count === 1 ? "" : "s"}`;
  const revise = "`/plan revise <feedback>` for one more round of planning";
  switch (state.status) {
    case "deliberating":
      return [
        `**Status:** planning — round ${nextRoundNumber(state)} of ${state.maxRounds}, asking ${names(state.planners)}.`,
        "",
        `While they plan: ${revise} (your feedback goes to the planners), or \`/plan reject\` to stop.`,
      ];
    case "proposed": {
      const agreed = state.plan?.agreed === true;
      const how = agreed
        ? `**Status:** proposed — the planners agreed on ${subs} in round ${round} of ${state.maxRounds}.`
        : `**Status:** proposed — after round ${round} of ${state.maxRounds} the planners still differ; the plan keeps what the ${state.method} method supports (see the disagreements below).`;
      const actions = `\`/plan approve\` to create the ${subs}, ${revise}, or \`/plan reject\``;
      if (options.autonomy === "full" && agreed) {
        return [how, "", `Autonomy is \`full\`: an agreed plan is created without waiting for approval. Until it is, ${revise}, or \`/plan reject\`.`];
      }
      if (options.autonomy === "manual") {
        return [how, "", `Autonomy is \`manual\`: this plan is a suggestion, and nothing is created or started until a person with write permission replies ${actions}.`];
      }
      const full = options.autonomy === "full" ? " Autonomy is `full`, but the planners did not agree, so the plan waits for a person." : "";
      return [how, "", `Next:${full} a person with write permission replies ${actions}.`];
    }
    case "approved":
      return [`**Status:** approved${decidedBy(state)} — creating the ${subs}: ${state.created.length} of ${count} created.`];
    case "created":
      return [
        `**Status:** created${decidedBy(state, "approved")} — all ${subs} exist; the epic waits for them.`,
        ...(state.stopped ? ["", `⚠️ ${escapeInline(state.stopped, 400)}.`] : []),
      ];
    case "rejected":
      return [`**Status:** rejected${decidedBy(state)}. \`/plan\` on this issue starts a new plan.`];
    case "stopped":
      return [
        `**Status:** stopped — ${escapeInline(state.stopped ?? "planning stopped", 300)}.`,
        "",
        "Next: `/plan revise <feedback>` tries one more round of planning, or `/plan` starts over.",
      ];
  }
}

function decidedBy(state: PlanState, verb?: string): string {
  if (!state.decidedBy) return "";
  return ` (${verb ? `${verb} ` : ""}by ${escapeInline(`@${state.decidedBy.by}`, 60)} on ${time(state.decidedBy.at)})`;
}

/** Item key → how the table refers to it: its sub-issue `#n` once created, else its row number. */
function indexRefs(items: readonly MergedItem[], numbers: ReadonlyMap<string, number>): Map<string, string> {
  return new Map(items.map((item, index) => [item.key, numbers.has(item.key) ? `#${numbers.get(item.key)}` : String(index + 1)]));
}

function tableLines(state: PlanState, items: readonly MergedItem[], ref: ReadonlyMap<string, string>): string[] {
  if (items.length === 0) return state.plan ? ["The plan has no items.", ""] : [];
  return [
    "| # | Sub-task | Type | Priority | Depends on | Suggested agent | Proposed by |",
    "|--:|---|---|---|---|---|---|",
    ...items.map((item) => {
      const deps = item.dependsOn.map((key) => ref.get(key) ?? escapeInline(key)).join(", ") || "—";
      return `| ${ref.get(item.key)} | ${escapeInline(item.title, 100)} | ${escapeInline(item.type, 40)} | ${item.priority} | ${deps} | ${
        item.agent === null ? "—" : escapeInline(item.agent, 40)
      } | ${names(item.supporters)} |`;
    }),
    "",
  ];
}

/** A Mermaid `graph TD` of the dependencies, prerequisites above what needs them. */
function graphLines(items: readonly MergedItem[], ref: ReadonlyMap<string, string>, level: Level): string[] {
  if (!level.mermaid || items.length === 0 || items.every((item) => item.dependsOn.length === 0)) return [];
  const shown = items.slice(0, MERMAID_MAX_NODES);
  const node = new Map(shown.map((item, index) => [item.key, `n${index + 1}`]));
  const lines = ["```mermaid", "graph TD"];
  for (const item of shown) lines.push(`  ${node.get(item.key)}["${mermaidText(`${ref.get(item.key)}. ${item.title}`, level.mermaidLabelChars)}"]`);
  for (const item of shown) {
    for (const dep of item.dependsOn) {
      const from = node.get(dep);
      if (from) lines.push(`  ${from} --> ${node.get(item.key)}`);
    }
  }
  if (items.length > shown.length) lines.push(`  more["… and ${items.length - shown.length} more"]`);
  lines.push("```", "");
  return lines;
}

/**
 * Text for a quoted Mermaid label: one line, at most 60 characters, and every character but
 * letters, digits, spaces and `.,:()'/_-` written as a Mermaid entity (`#35;`), so it cannot end
 * the label, start Markdown strings, open HTML or form a marker.
 */
function mermaidText(text: string, max: number = MERMAID_LABEL_CHARS): string {
  const flat = cut(text.replace(/\s+/g, " ").trim(), max);
  return [...flat].map((char) => (/^[\p{L}\p{N} .,:()'/_-]$/u.test(char) && char !== "…" ? char : `#${char.codePointAt(0)};`)).join("");
}

function agreementLines(state: PlanState): string[] {
  const last = lastRound(state);
  const plan = state.plan;
  if (!last) return [];
  const agree: string[] = [];
  const differ: string[] = [];
  const failed: string[] = [];
  for (const answer of last.answers) {
    if (!answer.ok) failed.push(answer.agent);
    else if (plan && matchesPlan(answer.proposal, plan)) agree.push(answer.agent);
    else differ.push(answer.agent);
  }
  const parts = [
    agree.length > 0 ? `${names(agree)} ${agree.length === 1 ? "agrees" : "agree"} with this plan` : "",
    differ.length > 0 ? `${names(differ)} proposed something else` : "",
    failed.length > 0 ? `${names(failed)} gave no valid plan` : "",
  ].filter(Boolean);
  return [
    ...(parts.length > 0 ? [`**Planners:** ${parts.join("; ")}.`] : []),
    `**Rounds:** ${last.round} of ${state.maxRounds} · **Method:** ${state.method}`,
    "",
  ];
}

function disagreementLines(state: PlanState, level: Level): string[] {
  const lines = state.plan?.disagreements ?? [];
  if (lines.length === 0) return [];
  const shown = capList(lines, level.disagreements);
  return ["**Disagreements**", "", ...shown.map((line) => `- ${escapeInline(line, 300)}`), ""];
}

function feedbackLines(state: PlanState, level: Level): string[] {
  if (state.feedback.length === 0) return [];
  const recent = state.feedback.slice(-3);
  const older = state.feedback.length - recent.length;
  return [
    "**Feedback from people**",
    "",
    ...recent.map((entry) => `- ${escapeInline(`@${entry.by}`, 60)} (for round ${entry.round}): ${escapeInline(entry.text, Math.min(level.feedbackChars, 500))}`),
    ...(older > 0 ? [`- … and ${older} earlier`] : []),
    "",
  ];
}

function detailsLines(items: readonly MergedItem[], level: Level): string[] {
  if (level.shownDescriptionChars === 0 || items.length === 0) return [];
  return [
    "<details><summary>Sub-tasks in detail</summary>",
    "",
    ...items.flatMap((item, index) => {
      const acceptance = item.acceptance.length > 0 ? ` Done when: ${item.acceptance.map((entry) => escapeInline(entry, 80)).join("; ")}.` : "";
      return [`${index + 1}. **${escapeInline(item.title, 100)}** — ${escapeInline(item.description || "(no description)", level.shownDescriptionChars)}${acceptance}`];
    }),
    "",
    "</details>",
    "",
  ];
}

function reasonLines(state: PlanState, level: Level): string[] {
  const last = lastRound(state);
  if (!last || last.answers.length === 0) return [];
  return [
    `<details><summary>Planners' reasons (round ${last.round})</summary>`,
    "",
    ...last.answers.map((answer) =>
      answer.ok
        ? `- **${escapeInline(answer.agent, 40)}**: ${escapeInline(answer.proposal.reason || "(no reason given)", level.reasonChars)}`
        : `- **${escapeInline(answer.agent, 40)}**: no valid plan — ${escapeInline(answer.error, level.reasonChars)}`,
    ),
    "",
    "</details>",
    "",
  ];
}

function spendLines(state: PlanState): string[] {
  const spend = planningSpend(state);
  const agents = Object.keys(spend.byAgent);
  if (agents.length === 0) return [];
  return [
    "**Spend**",
    "",
    "| Planner | Calls | Tokens in | Tokens out | Cost |",
    "|---|--:|--:|--:|--:|",
    ...agents.map((agent) => spendRow(escapeInline(agent, 40), spend.byAgent[agent]!)),
    spendRow("**Total**", spend.total),
    "",
  ];
}

function spendRow(label: string, spend: AgentSpend): string {
  return `| ${label} | ${spend.calls} | ${thousands(spend.inputTokens)} | ${thousands(spend.outputTokens)} | ${usd(spend.costUsd)} |`;
}

function thousands(value: number): string {
  return String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

function usd(value: number): string {
  return `$${value > 0 && value < 0.01 ? value.toFixed(4) : value.toFixed(2)}`;
}

function names(agents: readonly string[]): string {
  return agents.map((agent) => escapeInline(agent, 40)).join(", ") || "—";
}

function time(iso: string): string {
  return Number.isNaN(Date.parse(iso)) ? escapeInline(iso, 40) : formatTime(iso);
}

function capList(lines: readonly string[], max: number): string[] {
  if (lines.length <= max) return [...lines];
  return [...lines.slice(0, max), `… and ${lines.length - max} more`];
}

/** At most `max` characters (code points), ending with `…` when cut. */
function cut(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  if (max <= 0) return "";
  return `${chars.slice(0, max - 1).join("")}…`;
}

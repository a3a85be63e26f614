import { z } from "zod";
import { formatTime } from "../markdown.js";
import { readMarker, renderMarker } from "../markers.js";
import { executionStateSchema, renderProgress } from "../execution/progress.js";
import { escapeInline } from "../untrusted-text.js";
import { AUTONOMY_LEVELS, PRIORITIES, STATUSES } from "./model.js";

export const CARD_KIND = "task";
export const HISTORY_LIMIT = 10;

const decisionSchema = z.object({
  at: z.string(),
  by: z.string(),
  what: z.string(),
  why: z.string(),
});
export type Decision = z.infer<typeof decisionSchema>;

const depSchema = z.object({
  number: z.number().int().positive(),
  state: z.enum(["open", "closed"]),
});
export type DepState = z.infer<typeof depSchema>;

export const taskMetaSchema = z.object({
  v: z.literal(1),
  issue: z.number().int().positive(),
  status: z.enum(STATUSES),
  priority: z.enum(PRIORITIES),
  type: z.string(),
  /** Effective dependencies with the state they had when last checked. */
  deps: z.array(depSchema),
  /** Dependencies added with `/depends-on` (the rest come from the issue body). */
  extraDeps: z.array(z.number().int().positive()),
  /** Dependencies already mirrored to GitHub's native blocked-by relationship. */
  mirrored: z.array(z.object({ number: z.number().int().positive(), id: z.number().int().positive() })),
  /** True when a person blocked the task by hand: it stays blocked without dependencies. */
  heldByPerson: z.boolean(),
  /** `updated_at` of the newest issue event reconciled; older deliveries are stale. */
  seenAt: z.string(),
  agent: z
    .object({ name: z.string(), since: z.string(), leaseUntil: z.string().nullable(), why: z.string() })
    .nullable(),
  /** Failed attempts so far, when the next may start, agents to avoid, and whether people were called. */
  retry: z
    .object({
      count: z.number().int().min(0),
      nextAttemptAt: z.string().nullable(),
      avoid: z.array(z.string()),
      escalated: z.boolean(),
    })
    .default({ count: 0, nextAttemptAt: null, avoid: [], escalated: false }),
  /** The agent's work on the task (the latest attempt); null until work starts. */
  execution: executionStateSchema.nullable().default(null),
  /**
   * An epic: planned (`/plan`) into sub-issues, which are its dependencies. It stays `blocked`
   * while its plan is made and its sub-issues are open, and is done when the last one closes.
   */
  epic: z.boolean().default(false),
  /** This task's autonomy level set with `/autonomy`; null follows the repository's `autonomy`. */
  autonomy: z.enum(AUTONOMY_LEVELS).nullable().default(null),
  /** Set by `/pause` on this task: events, sweeps and commands change nothing until `/resume`. */
  paused: z.object({ by: z.string(), at: z.string() }).nullable().default(null),
  history: z.array(decisionSchema).max(HISTORY_LIMIT),
});
export type TaskMeta = z.infer<typeof taskMetaSchema>;

/** Reads the task metadata printed in a card; null when the body is not a valid card. */
export function parseCard(body: string | null | undefined): TaskMeta | null {
  return readMarker(body, CARD_KIND, taskMetaSchema);
}

/** The dependencies still open, by number. */
export function openDeps(deps: readonly DepState[]): number[] {
  return deps.filter((dep) => dep.state === "open").map((dep) => dep.number);
}

export function withDecision(meta: TaskMeta, decision: Decision): TaskMeta {
  return { ...meta, history: [...meta.history, decision].slice(-HISTORY_LIMIT) };
}

/** Each status's icon, on the card and the dashboard. */
export const STATUS_ICON: Record<TaskMeta["status"], string> = {
  pending: "🟡",
  assigned: "🔵",
  "in-progress": "🟢",
  review: "🟣",
  blocked: "⛔",
  done: "✅",
  failed: "❌",
  cancelled: "⚪",
};

/** The card people read; everything shown is derived from `meta`, which is embedded. */
export function renderCard(meta: TaskMeta): string {
  const agent = meta.agent
    ? `\`${meta.agent.name}\` since ${formatTime(meta.agent.since)}${meta.agent.leaseUntil ? `, lease until ${formatTime(meta.agent.leaseUntil)} (renewed by activity)` : ""}`
    : "—";
  const lines = [
    renderMarker(CARD_KIND, meta),
    "### 🎼 Orkestra task",
    "",
    "| Status | Priority | Type | Agent |",
    "|---|---|---|---|",
    `| ${STATUS_ICON[meta.status]} \`${meta.status}\` | \`${meta.priority}\` | \`${meta.type}\` | ${agent} |`,
    "",
    `**Dependencies:** ${renderDeps(meta.deps)}`,
  ];
  if (meta.paused) lines.push("", `⏸️ **Paused** by @${escapeInline(meta.paused.by)} since ${formatTime(meta.paused.at)}: nothing changes until \`/resume\`.`);
  if (meta.epic) lines.push("", `**Epic:** ${meta.deps.length > 0 ? "done when its sub-issues are closed" : "being planned (`/plan`); no agent takes it"}.`);
  if (meta.autonomy) lines.push("", `**Autonomy:** \`${meta.autonomy}\` (set for this task with \`/autonomy\`).`);
  if (meta.agent) lines.push("", `**Why ${meta.agent.name}:** ${escapeInline(meta.agent.why)}`);
  if (meta.execution) lines.push("", renderProgress(meta.execution));
  if (meta.retry.count > 0) lines.push("", `**Retries:** ${renderRetry(meta.retry)}`);
  if (meta.history.length > 0) {
    lines.push("", "**Recent decisions**", "");
    for (const decision of [...meta.history].reverse()) lines.push(renderDecision(decision));
  }
  lines.push("", "<sub>Orkestra keeps this card up to date. Comment `/help` for commands.</sub>");
  return lines.join("\n");
}

function renderRetry(retry: TaskMeta["retry"]): string {
  const parts = [`${retry.count} failed attempt${retry.count === 1 ? "" : "s"}`];
  if (retry.nextAttemptAt) parts.push(`next attempt after ${formatTime(retry.nextAttemptAt)}`);
  if (retry.avoid.length > 0) parts.push(`preferring agents other than ${retry.avoid.map((name) => `\`${name}\``).join(", ")}`);
  if (retry.escalated) parts.push("escalated to maintainers");
  return parts.join(" · ");
}

function renderDeps(deps: readonly DepState[]): string {
  if (deps.length === 0) return "none";
  return deps.map((dep) => `#${dep.number} ${dep.state === "closed" ? "(closed ✓)" : "(open)"}`).join(" · ");
}

function renderDecision(decision: Decision): string {
  const by = decision.by === "orkestra" ? "Orkestra" : `@${decision.by}`;
  return `- ${formatTime(decision.at)} · ${escapeInline(by)}: ${escapeInline(decision.what)} — ${escapeInline(decision.why)}`;
}

export { formatTime };

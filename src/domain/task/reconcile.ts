import type { Config } from "../../config/schema.js";
import { withDecision, type DepState, type TaskMeta } from "./card.js";
import { parseIssueForm } from "./form.js";
import { same, type LabelScheme, type LabelSpec } from "./labels.js";
import { isPriority, type Priority, type Status } from "./model.js";
import { formatRefs, settleStatus } from "./state-machine.js";

export interface IssueFacts {
  number: number;
  state: "open" | "closed";
  stateReason: string | null;
  body: string;
  labels: string[];
  updatedAt: string;
}

/** What a person explicitly asked for (a command or a label they set), already permitted. */
export interface TaskRequest {
  status?: Status;
  priority?: Priority;
  type?: string;
  /** Shown as the reason of the decision, e.g. "/status review". */
  how: string;
}

export interface ReconcileInput {
  issue: IssueFacts;
  card: TaskMeta | null;
  /** Effective dependencies (already validated) with their current states. */
  deps: DepState[];
  extraDeps: number[];
  mirrored: { number: number; id: number }[];
  request?: TaskRequest;
  /** Login of the person whose action led here; "orkestra" for the sweep or the bot. */
  actor: string;
  config: Config;
  scheme: LabelScheme;
  now: Date;
}

export interface LabelChanges {
  add: LabelSpec[];
  remove: string[];
}

export interface ReconcileOutput {
  meta: TaskMeta;
  labels: LabelChanges;
  /** Comments to post because a person should hear about a change they did not make. */
  notices: string[];
}

/**
 * Computes the state a task should be in and the label changes that get it there. Pure:
 * the same input always gives the same output, and feeding the output back in gives no
 * further changes (which is what makes handlers idempotent).
 */
export function reconcileTask(input: ReconcileInput): ReconcileOutput {
  const { issue, card, deps, request, now } = input;
  const form = parseIssueForm(issue.body);
  const priority = choosePriority(input, form.priority);
  const type = chooseType(input, form.type);
  const openDeps = deps.filter((dep) => dep.state === "open").map((dep) => dep.number);
  const current = currentStatus(input);
  const heldByPerson = request?.status ? request.status === "blocked" : (card?.heldByPerson ?? false);
  const status =
    request?.status ??
    settleStatus({ current, issueState: issue.state, stateReason: issue.stateReason, openDeps, heldByPerson });

  let meta: TaskMeta = {
    v: 1,
    issue: issue.number,
    status,
    priority,
    type,
    deps,
    extraDeps: input.extraDeps,
    mirrored: input.mirrored,
    heldByPerson: status === "blocked" && heldByPerson,
    seenAt: later(card?.seenAt, issue.updatedAt),
    agent: card?.agent ?? null,
    history: card?.history ?? [],
  };
  const at = now.toISOString();
  const notices: string[] = [];
  if (!card) {
    meta = withDecision(meta, { at, by: input.actor, what: `task created as \`${status}\``, why: creationReason(openDeps) });
  } else if (card.status !== status) {
    const why = request?.status ? request.how : statusReason(card, issue, openDeps);
    const by = request?.status ? input.actor : "orkestra";
    meta = withDecision(meta, { at, by, what: `status \`${card.status}\` → \`${status}\``, why });
    if (card.status === "blocked" && status === "pending" && !request?.status) {
      notices.push(`▶️ ${why}: this task is \`pending\` again.`);
    }
  }
  for (const [field, before, after] of [
    ["priority", card?.priority, priority],
    ["type", card?.type, type],
  ] as const) {
    if (card && before !== after) {
      meta = withDecision(meta, { at, by: input.actor, what: `${field} \`${before}\` → \`${after}\``, why: request?.how ?? "label changed" });
    }
  }
  return { meta, labels: labelChanges(input, meta), notices };
}

function currentStatus({ issue, card, scheme }: ReconcileInput): Status | null {
  const onIssue = scheme.statusesIn(issue.labels);
  if (onIssue.length === 1) return onIssue[0]!;
  return card?.status ?? onIssue[0] ?? null;
}

function choosePriority({ request, issue, card, scheme, config }: ReconcileInput, fromForm?: string): Priority {
  if (request?.priority) return request.priority;
  const onIssue = scheme.prioritiesIn(issue.labels);
  if (onIssue.length === 1) return onIssue[0]!;
  if (card && (onIssue.length === 0 || onIssue.includes(card.priority))) return card.priority;
  if (onIssue.length > 0) return onIssue.at(-1)!;
  const answer = fromForm?.toLowerCase();
  return answer && isPriority(answer) ? answer : config.tasks.defaultPriority;
}

function chooseType({ request, issue, card, scheme, config }: ReconcileInput, fromForm?: string): string {
  if (request?.type) return request.type;
  const onIssue = scheme.typesIn(issue.labels);
  if (onIssue.length === 1) return onIssue[0]!;
  if (card && (onIssue.length === 0 || onIssue.includes(card.type))) return card.type;
  if (onIssue.length > 0) return onIssue.at(-1)!;
  const answer = fromForm?.toLowerCase();
  return answer && config.tasks.types.includes(answer) ? answer : config.tasks.defaultType;
}

function creationReason(openDeps: readonly number[]): string {
  return openDeps.length > 0 ? `waiting for ${formatRefs(openDeps)}` : "no open dependencies";
}

function statusReason(card: TaskMeta, issue: IssueFacts, openDeps: readonly number[]): string {
  if (issue.state === "closed") return `issue closed as ${issue.stateReason ?? "completed"}`.replace("_", " ");
  if (card.status === "done" || card.status === "cancelled") return "issue reopened";
  if (openDeps.length > 0) return `waiting for ${formatRefs(openDeps)}`;
  const closed = card.deps.filter((dep) => dep.state === "open").map((dep) => dep.number);
  return closed.length > 0 ? `${formatRefs(closed)} closed` : "no open dependencies left";
}

/**
 * Label changes from the labels the issue is known to have. Those come from an event's
 * payload and may predate Orkestra's last write, so the labels the card says Orkestra set
 * are also taken off when they are no longer wanted (removing an absent label is harmless).
 */
function labelChanges({ issue, scheme, card }: ReconcileInput, meta: TaskMeta): LabelChanges {
  const wanted = specsFor(scheme, meta);
  const managed = issue.labels.filter((label) => scheme.classify(label) !== null);
  const lastSet = card ? specsFor(scheme, card).map((spec) => spec.name) : [];
  const candidates = [...managed, ...lastSet.filter((name) => !managed.some((label) => same(label, name)))];
  return {
    add: wanted.filter((spec) => !issue.labels.some((label) => same(label, spec.name))),
    remove: candidates.filter((label) => !wanted.some((spec) => same(spec.name, label))),
  };
}

function specsFor(scheme: LabelScheme, meta: Pick<TaskMeta, "status" | "priority" | "type">): LabelSpec[] {
  const specs = [scheme.task, scheme.status(meta.status), scheme.priority(meta.priority)];
  const typeLabel = scheme.type(meta.type);
  if (typeLabel) specs.push(typeLabel);
  return specs;
}

function later(a: string | undefined, b: string): string {
  return a && a > b ? a : b;
}

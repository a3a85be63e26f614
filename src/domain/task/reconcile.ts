import { openDeps, withDecision, type DepState, type TaskMeta } from "./card.js";
import { parseIssueForm } from "./form.js";
import { same, type LabelScheme, type LabelSpec } from "./labels.js";
import { isPriority, type Priority, type Status } from "./model.js";
import { formatRefs, HELD, settleStatus } from "./state-machine.js";

export interface IssueFacts {
  number: number;
  state: "open" | "closed";
  stateReason: string | null;
  body: string;
  labels: string[];
  updatedAt: string;
}

/** What a person (or the sweep) explicitly asked for, already permitted. */
export interface TaskRequest {
  status?: Status;
  priority?: Priority;
  type?: string;
  /** An agent takes the task (with why it was chosen), or null to release it. */
  agent?: { name: string; why: string; leaseUntil: string | null } | null;
  /** Retry bookkeeping written by the sweep. */
  retry?: TaskMeta["retry"];
  /** The agent's work on the task: a new attempt, its progress, or null to clear it. */
  execution?: TaskMeta["execution"];
  /** Makes the task an epic (its plan was started) or a plain task again (its plan was rejected). */
  epic?: boolean;
  /** The task's own autonomy level, or null to follow the repository's. */
  autonomy?: TaskMeta["autonomy"];
  /** Pauses the task (who and when) or resumes it (null). */
  paused?: TaskMeta["paused"];
  /** A decision to record even when nothing else changes (e.g. why work did not start); `how` is its reason. */
  note?: string;
  /** Shown as the reason of the decision, e.g. "/status review". */
  how: string;
}

export interface TaskDefaults {
  defaultPriority: Priority;
  defaultType: string;
  /** The task types the repository knows. */
  types: readonly string[];
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
  /** What a new task gets when nothing names its priority or type (`tasks.*` in the config). */
  defaults: TaskDefaults;
  scheme: LabelScheme;
  now: Date;
}

interface LabelChanges {
  add: LabelSpec[];
  remove: string[];
}

interface ReconcileOutput {
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
  const open = openDeps(deps);
  const current = currentStatus(input);
  const heldByPerson = request?.status ? request.status === "blocked" : (card?.heldByPerson ?? false);
  const epic = request?.epic ?? card?.epic ?? false;
  const at = now.toISOString();
  const wanted =
    request?.status ??
    (epic ? epicStatus(issue, deps, open) : null) ??
    settleStatus({ current, issueState: issue.state, stateReason: issue.stateReason, openDeps: open, heldByPerson });
  const holder = HELD.includes(wanted) ? chooseHolder(card, request, at) : null;
  const status = ready(wanted, holder !== null, open);
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
    agent: HELD.includes(status) ? holder : null,
    retry: chooseRetry(card, request, status),
    execution: request?.execution !== undefined ? request.execution : (card?.execution ?? null),
    epic,
    autonomy: request?.autonomy !== undefined ? request.autonomy : (card?.autonomy ?? null),
    paused: request?.paused !== undefined ? request.paused : (card?.paused ?? null),
    history: card?.history ?? [],
  };
  const notices: string[] = [];
  if (!card) {
    meta = withDecision(meta, { at, by: input.actor, what: `task created as \`${status}\``, why: creationReason(open) });
  } else if (card.status !== status) {
    // A plan started or dropped (`epic`) is a person's request as much as a status is.
    const asked = request?.status !== undefined || request?.epic !== undefined;
    const why = asked ? request.how : statusReason(card, issue, open);
    const by = asked ? input.actor : "orkestra";
    meta = withDecision(meta, { at, by, what: statusChange(card.status, status), why });
    if (card.status === "blocked" && status === "pending" && !request?.status) {
      notices.push(`▶️ ${why}: this task is \`pending\` again.`);
    }
  }
  const before = card?.agent?.name ?? null;
  const after = meta.agent?.name ?? null;
  if (before !== after) {
    const what = after ? `assigned to \`${after}\`` : `released by \`${before}\``;
    const why = after && meta.agent ? meta.agent.why : (request?.how ?? `task is \`${status}\``);
    meta = withDecision(meta, { at, by: request?.agent !== undefined ? input.actor : "orkestra", what, why });
  }
  for (const [field, before, after] of [
    ["priority", card?.priority, priority],
    ["type", card?.type, type],
  ] as const) {
    if (card && before !== after) {
      meta = withDecision(meta, { at, by: input.actor, what: `${field} \`${before}\` → \`${after}\``, why: request?.how ?? "label changed" });
    }
  }
  if (request?.note) meta = noted(meta, { at, by: input.actor, what: request.note, why: request.how });
  return { meta, labels: labelChanges(input, meta), notices };
}

/**
 * An open epic is `blocked` while it is planned (no dependencies yet) and while any sub-issue is
 * open, and `done` once they are all closed (the handler then closes the issue). Null when the
 * issue is closed: the usual rules apply.
 */
function epicStatus(issue: IssueFacts, deps: readonly DepState[], open: readonly number[]): Status | null {
  if (issue.state === "closed") return null;
  return deps.length > 0 && open.length === 0 ? "done" : "blocked";
}

/** What a status change records, e.g. ``status `assigned` → `failed` `` (lastFailure looks for it). */
function statusChange(from: Status, to: Status): string {
  return `status \`${from}\` → \`${to}\``;
}

/**
 * Why the task was last made `failed`, as its card records it — with who did it when a person
 * did and the reason does not say so already — or null when the card's history no longer
 * shows it.
 */
export function lastFailure(meta: TaskMeta): string | null {
  const failing = meta.history.findLast((decision) => decision.what.startsWith("status `") && decision.what.endsWith(` → \`failed\``));
  if (!failing) return null;
  return failing.by === "orkestra" || failing.why.includes(`@${failing.by}`) ? failing.why : `${failing.why} by @${failing.by}`;
}

/** Records a note unless the last decision says the same already (a redelivery, the next sweep). */
function noted(meta: TaskMeta, decision: TaskMeta["history"][number]): TaskMeta {
  const last = meta.history.at(-1);
  if (last && last.what === decision.what && last.why === decision.why) return meta;
  return withDecision(meta, decision);
}

/**
 * Two rules no request can break: open dependencies block a task that would go on, and a
 * held status needs a holder (a status label set by hand on a new task is not a claim).
 */
function ready(status: Status, held: boolean, open: readonly number[]): Status {
  const active: readonly Status[] = ["pending", "assigned", "in-progress", "review"];
  if (active.includes(status) && open.length > 0) return "blocked";
  if (HELD.includes(status) && !held) return "pending";
  return status;
}

function chooseHolder(card: TaskMeta | null, request: TaskRequest | undefined, at: string): TaskMeta["agent"] {
  if (request?.agent === undefined) return card?.agent ?? null;
  if (request.agent === null) return null;
  // The same agent again: a renewed lease, not a new assignment.
  if (card?.agent?.name === request.agent.name) return { ...card.agent, leaseUntil: request.agent.leaseUntil ?? card.agent.leaseUntil };
  return { name: request.agent.name, since: at, leaseUntil: request.agent.leaseUntil, why: request.agent.why };
}

/**
 * Retry bookkeeping: the sweep writes it explicitly; a task that fails while held remembers
 * the agent so the next attempt prefers another; a person putting a failed task back to
 * `pending` starts its retries afresh.
 */
function chooseRetry(card: TaskMeta | null, request: TaskRequest | undefined, status: Status): TaskMeta["retry"] {
  const fresh = { count: 0, nextAttemptAt: null, avoid: [], escalated: false };
  if (request?.retry) return request.retry;
  if (card?.status === "failed" && request?.status === "pending") return fresh;
  const retry = card?.retry ?? fresh;
  const holder = card?.agent?.name;
  if (status === "failed" && holder && !retry.avoid.includes(holder)) return { ...retry, avoid: [...retry.avoid, holder] };
  return retry;
}

function currentStatus({ issue, card, scheme }: ReconcileInput): Status | null {
  const onIssue = scheme.statusesIn(issue.labels);
  if (onIssue.length === 1) return onIssue[0]!;
  return card?.status ?? onIssue[0] ?? null;
}

/**
 * One value per dimension (priority, type): what a person asked for; else the single label
 * on the issue; else, when several are there, one that is not the value the card records —
 * Orkestra leaves exactly one, so another must have been added by a person since; else the
 * recorded value; else the issue form's answer; else the default.
 */
function chooseValue<T extends string>(
  requested: T | undefined,
  onIssue: readonly T[],
  recorded: T | undefined,
  fromForm: string | undefined,
  isValid: (value: string) => value is T,
  fallback: T,
): T {
  if (requested) return requested;
  if (onIssue.length === 1) return onIssue[0]!;
  const added = onIssue.filter((value) => value !== recorded);
  if (added.length > 0) return added.at(-1)!;
  if (recorded !== undefined) return recorded;
  const answer = fromForm?.toLowerCase();
  return answer && isValid(answer) ? answer : fallback;
}

function choosePriority({ request, issue, card, scheme, defaults }: ReconcileInput, fromForm?: string): Priority {
  return chooseValue(request?.priority, scheme.prioritiesIn(issue.labels), card?.priority, fromForm, isPriority, defaults.defaultPriority);
}

function chooseType({ request, issue, card, scheme, defaults }: ReconcileInput, fromForm?: string): string {
  const known = (value: string): value is string => defaults.types.includes(value);
  return chooseValue(request?.type, scheme.typesIn(issue.labels), card?.type, fromForm, known, defaults.defaultType);
}

function creationReason(open: readonly number[]): string {
  return open.length > 0 ? `waiting for ${formatRefs(open)}` : "no open dependencies";
}

function statusReason(card: TaskMeta, issue: IssueFacts, open: readonly number[]): string {
  if (issue.state === "closed") return `issue closed as ${issue.stateReason ?? "completed"}`.replace("_", " ");
  if (card.status === "done" || card.status === "cancelled") return "issue reopened";
  if (open.length > 0) return `waiting for ${formatRefs(open)}`;
  const closed = openDeps(card.deps);
  return closed.length > 0 ? `${formatRefs(closed)} closed` : "no open dependencies left";
}

/**
 * Label changes from the labels the issue is known to have. Those come from an event's
 * payload and may predate Orkestra's last write, so the labels the card says Orkestra set
 * are also taken off when they are no longer wanted (removing an absent label is harmless).
 */
function labelChanges({ issue, scheme, card }: ReconcileInput, meta: TaskMeta): LabelChanges {
  const wanted = specsFor(scheme, meta);
  const agentLabels = scheme.agentsIn(issue.labels).map((agent) => scheme.agent(agent).name);
  const escalated = issue.labels.filter((label) => same(label, scheme.escalated.name));
  const managed = [...issue.labels.filter((label) => scheme.classify(label) !== null), ...agentLabels, ...escalated];
  const lastSet = card ? specsFor(scheme, card).map((spec) => spec.name) : [];
  const candidates = [...managed, ...lastSet.filter((name) => !managed.some((label) => same(label, name)))];
  return {
    add: wanted.filter((spec) => !issue.labels.some((label) => same(label, spec.name))),
    remove: candidates.filter((label) => !wanted.some((spec) => same(spec.name, label))),
  };
}

function specsFor(scheme: LabelScheme, meta: Pick<TaskMeta, "status" | "priority" | "type" | "agent" | "retry">): LabelSpec[] {
  const specs = [scheme.task, scheme.status(meta.status), scheme.priority(meta.priority)];
  const typeLabel = scheme.type(meta.type);
  if (typeLabel) specs.push(typeLabel);
  if (meta.agent) specs.push(scheme.agent(meta.agent.name));
  if (meta.status === "failed" && meta.retry.escalated) specs.push(scheme.escalated);
  return specs;
}

function later(a: string | undefined, b: string): string {
  return a && a > b ? a : b;
}

/**
 * Do labels, card and lock agree? A checker over the sandbox's state (no request is made) for
 * tasks Orkestra should be keeping in line, each disagreement with a reason a person can read.
 *
 * The rules, for an open or closed issue that should be a task (opened while Orkestra ran with the
 * default `tasks.from`):
 * - it has exactly one task card (Orkestra's comment with the `orkestra:task` marker);
 * - its labels match the card: the task label, one status label = card.status, one priority label
 *   = card.priority, the type label (when the type has one) = card.type, `agent:<name>` iff the
 *   card names a holder (that name), `orkestra:escalated` iff the card says escalated, and no other
 *   label of Orkestra's scheme (labels Orkestra does not manage are left alone);
 * - the lock ref `refs/orkestra/locks/<n>` exists iff the card names a holder — a lock with no
 *   holder whose commit is younger than the sweep's grace (10 minutes) is a claim in progress, not
 *   a disagreement (see `clearOrphan` in src/handlers/sweep/index.ts);
 * - the issue is closed iff card.status is `done` or `cancelled`.
 */
import { lockRef } from "../../src/domain/assignment/lock.js";
import { parseCard, type TaskMeta } from "../../src/domain/task/card.js";
import { LabelScheme, same } from "../../src/domain/task/labels.js";
import { parseConfig } from "../../src/config/load.js";
import type { Sandbox } from "../../tools/sandbox/index.js";

/** How long a lock with no holder may be a claim in progress (the sweep's ORPHAN_GRACE_MINUTES). */
const CLAIM_GRACE_MINUTES = 10;

const CLOSED_STATUSES: ReadonlySet<TaskMeta["status"]> = new Set(["done", "cancelled"]);

interface Inconsistency {
  issue: number;
  reason: string;
}

/** The label scheme of a `.github/orkestra.yml` text, as Orkestra builds it. */
export function schemeOf(configText: string | null): LabelScheme {
  const parsed = parseConfig(configText);
  if (!parsed.ok) throw new Error(`invalid configuration: ${parsed.errors.map((error) => `${error.path}: ${error.message}`).join("; ")}`);
  return new LabelScheme(parsed.config.labels, parsed.config.tasks.types);
}

/** Task cards on an issue: comments by a bot (Orkestra writes as one in both doors) that parse as a card. */
function cardsOf(sandbox: Sandbox, number: number): TaskMeta[] {
  return sandbox.state
    .comments(number)
    .filter((comment) => comment.user?.type === "Bot")
    .map((comment) => parseCard(comment.body))
    .filter((card): card is TaskMeta => card !== null);
}

/** What disagrees on each of `issues` (all of which should be tasks); empty when all agree. */
export function inconsistencies(sandbox: Sandbox, issues: readonly number[], scheme: LabelScheme): Inconsistency[] {
  return issues.flatMap((number) => checkTask(sandbox, number, scheme).map((reason) => ({ issue: number, reason })));
}

/** One line per inconsistency, `#3: reason`. */
export function describeInconsistencies(found: readonly Inconsistency[]): string[] {
  return found.map(({ issue, reason }) => `#${issue}: ${reason}`);
}

function checkTask(sandbox: Sandbox, number: number, scheme: LabelScheme): string[] {
  const issue = sandbox.state.issue(number);
  if (!issue) return ["the issue does not exist"];
  const labels = (issue.labels ?? []).map((label) => (typeof label === "string" ? label : (label.name ?? "")));
  const cards = cardsOf(sandbox, number);
  if (cards.length === 0) return [`no task card (labels: ${list(labels)}; ${issue.state})`];
  if (cards.length > 1) {
    return [`${cards.length} task cards (statuses ${cards.map((card) => `\`${card.status}\``).join(", ")})`];
  }
  const card = cards[0]!;
  const reasons: string[] = [];
  if (card.issue !== number) reasons.push(`the card is for #${card.issue}`);
  reasons.push(...checkLabels(labels, card, scheme));
  const lock = checkLock(sandbox, number, card);
  if (lock) reasons.push(lock);
  const shouldBeClosed = CLOSED_STATUSES.has(card.status);
  if (shouldBeClosed && issue.state !== "closed") reasons.push(`the card says \`${card.status}\` but the issue is open`);
  if (!shouldBeClosed && issue.state === "closed") reasons.push(`the issue is closed but the card says \`${card.status}\``);
  return reasons;
}

function checkLabels(labels: readonly string[], card: TaskMeta, scheme: LabelScheme): string[] {
  const expected = [scheme.task.name, scheme.status(card.status).name, scheme.priority(card.priority).name];
  const type = scheme.type(card.type);
  if (type) expected.push(type.name);
  if (card.agent) expected.push(scheme.agent(card.agent.name).name);
  if (card.retry.escalated) expected.push(scheme.escalated.name);
  const managed = (label: string) =>
    same(label, scheme.task.name) ||
    same(label, scheme.escalated.name) ||
    scheme.classify(label) !== null ||
    scheme.agentsIn([label]).length > 0;
  const cardSays = `card: ${describeCard(card)}`;
  const reasons: string[] = [];
  for (const name of expected) {
    if (!labels.some((label) => same(label, name))) reasons.push(`label \`${name}\` is missing (${cardSays})`);
  }
  for (const label of labels) {
    if (managed(label) && !expected.some((name) => same(label, name))) reasons.push(`label \`${label}\` should not be there (${cardSays})`);
  }
  return reasons;
}

function checkLock(sandbox: Sandbox, number: number, card: TaskMeta): string | null {
  const name = `refs/${lockRef(number)}`;
  const ref = sandbox.state.refs().find((candidate) => candidate.ref === name);
  if (card.agent && !ref) return `the card names \`${card.agent.name}\` as holder but there is no lock \`${name}\``;
  if (!card.agent && ref) {
    const date = sandbox.internals.store.git.commits.get(ref.object.sha)?.date;
    const age = date === undefined ? Number.POSITIVE_INFINITY : sandbox.internals.store.clock.now().getTime() - new Date(date).getTime();
    if (age < CLAIM_GRACE_MINUTES * 60_000) return null; // a claim in progress
    return `the lock \`${name}\` exists (taken ${date ?? "at an unknown time"}) but the card names no holder`;
  }
  return null;
}

function describeCard(card: TaskMeta): string {
  return [card.status, card.priority, card.type, card.agent ? `held by ${card.agent.name}` : "no holder", ...(card.retry.escalated ? ["escalated"] : [])].join(", ");
}

function list(labels: readonly string[]): string {
  return labels.length === 0 ? "none" : labels.map((label) => `\`${label}\``).join(", ");
}

import type { Status } from "./model.js";

/** Transitions a person may ask for with `/status` (or by editing a status label). */
const ALLOWED: Record<Status, readonly Status[]> = {
  pending: ["assigned", "in-progress", "blocked", "cancelled", "done"],
  assigned: ["in-progress", "review", "pending", "blocked", "failed", "cancelled", "done"],
  "in-progress": ["review", "pending", "blocked", "failed", "cancelled", "done"],
  review: ["in-progress", "pending", "failed", "cancelled", "done"],
  blocked: ["pending", "cancelled", "done"],
  failed: ["pending", "cancelled", "done"],
  done: [],
  cancelled: [],
};

/** Statuses in which some agent must hold the task. */
export const HELD: readonly Status[] = ["assigned", "in-progress", "review"];
/** Statuses that mean work can go on, so open dependencies forbid them. */
const ACTIVE: readonly Status[] = ["pending", "assigned", "in-progress", "review"];

interface TaskFacts {
  /** Open dependencies (issue numbers). */
  openDeps: readonly number[];
  /** The agent holding the task, if any. */
  agent: string | null;
}

type TransitionCheck = { ok: true } | { ok: false; reason: string };

export function allowedFrom(status: Status): readonly Status[] {
  return ALLOWED[status];
}

/** Whether a person may move a task from `from` to `to`, and if not, why. */
export function checkTransition(from: Status, to: Status, facts: TaskFacts): TransitionCheck {
  if (from === to) return { ok: true };
  if (ALLOWED[from].length === 0) {
    return { ok: false, reason: `\`${from}\` is final: reopen the issue to work on it again` };
  }
  if (!ALLOWED[from].includes(to)) {
    return {
      ok: false,
      reason: `a task cannot go from \`${from}\` to \`${to}\` (from \`${from}\` it can go to ${ALLOWED[from].map((s) => `\`${s}\``).join(", ")})`,
    };
  }
  if (ACTIVE.includes(to) && facts.openDeps.length > 0) {
    return { ok: false, reason: `${formatRefs(facts.openDeps)} ${facts.openDeps.length === 1 ? "is" : "are"} still open` };
  }
  if (HELD.includes(to) && !facts.agent) {
    return { ok: false, reason: `no agent holds this task: \`${to}\` starts with \`/assign <agent>\`` };
  }
  return { ok: true };
}

/**
 * The status a task should have after something outside a person's request happened:
 * the issue closed or reopened, or its dependencies changed. `current` is the status it
 * has now (null for a new task).
 */
export function settleStatus(input: {
  current: Status | null;
  issueState: "open" | "closed";
  stateReason: string | null;
  openDeps: readonly number[];
  /** True when a person blocked the task by hand (it then stays blocked without dependencies). */
  heldByPerson: boolean;
}): Status {
  const { current, issueState, stateReason, openDeps, heldByPerson } = input;
  if (issueState === "closed") return stateReason === "completed" || stateReason === null ? "done" : "cancelled";
  if (current === null || current === "done" || current === "cancelled") return openDeps.length > 0 ? "blocked" : "pending";
  if (openDeps.length > 0 && current !== "failed") return "blocked";
  if (current === "blocked" && !heldByPerson) return "pending";
  return current;
}

export function formatRefs(numbers: readonly number[]): string {
  const refs = numbers.map((n) => `#${n}`);
  if (refs.length <= 1) return refs.join("");
  return `${refs.slice(0, -1).join(", ")} and ${refs.at(-1)}`;
}

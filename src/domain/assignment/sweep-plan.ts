import { PRIORITY_RANK, type Priority, type Status } from "../task/model.js";
import { HELD } from "../task/state-machine.js";
import { isLeaseExpired } from "./lease.js";
import { lockedIssue } from "./lock.js";

/** One open task as the sweep sees it from a list request: labels and timestamps only. */
export interface TaskRow {
  number: number;
  status: Status | null;
  agent: string | null;
  priority: Priority;
  type: string;
  labels: string[];
  escalated: boolean;
  createdAt: string;
  updatedAt: string;
}

interface SweepInput {
  rows: readonly TaskRow[];
  /** Lock refs that exist (names without `refs/`). */
  locks: readonly string[];
  /** Latest activity on an open pull request linked to a task, by task number. */
  pullActivity: ReadonlyMap<number, string>;
  now: Date;
  leaseMinutes: number;
}

interface SweepPlan {
  /**
   * Held tasks whose lease ran out: release and count a failed attempt. A task in `review` with an
   * open pull request waits on people, not on its agent, and is never stale.
   */
  stale: TaskRow[];
  /** Failed tasks not yet escalated: retry after backoff, or escalate. */
  failed: TaskRow[];
  /** Lock refs whose task shows no holder: orphans, or claims still in progress (the caller checks their age). */
  orphanLocks: string[];
  /** Ready tasks, highest priority first, then oldest. */
  candidates: TaskRow[];
  /** Tasks held now, after the stale ones are released. */
  heldAfterRelease: TaskRow[];
}

/** What the sweep should do, in order, from one bulk read. Pure: no request is made here. */
export function planSweep(input: SweepInput): SweepPlan {
  const { rows, now } = input;
  const held = rows.filter((row) => row.status !== null && HELD.includes(row.status));
  const waitingOnPeople = (row: TaskRow) => row.status === "review" && input.pullActivity.has(row.number);
  const stale = held.filter((row) => !waitingOnPeople(row) && isLeaseExpired(lastActivity(row, input.pullActivity), input.leaseMinutes, now));
  const failed = rows.filter((row) => row.status === "failed" && !row.escalated);
  const byNumber = new Map(rows.map((row) => [row.number, row]));
  const orphanLocks = input.locks.filter((ref) => {
    const issue = lockedIssue(ref);
    if (issue === null) return false;
    const row = byNumber.get(issue);
    return !row?.agent; // closed, no longer a task, or not (yet) held
  });
  const candidates = rows
    .filter((row) => row.status === "pending" && !row.agent)
    .sort(
      (a, b) =>
        PRIORITY_RANK[b.priority] - PRIORITY_RANK[a.priority] || a.createdAt.localeCompare(b.createdAt) || a.number - b.number,
    );
  const staleNumbers = new Set(stale.map((row) => row.number));
  return { stale, failed, orphanLocks, candidates, heldAfterRelease: held.filter((row) => !staleNumbers.has(row.number)) };
}

/** The latest activity on an open pull request linked to each task, by task number. */
export function pullActivityOf(pulls: readonly { body: string; headRef: string; updatedAt: string }[]): Map<number, string> {
  const activity = new Map<number, string>();
  for (const pull of pulls) {
    for (const number of linkedIssues(pull)) {
      const known = activity.get(number);
      if (!known || pull.updatedAt > known) activity.set(number, pull.updatedAt);
    }
  }
  return activity;
}

/** When a held task last showed activity: its issue, or its pull request when that is newer. */
export function lastActivity(row: Pick<TaskRow, "number" | "updatedAt">, pulls: ReadonlyMap<number, string>): string {
  const pull = pulls.get(row.number);
  return pull && pull > row.updatedAt ? pull : row.updatedAt;
}

const LINK_RE = /\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?|task)\s*:?\s+#(\d+)/gi;
const BRANCH_RE = /(?:^|\/)(?:task|issue)-(\d+)(?:$|[-/])/i;

/** Task numbers a pull request works on: "closes #12" in its body, or a `task-12` branch. */
export function linkedIssues(pull: { body: string; headRef: string }): number[] {
  const numbers = [...pull.body.matchAll(LINK_RE)].map((match) => Number(match[1]));
  const branch = BRANCH_RE.exec(pull.headRef)?.[1];
  if (branch) numbers.push(Number(branch));
  return [...new Set(numbers)];
}

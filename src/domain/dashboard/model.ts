import type { Priority, Status } from "../task/model.js";
import type { ScheduleLapse } from "./schedule-lapse.js";

/**
 * What the dashboard shows (docs/dashboard.md): everything the sweep already read, gathered by
 * the handler, rendered by `render.ts` — also the Action's job summary and `orkestra status`.
 * Times are ISO strings and shown absolute, so the same board renders the same text.
 */
export interface DashboardModel {
  /** `owner/name`. */
  repo: string;
  /** When the board was read. */
  at: string;
  paused: { by: string; at: string; why: string | null } | null;
  /** Open tasks the sweep read (all of them when `coverage.complete`). */
  tasks: DashboardTask[];
  /** Open tasks GitHub counts, read or not. */
  openTasks: number;
  /** Agents' pull requests waiting for review or merge. */
  pulls: DashboardPull[];
  votes: DashboardVote[];
  plans: DashboardPlan[];
  /** Tasks whose retries ran out and wait for people. */
  escalations: DashboardEscalation[];
  agents: DashboardAgent[];
  /** How far the last sweep read the open tasks (coverageText), null when not a sweep. */
  coverage: { text: string; complete: boolean } | null;
  /** Set when GitHub is about to switch off the workflow's schedule (public repository, no push for 45 days). */
  scheduleLapse?: ScheduleLapse | null;
}

export interface DashboardTask {
  number: number;
  title: string;
  status: Status | null;
  priority: Priority;
  type: string;
  agent: string | null;
  /** When the holder's lease runs out unless it shows activity; null when nobody holds it. */
  leaseUntil: string | null;
  /** Open issues it waits for (from its body's "Depends on" lines). */
  dependsOn: number[];
  epic: boolean;
}

export interface DashboardPull {
  number: number;
  title: string;
  /** The task it carries out, when its body names one. */
  task: number | null;
  agent: string | null;
  /** The review decision its labels show (`approved`, `changes-requested`, …), null while none. */
  decision: string | null;
  draft: boolean;
}

export interface DashboardVote {
  issue: number;
  title: string;
  /** When it closes by itself; null when only people close it. */
  deadline: string | null;
  ballots: number;
}

export interface DashboardPlan {
  issue: number;
  title: string;
  /** `deliberating`, `proposed`, `creating`, … as the plan comment says. */
  status: string;
}

export interface DashboardEscalation {
  issue: number;
  title: string;
  why: string;
}

export interface DashboardAgent {
  name: string;
  /** Whether it can take work; when off, `off` says why (no key, disabled, degraded …). */
  on: boolean;
  off: string | null;
  degraded: boolean;
  breaker: "closed" | "open" | "half-open";
  calls: number;
  /** 0–1; 1 when it made no call. */
  successRate: number;
  meanLatencyMs: number;
  lastError: string | null;
  /** Tasks it holds, and the most it may. */
  holding: number;
  limit: number;
  /** Today's spending (UTC) and the day's budget, null when unlimited. */
  spentUsd: number;
  tokens: number;
  budgetUsd: number | null;
}

/** A box a person with write permission ticks on the dashboard to act (as Renovate's). */
export type DashboardAction = { kind: "sweep" } | { kind: "pause" } | { kind: "resume" } | { kind: "retry"; issue: number };

/**
 * The vocabulary of planning (`/plan`): what a planner proposes, how the proposals merge into
 * one plan, and the plan's state as Orkestra keeps it in its plan comment.
 */
import type { Priority } from "../task/model.js";

/** How proposals that still differ after the last round become one plan (`planning.method`). */
export type PlanMethod = "unanimous" | "supermajority" | "majority";

/** One sub-task as a planner proposes it (validated agent output). */
export interface PlanItem {
  /** Short slug, unique within its proposal (`[a-z0-9-]`, at most 40), which `dependsOn` refers to. */
  key: string;
  title: string;
  description: string;
  /** One of the repository's task types. */
  type: string;
  priority: Priority;
  /** What must be true for the sub-task to be done. */
  acceptance: string[];
  /** Keys of other items of the same proposal that must be done first. */
  dependsOn: string[];
  /** A configured agent the planner suggests for the work, or null. */
  agent: string | null;
}

/** A planner's whole answer in one round. */
export interface Proposal {
  items: PlanItem[];
  /** Why this breakdown (and, from round 2 on, what the planner changed after reading the others). */
  reason: string;
}

export interface AgentSpend {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/** What one planner answered in one round: a valid proposal or why there is none. */
export type PlannerAnswer =
  | { agent: string; round: number; at: string; ok: true; proposal: Proposal }
  | { agent: string; round: number; at: string; ok: false; error: string };

/** An item of the merged plan: the planners' version of one sub-task, and who proposed it. */
export interface MergedItem extends PlanItem {
  /** Agents whose proposal holds this item (matched by normalised title). */
  supporters: string[];
}

export interface MergedPlan {
  /** In creation order: every item after the items it depends on. */
  items: MergedItem[];
  /** True when every planner that answered proposed the same items and the same dependencies. */
  agreed: boolean;
  /** What the planners still differ on, one line each, for people to read. */
  disagreements: string[];
}

export type PlanStatus =
  /** Rounds are being asked. */
  | "deliberating"
  /** A plan is ready for people: `/plan approve`, `/plan revise …`, `/plan reject`. */
  | "proposed"
  /** Approved: its sub-issues are being created (a run that stops is resumed). */
  | "approved"
  /** Every sub-issue exists; the epic waits for them. */
  | "created"
  | "rejected"
  /** Planning stopped without a plan (a budget, or no planner answered). */
  | "stopped";

/** What is kept of an earlier round once a newer one is recorded: each planner's item keys. */
export interface RoundSummary {
  agent: string;
  ok: boolean;
  keys: string[];
  /** How many items the planner proposed, when `keys` had to be dropped to keep the comment small. */
  count?: number;
}

/**
 * One round asked. The latest round keeps its answers in full; an earlier round keeps only
 * `summary` (and no answers), so the plan comment stays small.
 */
export interface PlanRound {
  round: number;
  answers: PlannerAnswer[];
  summary?: RoundSummary[];
}

/** A sub-issue made from an item. */
export interface CreatedItem {
  key: string;
  number: number;
  /** The id, which the sub-issue and dependency APIs take. */
  id: number;
}

/** The plan's state, embedded in Orkestra's plan comment on the epic and validated when read. */
export interface PlanState {
  v: 1;
  epic: number;
  /** `<epic>-<id of the /plan comment>`: names the plan in its sub-issues' markers. */
  id: string;
  status: PlanStatus;
  planners: string[];
  method: PlanMethod;
  maxRounds: number;
  /** Rounds asked so far (the last one's answers are kept in full, earlier ones summarised). */
  rounds: PlanRound[];
  /** People's `/plan revise` feedback, passed to the next round as data. */
  feedback: { by: string; at: string; text: string; round: number }[];
  /** The merge of the latest complete round; null until one is complete. */
  plan: MergedPlan | null;
  decidedBy: { by: string; at: string; how: string } | null;
  created: CreatedItem[];
  spend: Record<string, AgentSpend>;
  /** Why planning stopped or was refused, when it did. */
  stopped: string | null;
}

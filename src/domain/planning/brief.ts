/**
 * What a planner is shown in a round, as data (the agents layer sends it as JSON, never as
 * instructions): the round and its limit, the method, the other planners' previous proposals,
 * the current merged plan with what is still disputed, and people's feedback.
 */
import { lastRound } from "./state.js";
import type { PlanItem, PlanMethod, PlanState } from "./types.js";

const OTHER_DESCRIPTION_CHARS = 200;

export interface PlanBrief {
  round: number;
  maxRounds: number;
  method: PlanMethod;
  methodRule: string;
  epic: number;
  you: string;
  planners: string[];
  previousRound: {
    round: number;
    proposals: (
      | { agent: string; you: boolean; items: BriefItem[]; reason: string }
      | { agent: string; you: boolean; error: string }
    )[];
  } | null;
  currentPlan: {
    agreed: boolean;
    items: { key: string; title: string; dependsOn: string[]; proposedBy: string[] }[];
    disagreements: string[];
  } | null;
  feedback: { by: string; at: string; text: string }[];
}

interface BriefItem {
  key: string;
  title: string;
  description: string;
  type: string;
  priority: string;
  acceptance?: string[];
  dependsOn: string[];
  agent: string | null;
}

function methodRule(method: PlanMethod): string {
  if (method === "unanimous") return "if you still differ after the last round, the plan keeps only the items and dependencies every planner proposed";
  if (method === "supermajority") return "if you still differ after the last round, the plan keeps the items and dependencies a supermajority of planners proposed";
  return "if you still differ after the last round, the plan keeps the items and dependencies more than half of the planners proposed";
}

export function planBrief(state: PlanState, agent: string, round: number): PlanBrief {
  const previous = round > 1 ? lastRound(state) : undefined;
  const previousRound =
    previous && previous.round < round
      ? {
          round: previous.round,
          proposals: previous.answers.map((answer) => {
            const you = answer.agent === agent;
            if (!answer.ok) return { agent: answer.agent, you, error: truncate(answer.error, OTHER_DESCRIPTION_CHARS) };
            return { agent: answer.agent, you, items: answer.proposal.items.map((item) => briefItem(item, you)), reason: answer.proposal.reason };
          }),
        }
      : null;
  const plan = state.plan;
  return {
    round,
    maxRounds: state.maxRounds,
    method: state.method,
    methodRule: methodRule(state.method),
    epic: state.epic,
    you: agent,
    planners: [...state.planners],
    previousRound,
    currentPlan: plan
      ? {
          agreed: plan.agreed,
          items: plan.items.map((item) => ({ key: item.key, title: item.title, dependsOn: item.dependsOn, proposedBy: item.supporters })),
          disagreements: plan.disagreements,
        }
      : null,
    feedback: state.feedback.map((entry) => ({ by: entry.by, at: entry.at, text: entry.text })),
  };
}

function briefItem(item: PlanItem, yours: boolean): BriefItem {
  const base: BriefItem = {
    key: item.key,
    title: item.title,
    description: yours ? item.description : truncate(item.description, OTHER_DESCRIPTION_CHARS),
    type: item.type,
    priority: item.priority,
    dependsOn: item.dependsOn,
    agent: item.agent,
  };
  return yours ? { ...base, acceptance: item.acceptance } : base;
}

function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

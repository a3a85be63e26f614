/**
 * The planners' deliberation within one run: the pure `nextPlanStep` says what is due, this asks
 * the planners of a round in parallel, records the round and rewrites the plan comment after
 * every round, so a run that stops is resumed by the next one exactly where it stopped.
 */
import type { DataBlock } from "../../agents/index.js";
import { addSpend, nextPlanStep, planningSpend, recordRound, stopPlanning, type PlanState } from "../../domain/planning/index.js";
import type { CommentData, IssueData } from "../../github/port.js";
import type { RunContext } from "../../runtime/context.js";
import { describeSpend, recordSpend, threadBlocks, type SpendLog } from "../votes/ask.js";
import { askPlanner } from "./ask.js";
import { savePlan } from "./store.js";

interface Deliberation {
  state: PlanState;
  comments: CommentData[];
  /** False in a dry run that stopped before asking anyone. */
  asked: boolean;
}

/**
 * Asks rounds until `nextPlanStep` says the plan is settled (or nothing is due), a budget would
 * be passed, or — in a dry run — before the first question. Bounded by the plan's round limit.
 */
export async function deliberatePlan(ctx: RunContext, epic: IssueData, state: PlanState, comments: CommentData[]): Promise<Deliberation> {
  const spend: SpendLog = new Map();
  let thread: DataBlock[] | null = null;
  let lastRound: Spent | null = null;
  let current = state;
  let snapshot = comments;
  try {
    for (let guard = 0; guard <= current.maxRounds + 1; guard++) {
      const step = nextPlanStep(current);
      if (step.kind !== "ask-round") break;
      if (ctx.dryRun) {
        ctx.skippedInDryRun(`#${epic.number}: would ask ${step.planners.map((name) => `\`${name}\``).join(", ")} for their plan in round ${step.round} (dry run: not asked)`);
        return { state: current, comments: snapshot, asked: false };
      }
      const over = overBudget(ctx, current, lastRound);
      if (over) {
        current = stopPlanning(current, over);
        snapshot = await savePlan(ctx, epic.number, snapshot, current, "planning stopped: budget");
        break;
      }
      thread ??= threadBlocks(epic, snapshot);
      const asked = await Promise.all(step.planners.map((name) => askPlanner(ctx, current, step.round, name, thread!)));
      let next = recordRound(
        current,
        step.round,
        asked.map((one) => one.answer),
        { supermajorityThreshold: ctx.config.voting.supermajorityThreshold, maxItems: ctx.config.planning.maxItems },
      );
      lastRound = { tokens: 0, costUsd: 0 };
      for (const { answer, usage } of asked) {
        next = addSpend(next, answer.agent, usage);
        lastRound.tokens += usage.inputTokens + usage.outputTokens;
        lastRound.costUsd += usage.costUsd;
        recordSpend(spend, answer.agent, usage);
      }
      current = next;
      snapshot = await savePlan(ctx, epic.number, snapshot, current, `plan round ${step.round}`);
    }
  } finally {
    if (spend.size > 0) {
      const line = `#${epic.number}: plan deliberation (${current.status}) — ${describeSpend(spend)}`;
      ctx.report.notes.push(line);
      ctx.log.info(line);
    }
  }
  return { state: current, comments: snapshot, asked: true };
}

interface Spent {
  tokens: number;
  costUsd: number;
}

/**
 * Why the next round must not be asked, or null: the plan's spend so far plus the next round's
 * estimate — what this run's last round cost, or (after a restart) the average of the rounds
 * asked so far — would pass `planning.maxTokens` or `planning.maxCostUsd`.
 */
function overBudget(ctx: RunContext, state: PlanState, lastRound: Spent | null): string | null {
  const { maxTokens, maxCostUsd } = ctx.config.planning;
  const spent = planningSpend(state);
  const total = { tokens: spent.tokens, costUsd: spent.total.costUsd };
  const rounds = state.rounds.length;
  const estimate = lastRound ?? (rounds > 0 ? { tokens: total.tokens / rounds, costUsd: total.costUsd / rounds } : { tokens: 0, costUsd: 0 });
  const tokens = Math.round(total.tokens + estimate.tokens);
  if (tokens > maxTokens) {
    return `the next round would bring the plan to about ${tokens.toLocaleString("en-US")} tokens, more than planning.maxTokens (${maxTokens.toLocaleString("en-US")}); it used ${total.tokens.toLocaleString("en-US")} so far`;
  }
  const cost = total.costUsd + estimate.costUsd;
  if (cost > maxCostUsd) {
    return `the next round would bring the plan to about $${cost.toFixed(4)}, more than planning.maxCostUsd ($${maxCostUsd}); it cost $${total.costUsd.toFixed(4)} so far`;
  }
  return null;
}

/**
 * Assigning ready tasks, highest priority first: the sweep's last step, and the start of an
 * approved plan's ready sub-tasks. Capacity (`assignment.maxInProgress`), the best agent for each
 * task, the claim, then the agents' first rounds side by side; under `manual` autonomy a
 * suggestion instead of a claim.
 */
import { bulkhead } from "cockatiel";
import { explainScore, ineligibility, type AgentFacts } from "../../domain/assignment/score.js";
import type { TaskRow } from "../../domain/assignment/sweep-plan.js";
import type { RunContext } from "../../runtime/context.js";
import { autonomyFor } from "../autonomy.js";
import { startAssigned } from "../execution/index.js";
import { planItemOf } from "../planning/item.js";
import { each } from "../sweep/steps.js";
import { loadTask } from "../task-store.js";
import type { Board } from "./board.js";
import { claimTask, type ClaimResult } from "./claim.js";
import { agentFacts, heldCount, selectAgent } from "./select.js";
import { suggestAgent } from "./suggest.js";

type ClaimedTask = Extract<ClaimResult, { ok: true }>["task"];

/** Tasks worked on at once after assigning them (each is one agent's tool loop). */
const WORK_AT_ONCE = 3;
const SWEEP_HOW = "the sweep assigned the best agent";

/** Why no enabled agent can take any task now, or null when one can. */
function noAgentCanWork(ctx: RunContext, facts: readonly AgentFacts[]): string | null {
  if (facts.length === 0) return "no agent is enabled";
  const { maxPerAgent, workloadPenalty } = ctx.config.assignment;
  const reasons = facts.map((fact) => ({ name: fact.name, why: ineligibility(fact, { maxPerAgent, workloadPenalty }) }));
  return reasons.every((reason) => reason.why) ? reasons.map((reason) => `${reason.name}: ${reason.why}`).join("; ") : null;
}

export async function assignReady(ctx: RunContext, board: Board, candidates: readonly TaskRow[], held: readonly TaskRow[]): Promise<void> {
  let capacity = ctx.config.assignment.maxInProgress - heldCount(held);
  if (capacity <= 0 || candidates.length === 0) return;
  const facts = await agentFacts(ctx, held);
  const claimed: Array<{ number: number; task: ClaimedTask | undefined }> = [];
  let stoppedWhy = noAgentCanWork(ctx, facts);
  if (stoppedWhy) {
    ctx.report.notes.push(`assignment skipped: no agent can take work (${stoppedWhy})`);
    return;
  }
  await each(ctx, candidates, "assigning ready tasks", async (row) => {
    if (capacity <= 0 || stoppedWhy) return;
    // No agent can take any task: reading the rest of the pending tasks would change nothing.
    stoppedWhy = noAgentCanWork(ctx, facts);
    if (stoppedWhy) {
      ctx.report.notes.push(`assignment stopped before #${row.number}: no agent can take work (${stoppedWhy})`);
      return;
    }
    const task = await loadTask(ctx, board.issues.get(row.number)!);
    if (!task.meta || task.meta.status !== "pending" || task.meta.agent || task.meta.paused) return;
    const due = task.meta.retry.nextAttemptAt;
    if (due && due > ctx.clock.now().toISOString()) {
      ctx.report.notes.push(`#${row.number}: waiting for its retry after ${due}`);
      return;
    }
    const suggested = (await planItemOf(ctx, task.issue))?.agent ?? null;
    const selection = selectAgent(ctx, facts, { type: row.type, labels: row.labels, avoid: task.meta.retry.avoid, suggested });
    if (!selection.chosen) {
      ctx.report.notes.push(`#${row.number}: no agent can take it (${selection.ranking.map(explainScore).join("; ") || "no agent is enabled"})`);
      return;
    }
    const chosen = selection.chosen.agent;
    const fact = facts.find((item) => item.name === chosen);
    // Autonomy `manual`: recommend, do not claim; a person's `/assign` starts the work. A suggestion
    // takes a place in this sweep as a claim would, so a sweep suggests no more than agents could take.
    if (autonomyFor(ctx, task.meta) === "manual") {
      await suggestAgent(ctx, task, chosen, explainScore(selection.chosen));
    } else {
      const claim = await claimTask(ctx, row.number, { name: chosen, why: explainScore(selection.chosen) }, { actor: "orkestra", how: SWEEP_HOW });
      if (!claim.ok) {
        ctx.report.notes.push(`#${row.number}: not assigned: ${claim.reason}`);
        return;
      }
      claimed.push({ number: row.number, task: claim.task });
    }
    if (fact) fact.held += 1;
    capacity -= 1;
  });
  // Assigning is quick and in order (capacity, priority); the agents' work takes minutes, so the
  // tasks just claimed are worked on side by side, a few at a time.
  const lanes = bulkhead(WORK_AT_ONCE, Infinity);
  await Promise.all(
    claimed.map(({ number, task }) =>
      lanes.execute(() => each(ctx, [{ number }], "starting the agents' work", () => startAssigned(ctx, number, { actor: "orkestra", how: SWEEP_HOW }, task))),
    ),
  );
}

import type { PermissionLevel } from "../../config/common.js";
import { PERMISSION_LEVELS } from "../../config/common.js";
import { decide, newPlanState, withFeedback, type PlanState } from "../../domain/planning/index.js";
import type { CommentData } from "../../github/port.js";
import { authorPermission, meets } from "../permissions.js";
import { advancePlan, hasPlanningLabel, OPEN_STATUSES, planIn, planningLabel, savePlan } from "../planning/index.js";
import { loadTask, type StoredTask } from "../task-store.js";
import { syncTask } from "../task-sync.js";
import { refuse, type CommandContext, type CommandOutcome, type CommandSpec } from "./types.js";

const NOT_A_TASK =
  "only a task can be planned, and this issue is not an Orkestra task (it has no task card) — add the task label to make it one, then `/plan` again";

export const planCommand: CommandSpec = {
  name: "plan",
  usage: "/plan [agents…] · /plan revise <feedback> · /plan approve · /plan reject [why]",
  summary:
    "Agents break this epic into sub-issues and deliberate until they agree; `/plan approve` (write permission) creates them as tasks the epic waits for. `revise` asks one more round with your feedback, `reject` drops the plan.",
  examples: ["/plan", "/plan claude gemini", "/plan revise Split the API work from the UI work", "/plan approve", "/plan reject too coarse"],
  permission: "triage",
  scope: "task",
  async run(ctx, command) {
    const [first = "", ...rest] = command.args.split(/\s+/).filter(Boolean);
    const sub = first.toLowerCase();
    const text = [rest.join(" "), ...command.block].join("\n").trim();
    if (sub === "revise") return revise(ctx, text);
    if (sub === "approve") return decideCommand(ctx, "approve", text);
    if (sub === "reject") return decideCommand(ctx, "reject", text);
    return start(ctx, command.args.split(/[\s,]+/).filter(Boolean));
  },
};

/** `/plan [agents…]`: marks the epic, posts the plan comment and deliberates. */
async function start(ctx: CommandContext, names: string[]): Promise<CommandOutcome> {
  const task = await loadTask(ctx, ctx.issue);
  if (!task.meta) return refuse(NOT_A_TASK);
  const id = `${ctx.issue.number}-${ctx.comment.id}`;
  const existing = planIn(task.comments);
  if (existing && OPEN_STATUSES.has(existing.state.status)) {
    // A redelivered `/plan` continues its own plan where a stopped run left it.
    if (existing.state.id === id) return resume(ctx, existing.state, task.comments);
    return refuse(
      `a plan is already open here (${existing.state.status}): \`/plan revise <feedback>\` asks the planners for another round, \`/plan reject\` drops it${existing.state.status === "proposed" ? ", `/plan approve` creates its sub-issues" : ""}`,
    );
  }
  if (task.issue.state !== "open") return refuse("the issue is closed; reopen it to plan it");
  const planners = pickPlanners(ctx, names);
  if (!planners.ok) return refuse(planners.reason);
  const { method, maxRounds } = ctx.config.planning;
  const state = newPlanState({ epic: ctx.issue.number, id, planners: planners.names, method, maxRounds });
  const comments = await markEpic(ctx, task, true, `/plan by @${ctx.author}`);
  await ctx.apply([{ kind: "add-labels", issue: ctx.issue.number, labels: [planningLabel(ctx)], why: "plan started" }]);
  const saved = await savePlan(ctx, ctx.issue.number, comments, state, "plan started");
  const after = await advancePlan(ctx, ctx.issue, state, saved, { resuming: false, labelled: true });
  return done(ctx, after);
}

/** `/plan revise <feedback>`: the feedback goes to the planners, as data, in one more round. */
async function revise(ctx: CommandContext, feedback: string): Promise<CommandOutcome> {
  const found = await openPlan(ctx);
  if (!found.ok) return found.outcome;
  const revised = withFeedback(found.state, { by: ctx.author, at: ctx.clock.now().toISOString(), text: feedback });
  if (!revised.ok) return refuse(revised.reason);
  const saved = await savePlan(ctx, ctx.issue.number, found.comments, revised.value, `/plan revise by @${ctx.author}`);
  const labelled = await ensureLabel(ctx);
  const after = await advancePlan(ctx, ctx.issue, revised.value, saved, { resuming: false, labelled });
  return done(ctx, after);
}

/** `/plan approve` and `/plan reject`: people with write permission decide. */
async function decideCommand(ctx: CommandContext, how: "approve" | "reject", why: string): Promise<CommandOutcome> {
  const needs = atLeast("write", ctx.config.commands.permissions.plan ?? "triage");
  const has = await authorPermission(ctx, ctx.author, undefined, needs);
  if (!meets(has, needs)) return refuse(`@${ctx.author} needs \`${needs}\` permission on this repository for \`/plan ${how}\` (has \`${has}\`)`);
  const found = await openPlan(ctx);
  if (!found.ok) return found.outcome;
  // Approved by a run that stopped half way: approving again finishes the creation.
  if (how === "approve" && found.state.status === "approved") return resume(ctx, found.state, found.comments);
  const decided = decide(found.state, { how, by: ctx.author, at: ctx.clock.now().toISOString() });
  if (!decided.ok) return refuse(decided.reason);
  const state = how === "reject" && why ? { ...decided.value, stopped: `rejected: ${why.slice(0, 500)}` } : decided.value;
  const saved = await savePlan(ctx, ctx.issue.number, found.comments, state, `/plan ${how} by @${ctx.author}`);
  if (how === "reject") {
    // A plain task again: no longer blocked waiting for a plan.
    const task = await loadTask(ctx, ctx.issue);
    if (task.meta) await markEpic(ctx, task, false, `/plan reject by @${ctx.author}`);
  }
  const after = await advancePlan(ctx, ctx.issue, state, saved, { resuming: false, labelled: hasPlanningLabel(ctx, ctx.issue) });
  return done(ctx, after);
}

async function resume(ctx: CommandContext, state: PlanState, comments: CommentData[]): Promise<CommandOutcome> {
  const after = await advancePlan(ctx, ctx.issue, state, comments, { resuming: true, labelled: await ensureLabel(ctx) });
  return done(ctx, after);
}

type Found = { ok: true; state: PlanState; comments: CommentData[] } | { ok: false; outcome: CommandOutcome };

async function openPlan(ctx: CommandContext): Promise<Found> {
  const comments = await ctx.github.listComments(ctx.issue.number);
  const plan = planIn(comments);
  if (!plan) return { ok: false, outcome: refuse("there is no plan on this issue; `/plan` starts one") };
  return { ok: true, state: plan.state, comments };
}

/** Puts the planning label back on an epic whose plan is open again (after `/plan revise` on a stopped plan). */
async function ensureLabel(ctx: CommandContext): Promise<boolean> {
  if (hasPlanningLabel(ctx, ctx.issue)) return true;
  await ctx.apply([{ kind: "add-labels", issue: ctx.issue.number, labels: [planningLabel(ctx)], why: "plan open" }]);
  return true;
}

/** Makes the task an epic (or a plain task again) and returns its comments as they now are. */
async function markEpic(ctx: CommandContext, task: StoredTask, epic: boolean, how: string): Promise<CommentData[]> {
  if (task.meta?.epic === epic) return task.comments;
  const result = await syncTask(ctx, task, { actor: ctx.author, request: { epic, how } });
  await ctx.apply(result.effects);
  return ctx.dryRun ? task.comments : ctx.github.listComments(ctx.issue.number);
}

/** The command's answer: the plan comment says the rest; a stop or a dry run is said in the reply too. */
function done(ctx: CommandContext, state: PlanState): CommandOutcome {
  if (ctx.dryRun) return { ok: true, effects: [], reply: "Dry run: no planner was asked and nothing was created; the run report says what would be done." };
  if (state.status === "stopped" && state.stopped) return { ok: true, effects: [], reply: `Planning stopped: ${state.stopped}.` };
  return { ok: true, effects: [] };
}

type Picked = { ok: true; names: string[] } | { ok: false; reason: string };

/**
 * The planners: the agents named, else `planning.planners`, else the agents that are on, in
 * configuration order — at most `planning.maxPlanners`.
 */
function pickPlanners(ctx: CommandContext, named: string[]): Picked {
  const { planners, maxPlanners } = ctx.config.planning;
  const on = ctx.agents.agents.map((agent) => agent.name);
  const usable = on.length > 0 ? `usable: ${on.map((name) => `\`${name}\``).join(", ")}` : "no agent is on";
  const wanted = [...new Set(named.map((name) => name.replace(/^@/, "").toLowerCase()))];
  if (wanted.length > 0) {
    for (const name of wanted) {
      if (on.includes(name)) continue;
      const off = ctx.agents.disabled.find((agent) => agent.name === name);
      return { ok: false, reason: off ? `\`${name}\` cannot plan: ${off.message}; ${usable}` : `\`${name}\` is not a configured agent; ${usable}` };
    }
    if (wanted.length > maxPlanners) return { ok: false, reason: `at most ${maxPlanners} planners (planning.maxPlanners); ${wanted.length} were named` };
    return { ok: true, names: wanted };
  }
  const chosen = (planners.length > 0 ? planners.filter((name) => on.includes(name)) : on).slice(0, maxPlanners);
  if (chosen.length === 0) {
    const configured = planners.length > 0 ? ` (none of planning.planners — ${planners.map((name) => `\`${name}\``).join(", ")} — is on)` : "";
    return {
      ok: false,
      reason: `no agent can plan${configured}: set an agent's API key (ANTHROPIC_API_KEY, OPENAI_API_KEY, GEMINI_API_KEY or XAI_API_KEY, or the Action's matching inputs) or turn an agent on under \`agents:\` in .github/orkestra.yml, or name planners that are on`,
    };
  }
  return { ok: true, names: chosen };
}

function atLeast(a: PermissionLevel, b: PermissionLevel): PermissionLevel {
  return PERMISSION_LEVELS.indexOf(a) >= PERMISSION_LEVELS.indexOf(b) ? a : b;
}

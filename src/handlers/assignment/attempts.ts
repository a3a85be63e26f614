import { nextAttemptAt } from "../../domain/assignment/lease.js";
import { formatTime, type TaskMeta } from "../../domain/task/card.js";
import { lastFailure } from "../../domain/task/reconcile.js";
import { maintainerMentions } from "../../domain/markdown.js";
import { escapeInline } from "../../domain/untrusted-text.js";
import { renderMarker } from "../../domain/markers.js";
import type { RunContext } from "../../runtime/context.js";
import type { Effect } from "../../runtime/effects.js";
import type { StoredTask } from "../task-store.js";
import { syncTask } from "../task-sync.js";
import { taskPausedNote } from "../pause.js";

/**
 * An attempt at a task failed — its lease ran out with no activity, or it was marked failed.
 * Count it; while retries remain the task goes back to `pending` with an exponential backoff
 * and a preference for another agent; after the last one it is `failed` and the maintainers
 * are asked to decide, once. A task that was already `failed` (a person's `/status failed`,
 * the label) keeps the reason its card gives for that, and so does every line of the run
 * report about its escalation.
 */
export async function failAttempt(
  ctx: RunContext,
  task: StoredTask,
  failure: string,
  /** The agent's work as it ended, when the attempt was one (the card keeps the last attempt). */
  execution?: TaskMeta["execution"],
): Promise<"retry" | "escalated"> {
  const work = execution === undefined ? {} : { execution };
  const meta = task.meta!;
  // A paused task is not released, retried or escalated until `/resume here`.
  if (meta.paused) {
    taskPausedNote(ctx, task.issue.number, meta.paused, `the failed attempt (${failure})`);
    return "retry";
  }
  const recorded = meta.status === "failed" ? lastFailure(meta) : null;
  const reason = recorded ? `${failure} (${recorded})` : failure;
  const { maxRetries } = ctx.config.assignment;
  const count = meta.retry.count + 1;
  const holder = meta.agent?.name;
  const avoid = holder && !meta.retry.avoid.includes(holder) ? [...meta.retry.avoid, holder] : meta.retry.avoid;
  const now = ctx.clock.now();
  if (count > maxRetries) {
    const how = `${reason}; ${maxRetries} ${maxRetries === 1 ? "retry" : "retries"} used up`;
    // A task already `failed` changes no status: the note records the escalation, so that the
    // card's writes give its reason rather than the decision the card ended on before.
    const note = meta.status === "failed" ? { note: "escalated to the maintainers" } : {};
    const result = await syncTask(ctx, task, {
      actor: "orkestra",
      request: { status: "failed", agent: null, retry: { count, nextAttemptAt: null, avoid, escalated: true }, ...work, ...note, how },
    });
    await ctx.apply([...result.effects, escalation(ctx, task, how)]);
    return "escalated";
  }
  const next = nextAttemptAt(now, count, ctx.config.assignment);
  const how = `${reason}; retry ${count} of ${maxRetries} after ${formatTime(next)}`;
  const result = await syncTask(ctx, task, {
    actor: "orkestra",
    request: { status: "pending", agent: null, retry: { count, nextAttemptAt: next, avoid, escalated: false }, ...work, how },
  });
  await ctx.apply(result.effects);
  return "retry";
}

function escalation(ctx: RunContext, task: StoredTask, how: string): Effect {
  const who = maintainerMentions(ctx.config.maintainers);
  const history = (task.meta?.history ?? []).map(
    (decision) => `- ${formatTime(decision.at)} · ${escapeInline(decision.what)} — ${escapeInline(decision.why)}`,
  );
  const body = [
    renderMarker("escalation", { issue: task.issue.number }),
    `🚨 ${who}: this task failed and needs a person (${how}).`,
    "",
    "Move it on with `/status pending` (retries start afresh), `/assign <agent>`, or `/status cancelled`.",
    "",
    "<details><summary>History</summary>",
    "",
    ...history,
    "",
    "</details>",
  ].join("\n");
  return { kind: "create-comment", issue: task.issue.number, body, why: how };
}

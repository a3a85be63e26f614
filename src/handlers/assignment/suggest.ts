/**
 * Autonomy `manual`: the sweep does not claim the task, it recommends. One sticky comment names
 * the agent it would pick, why, and the command that starts the work; it is edited in place when
 * the recommendation changes, and an unchanged one costs no write (the task's comments are read
 * anyway to find its card).
 */
import { renderMarker } from "../../domain/markers.js";
import type { RunContext } from "../../runtime/context.js";
import { upsertSticky } from "../sticky.js";
import type { StoredTask } from "../task-store.js";

const SUGGESTION_KIND = "assignment-suggestion";

function suggestionBody(issue: number, agent: string, why: string): string {
  return [
    renderMarker(SUGGESTION_KIND, { issue, agent }),
    `💡 **Suggested agent: \`${agent}\`** (${why}).`,
    "",
    `This task's autonomy is \`manual\`: Orkestra only recommends and starts nothing by itself. To start the work, comment \`/assign ${agent}\` (or \`/assign <another agent>\`).`,
  ].join("\n");
}

/** Posts or updates the suggestion; nothing is written when it already says this. */
export async function suggestAgent(ctx: RunContext, task: StoredTask, agent: string, why: string): Promise<void> {
  const number = task.issue.number;
  const effects = upsertSticky(number, task.comments, SUGGESTION_KIND, suggestionBody(number, agent, why), "autonomy manual: the sweep recommends an agent");
  ctx.report.notes.push(`#${number}: autonomy manual: suggested \`${agent}\`${effects.length === 0 ? " (unchanged)" : ""}; not claimed`);
  await ctx.apply(effects);
}

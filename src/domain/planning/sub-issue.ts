/**
 * A sub-issue made from a plan item: its title and body. The body starts with an
 * `orkestra:plan-item` marker naming the plan and the item (so a resumed creation finds what
 * exists), links the epic, and says its dependencies in the form the task parser reads
 * ("Depends on #3, #4"). Agent-written text is defused and cannot add dependencies of its own.
 */
import { z } from "zod";
import { readMarker, renderMarker } from "../markers.js";
import { defuseAgentText, escapeInline, oneLine } from "../untrusted-text.js";
import { PLAN_ITEM_KIND } from "./schema.js";
import type { MergedItem, PlanState } from "./types.js";

const ZWSP = "\u200b";
const TITLE_CHARS = 200;

/**
 * `approvedBy`: who approved the plan ("orkestra" under `full` autonomy). The issue is Orkestra's,
 * so the work it asks for is trusted as far as that approval is (execution.trustedAuthorsOnly).
 */
const planItemMarkerSchema = z.object({
  plan: z.string().min(1),
  key: z.string().min(1),
  approvedBy: z.string().nullable().default(null),
  /** The agent the plan suggests for the work: assignment prefers it. */
  agent: z.string().nullable().default(null),
});
type PlanItemMarker = z.infer<typeof planItemMarkerSchema>;

export function renderSubIssue(state: PlanState, item: MergedItem, created: ReadonlyMap<string, number>): { title: string; body: string } {
  const deps = item.dependsOn.map((key) => created.get(key)).filter((number): number is number => number !== undefined);
  const description = item.description.trim();
  const body = [
    renderMarker(PLAN_ITEM_KIND, { plan: state.id, key: item.key, approvedBy: state.decidedBy?.by ?? null, agent: item.agent }),
    `Part of #${state.epic} (planned by Orkestra's \`/plan\`).`,
    "",
    description === "" ? "_No description._" : noRefs(defuseAgentText(description)),
    ...(item.acceptance.length > 0
      ? ["", "### Acceptance criteria", "", ...item.acceptance.map((entry) => `- [ ] ${noRefs(oneLine(entry, 300))}`)]
      : []),
    "",
    ...(deps.length > 0 ? [`Depends on ${deps.map((number) => `#${number}`).join(", ")}`, ""] : []),
    `**Suggested agent:** ${item.agent === null ? "none" : escapeInline(item.agent, 40)}`,
    `**Proposed by:** ${item.supporters.map((agent) => escapeInline(agent, 40)).join(", ") || "—"}`,
  ].join("\n");
  const title = item.title.replace(/\s+/g, " ").trim();
  return { title: [...title].length > TITLE_CHARS ? `${[...title].slice(0, TITLE_CHARS - 1).join("")}…` : title, body };
}

/** The plan and item a sub-issue was made from; null when its body has no such marker. */
export function readPlanItem(body: string | null | undefined): PlanItemMarker | null {
  return readMarker(body, PLAN_ITEM_KIND, planItemMarkerSchema);
}

/**
 * Agent text that cannot be read as a dependency: `#12` references, "depends on" / "blocked by"
 * / "requires" phrases, task-list items and form headings (`### Dependencies`) get a zero-width
 * space, which reads the same and matches none of the dependency parser's patterns.
 */
function noRefs(text: string): string {
  return text
    .replace(/#(?=\d)/g, `#${ZWSP}`)
    .replace(/\b(depends?|blocked|requires)\b/gi, `$1${ZWSP}`)
    .replace(/^(\s*[-*+]\s+\[[ xX]\]\s+)/gm, `$1${ZWSP}`)
    .replace(/^(\s{0,3}#{1,6}\s+)/gm, `$1${ZWSP}`);
}

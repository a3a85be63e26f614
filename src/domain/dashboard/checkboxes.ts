/**
 * The dashboard's action boxes (docs/dashboard.md): a person with write permission ticks one to
 * ask Orkestra to act. A box is recognised only by the action marker right after it on the same
 * line — `- [ ] <!-- orkestra:dashboard-action {"kind":"sweep"} --> Run the sweep now` — whose
 * JSON must be a valid `DashboardAction`; the text after it is for people and means nothing.
 * Lines inside fenced code blocks are quoted material, never boxes.
 */
import { z } from "zod";
import type { DashboardAction } from "./model.js";

export const ACTION_KIND = "dashboard-action";

const actionSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("sweep") }).strict(),
  z.object({ kind: z.literal("pause") }).strict(),
  z.object({ kind: z.literal("resume") }).strict(),
  z.object({ kind: z.literal("retry"), issue: z.number().int().positive() }).strict(),
]);

/** A task-list item (0–3 spaces, `-`, `*` or `+`) whose box is followed by an action marker. */
const ACTION_LINE_RE = /^( {0,3}[-*+][ \t]+\[)([ xX])(\][ \t]+<!-- orkestra:dashboard-action (\{.*?\}) -->)/;
const FENCE_RE = /^ {0,3}(`{3,}|~{3,})/;

interface ActionLine {
  ticked: boolean;
  action: DashboardAction | null;
}

/**
 * The actions whose box is ticked in `after` and was not in `before` (an edit of the dashboard),
 * in the order they appear, each once. Boxes without a valid action marker are ignored.
 */
export function tickedActions(before: string, after: string): DashboardAction[] {
  const already = new Set(
    actionLines(before)
      .filter((line) => line.ticked && line.action)
      .map((line) => actionKey(line.action as DashboardAction)),
  );
  const seen = new Set<string>();
  const ticked: DashboardAction[] = [];
  for (const line of actionLines(after)) {
    if (!line.ticked || !line.action) continue;
    const key = actionKey(line.action);
    if (already.has(key) || seen.has(key)) continue;
    seen.add(key);
    ticked.push(line.action);
  }
  return ticked;
}

/** `body` with every Orkestra action box unticked (`- [ ]`); every other character kept. */
export function untickAll(body: string): string {
  let fence: string | null = null;
  return body
    .split("\n")
    .map((line) => {
      const fenced = fence !== null;
      fence = nextFence(fence, line);
      if (fenced || fence !== null) return line;
      return line.replace(ACTION_LINE_RE, "$1 $3");
    })
    .join("\n");
}

/** The action-box lines of `body` outside fenced code blocks. */
function actionLines(body: string): ActionLine[] {
  const lines: ActionLine[] = [];
  let fence: string | null = null;
  for (const line of body.split("\n")) {
    const fenced = fence !== null;
    fence = nextFence(fence, line);
    if (fenced || fence !== null) continue;
    const match = ACTION_LINE_RE.exec(line);
    if (!match) continue;
    lines.push({ ticked: match[2] !== " ", action: parseAction(match[4] ?? "") });
  }
  return lines;
}

/** The fence open after `line`, given the one open before it (CommonMark's closing rule). */
function nextFence(open: string | null, line: string): string | null {
  const opener = FENCE_RE.exec(line)?.[1];
  if (open === null) return opener ?? null;
  if (opener && opener[0] === open[0] && opener.length >= open.length && line.trim() === opener) return null;
  return open;
}

function parseAction(json: string): DashboardAction | null {
  try {
    const parsed = actionSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function actionKey(action: DashboardAction): string {
  return action.kind === "retry" ? `retry:${action.issue}` : action.kind;
}

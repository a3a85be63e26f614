import type { RunReport } from "../runtime/context.js";
import { coverageText } from "../handlers/sweep/coverage.js";
import { renderDashboard } from "../domain/dashboard/render.js";

/** GitHub keeps at most 1 MiB of job summary per step; Orkestra's stays under it with room to spare. */
const MAX_SUMMARY_BYTES = 1024 * 1024 - 16 * 1024;
/** Longest list item kept in the summary (one error or note can be very long). */
const MAX_ITEM_CHARS = 4_000;
/** GitHub shows at most 10 error annotations per step. */
export const MAX_ERROR_ANNOTATIONS = 10;

/**
 * Markdown for the Action's job summary (and the demo's transcript). Configuration errors and
 * errors come first and all of them are listed (only 10 annotations are shown); when the whole
 * would pass GitHub's 1 MiB, what comes last is cut, with a line saying how much.
 */
export function renderReport(event: string, report: RunReport, dryRun: boolean): string {
  const head = [`### Orkestra — \`${event}\`${dryRun ? " (dry run: nothing was written)" : ""}`, ""];
  const lines: string[] = [];
  if (report.configErrors.length > 0) {
    lines.push("**Configuration errors** — nothing else was done:", "");
    for (const error of report.configErrors) {
      lines.push(item(`${error.line ? `line ${error.line}: ` : ""}${error.path ? `\`${error.path}\` ` : ""}${error.message}`));
    }
    lines.push("");
  }
  if (report.truncated) {
    lines.push(`**Stopped early** — ${report.truncated.reason}.`, "");
    if (report.truncated.notReached.length > 0) lines.push(clip(`Not reached: ${report.truncated.notReached.join(", ")}`), "");
  }
  if (report.sweepCoverage) lines.push(`**Coverage** — ${coverageText(report.sweepCoverage)}`, "");
  if (report.errors.length > 0) {
    lines.push("**Errors**", "", ...report.errors.map(item), "");
  }
  lines.push(dryRun ? "**Would do**" : "**Done**", "");
  lines.push(...(report.actions.length > 0 ? report.actions.map(item) : ["- nothing to change"]));
  if (report.notes.length > 0) lines.push("", "**Notes**", "", ...report.notes.map(item));
  if (report.ledger && "appended" in report.ledger) lines.push("", `**Ledger** — ${report.ledger.appended} entr${report.ledger.appended === 1 ? "y" : "ies"} appended to \`refs/orkestra/state/ledger\` (\`${report.ledger.head.slice(0, 7)}\`).`);
  // The board the sweep's dashboard shows, when it changed (the dashboard issue has the same text and its boxes).
  if (report.board) lines.push("", renderDashboard(report.board, { actions: false }));
  return [...head, ...withinBytes(lines, MAX_SUMMARY_BYTES - bytes(head.join("\n")) - 1)].join("\n");
}

function item(text: string): string {
  return clip(`- ${text}`);
}

function clip(text: string): string {
  return text.length <= MAX_ITEM_CHARS ? text : `${text.slice(0, MAX_ITEM_CHARS - 1)}…`;
}

function bytes(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/** The first lines that fit in `budget` bytes, then one saying how many were cut and why. */
function withinBytes(lines: string[], budget: number): string[] {
  if (bytes(lines.join("\n")) <= budget) return lines;
  const cutLine = (count: number) =>
    `\n**Summary cut** — the last ${count.toLocaleString("en-US")} of ${lines.length.toLocaleString("en-US")} lines are not shown: GitHub keeps at most 1 MiB of job summary per step.`;
  const room = budget - bytes(cutLine(lines.length));
  const kept: string[] = [];
  let size = 0;
  for (const line of lines) {
    const next = size + bytes(line) + 1;
    if (next > room) break;
    kept.push(line);
    size = next;
  }
  return [...kept, cutLine(lines.length - kept.length)];
}

/** A run with errors or an invalid configuration is never green. */
export function reportFailed(report: RunReport): boolean {
  return report.errors.length > 0 || report.configErrors.length > 0;
}

/** The step's failure message (itself one error annotation): short, the summary has the rest. */
export function failureMessage(report: RunReport): string {
  if (report.configErrors.length > 0) return "invalid Orkestra configuration (see the annotations and the job summary)";
  if (report.errors.length === 1) return clip(report.errors[0] ?? "");
  return `${report.errors.length} errors, the first: ${clip(report.errors[0] ?? "")} (all are in the job summary)`;
}

import type { RunReport } from "../runtime/context.js";

/** Markdown for the Action's job summary (and the demo's transcript). */
export function renderReport(event: string, report: RunReport, dryRun: boolean): string {
  const lines = [`### Orkestra — \`${event}\`${dryRun ? " (dry run: nothing was written)" : ""}`, ""];
  if (report.configErrors.length > 0) {
    lines.push("**Configuration errors** — nothing else was done:", "");
    for (const error of report.configErrors) {
      lines.push(`- ${error.line ? `line ${error.line}: ` : ""}${error.path ? `\`${error.path}\` ` : ""}${error.message}`);
    }
    lines.push("");
  }
  if (report.truncated) {
    lines.push(`**Stopped early** — ${report.truncated.reason}.`, "");
    if (report.truncated.notReached.length > 0) lines.push(`Not reached: ${report.truncated.notReached.join(", ")}`, "");
  }
  if (report.errors.length > 0) {
    lines.push("**Errors**", "", ...report.errors.map((error) => `- ${error}`), "");
  }
  lines.push(dryRun ? "**Would do**" : "**Done**", "");
  lines.push(...(report.actions.length > 0 ? report.actions.map((action) => `- ${action}`) : ["- nothing to change"]));
  if (report.notes.length > 0) lines.push("", "**Notes**", "", ...report.notes.map((note) => `- ${note}`));
  return lines.join("\n");
}

/** A run with errors, an invalid configuration or a sweep cut short is never green. */
export function reportFailed(report: RunReport): boolean {
  return report.errors.length > 0 || report.configErrors.length > 0 || report.truncated !== undefined;
}

export function failureMessage(report: RunReport): string {
  if (report.configErrors.length > 0) return "invalid Orkestra configuration (see the annotations)";
  if (report.errors.length > 0) return report.errors.join("; ");
  return `sweep ${report.truncated?.reason ?? "stopped early"}`;
}

import type { RunReport, SweepCoverage } from "../../runtime/context.js";

/**
 * How far a sweep read the open tasks, what it spent, and when the rest will be read. Without
 * `spent` (the dashboard's), the requests are left out: the same reading reads the same.
 */
export function coverageText(coverage: SweepCoverage, options: { spent: boolean } = { spent: true }): string {
  const { fromPage, pagesRead, totalPages, nextPage, tasks, requests, allowance } = coverage;
  const count = (n: number) => n.toLocaleString("en-US");
  const cost = `${count(requests)} GitHub requests${allowance === null ? "" : ` of the ${count(allowance)} a sweep may make`}`;
  const spent = options.spent ? ` with ${cost}` : "";
  // From where it started to the last page, then round from page 1 (none of the first when the
  // listing shrank below the page it started at).
  const first = Math.max(0, Math.min(totalPages - fromPage + 1, pagesRead));
  const wrapped = pagesRead - first;
  const range = (a: number, b: number) => (a === b ? `page ${a}` : `pages ${a}–${b}`);
  const ranges = [...(first > 0 ? [range(fromPage, fromPage + first - 1)] : []), ...(wrapped > 0 ? [range(1, wrapped)] : [])].join(" and ");
  const read = pagesRead === 0 ? `read no page of the open tasks${spent ? `,${spent}` : ""}` : `read ${ranges} of ${count(totalPages)} (${count(tasks)} open tasks)${spent}`;
  if (nextPage === null) return `${read}: every open task was visited${fromPage > 1 ? `, this pass having started at page ${fromPage} where the last sweep stopped` : ""}.`;
  const left = Math.max(1, totalPages - pagesRead);
  const runs = pagesRead > 0 ? Math.ceil(left / pagesRead) : null;
  const when = runs === null ? "no page fitted in this sweep's share: raise `sweep.requestShare`" : `at this pace the rest is read by the next ${runs === 1 ? "sweep" : `${runs} sweeps`}`;
  return `${read}. The next sweep starts at page ${nextPage}; ${when}.`;
}

/** A sweep cut short by its budget did what it could and continues next time: a warning, not a failure. */
export function sweepWarning(report: RunReport): string | null {
  if (!report.truncated) return null;
  return `sweep ${report.truncated.reason}${report.sweepCoverage ? ` (${coverageText(report.sweepCoverage)})` : ""}`;
}

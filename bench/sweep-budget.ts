/**
 * Consecutive scheduled sweeps within the job token's budget (issue 13):
 *
 *   npx tsx bench/sweep-budget.ts [--tasks 10000] [--limit 1000] [--runs 6] [--share 0.1]
 *
 * A repository with N pending tasks and no agent enabled (bench/sweep-worlds.ts, world (a)), the
 * sandbox enforcing `--limit` requests an hour for the job token, and a `schedule` run every 15
 * minutes through the Action door (the token as the `github-token` input). For each run it
 * prints the requests the sandbox logged, the pages of open tasks read (from where the last run
 * stopped), the pages visited so far in the pass, what GitHub said was left of the hour, and how
 * the run ended: green, a warning (cut short by its share, the next run continues) or failed.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runAction } from "../src/action/main.js";
import { reportFailed } from "../src/action/summary.js";
import { sweepWarning } from "../src/handlers/sweep/coverage.js";
import { silentLogger } from "../src/shared/logger.js";
import { fixedClock } from "../tools/fixed-clock.js";
import { startSandbox } from "../tools/sandbox/index.js";
import { repositoryShape } from "../tools/sandbox/shapes/repo.js";
import { SEEDED_AT, SWEEP_AT, scheduleJob, seedWorld, taskPagesRead } from "./sweep-worlds.js";

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

const tasks = option("--tasks", 10_000);
const limit = option("--limit", 1_000);
const runs = option("--runs", 6);
const share = option("--share", 0.1);

const clock = fixedClock(SEEDED_AT);
const sandbox = await startSandbox({
  clock,
  rateLimit: limit,
  validateResponses: false,
  collaborators: { alice: "write" },
  // The dashboard is off (bench/dashboard.ts measures it); each run's ledger append counts.
  files: { ".github/orkestra.yml": `assignment:\n  maxPerAgent: 2\nsweep:\n  requestShare: ${share}\ndashboard:\n  enabled: false\n` },
});
seedWorld(sandbox, clock, "idle", tasks);
clock.set(SWEEP_AT);
const env = scheduleJob(mkdtempSync(join(tmpdir(), "orkestra-bench-budget-")), { ...sandbox, repository: repositoryShape(sandbox.internals.shapes) });

console.log(`${tasks.toLocaleString("en")} pending tasks, no agent enabled; the job token limited to ${limit.toLocaleString("en")} requests an hour; sweep.requestShare ${share} (${Math.floor(share * limit)} requests a run); a schedule run every 15 minutes through the Action door.`);
console.log("");
console.log("| run | at | requests | pages read | pages visited this pass | left this hour | outcome |");
console.log("|---:|---|---:|---|---:|---:|---|");
const visited = new Set<number>();
let passes = 0;
let windowStart: number | null = null;
let usedInWindow = 0;
for (let run = 1; run <= runs; run++) {
  sandbox.clearRequests();
  process.env["INPUT_GITHUB-TOKEN"] = sandbox.tokens.actions;
  const report = await runAction({ env, clock, log: silentLogger, throttle: false }).finally(() => delete process.env["INPUT_GITHUB-TOKEN"]);
  const coverage = report.sweepCoverage;
  const pages = taskPagesRead(sandbox);
  for (const page of pages) visited.add(page);
  const total = coverage?.totalPages ?? 0;
  const whole = total > 0 && visited.size >= total;
  // The sandbox's window, as GitHub's: an hour from the first request in it.
  if (windowStart === null || clock.now().getTime() >= windowStart + 3_600_000) {
    windowStart = clock.now().getTime();
    usedInWindow = 0;
  }
  usedInWindow += sandbox.requests.length;
  const outcome = reportFailed(report) ? `failed: ${report.errors[0] ?? "configuration"}` : sweepWarning(report) ? "warning (cut short)" : "green";
  const read = coverage ? `${coverage.pagesRead} (from ${coverage.fromPage}, next ${coverage.nextPage ?? "—"})` : "—";
  console.log(`| ${run} | ${clock.now().toISOString().slice(11, 16)} | ${sandbox.requests.length} | ${read} | ${visited.size} of ${total}${whole ? " ✓" : ""} | ${limit - usedInWindow} | ${outcome} |`);
  if (whole) {
    passes += 1;
    visited.clear();
  }
  clock.advance(15 * 60_000);
}
console.log("");
console.log(`Passes completed (every page visited): ${passes}.`);
await sandbox.close();

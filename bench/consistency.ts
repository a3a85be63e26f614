/**
 * Do labels, card and lock come back in line after GitHub fails a write for good? (issue 12, item 3)
 *
 *   npx tsx bench/consistency.ts                  # both doors, every fault kind
 *   npx tsx bench/consistency.ts --door action    # one door
 *   npx tsx bench/consistency.ts --concurrency 4  # faulted runs at once through the Action (default 12; the app's take turns)
 *
 * Four flows (tests/support/flows.ts): a person opens an issue; `/assign` on a pending task;
 * `/status done` on an assigned task; one scheduled sweep that releases a stale lease, retries a
 * failed task and assigns a ready one. Each runs once without faults to learn its writes (every
 * request but GET; POST /graphql only for a mutation). Then, for every write and each fault kind —
 * a 500, an exhausted primary rate limit (403) and a secondary rate limit (403), all persisting
 * for that method and route from that write on — a fresh world is built the same way, the flow
 * runs with the fault (it may fail: expected), the faults are cleared, and labels, card and lock
 * are checked (tests/support/consistency.ts) right after, after the next event on the issue (a
 * person's plain comment) and after the next sweep (the clock past `sweep.intervalMinutes`).
 * The goal: 0 inconsistent after the next sweep. A trial whose fault did not hit the intended
 * write is reported as "fault missed" and not counted.
 *
 * Each door runs in its own child process (two cores). Through the Action faulted runs overlap
 * (its Octokit retries a 500 three times, milliseconds apart here); through the app they take
 * turns (see `inTurn` in tests/support/flows.ts).
 */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { DOORS, type Door } from "../tests/support/harness.js";
import { FAULT_KINDS, FLOWS, baseline, pool, trial, type Baseline, type TrialResult } from "../tests/support/flows.js";

interface DoorResult {
  door: Door;
  baselines: Baseline[];
  trials: TrialResult[];
  elapsedMs: number;
}

function option(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index < 0 ? undefined : process.argv[index + 1];
}

/** Child: every flow, write and fault kind through one door. */
async function runDoor(door: Door, concurrency: number): Promise<DoorResult> {
  const started = performance.now();
  const baselines: Baseline[] = [];
  for (const flow of FLOWS) baselines.push(await baseline(door, flow));
  const jobs = FLOWS.flatMap((flow, f) => baselines[f]!.writes.flatMap((step) => FAULT_KINDS.map((kind) => ({ flow, step, kind }))));
  const trials = await pool(jobs, concurrency, ({ flow, step, kind }) => trial(door, flow, step, kind));
  return { door, baselines, trials, elapsedMs: performance.now() - started };
}

function runChild(door: Door, concurrency: number): Promise<DoorResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ["--child", door, "--concurrency", String(concurrency)], { execArgv: ["--import", "tsx"] });
    let result: DoorResult | undefined;
    child.once("message", (message) => {
      result = message as DoorResult;
    });
    child.once("error", reject);
    child.once("exit", (code) => (result ? resolve(result) : reject(new Error(`the ${door} child exited with ${code} and no result`))));
  });
}

function print(results: DoorResult[]): void {
  for (const { door, baselines, trials, elapsedMs } of results) {
    console.log(`\n## Through the ${door} (${(elapsedMs / 1000).toFixed(1)} s)\n`);
    const dirty = baselines.filter((b) => b.rightAfter.length + b.afterEvent.length + b.afterSweep.length > 0);
    if (dirty.length > 0) console.log(`fault-free runs NOT consistent: ${dirty.map((b) => b.flow).join(", ")}\n`);
    console.log("| flow | fault | writes | trials | fault missed | inconsistent right after | after next event | after next sweep |");
    console.log("|---|---|---:|---:|---:|---:|---:|---:|");
    const totals = { trials: 0, missed: 0, rightAfter: 0, afterEvent: 0, afterSweep: 0 };
    for (const flow of FLOWS) {
      const writes = baselines.find((b) => b.flow === flow.name)!.writes.length;
      for (const kind of FAULT_KINDS) {
        const mine = trials.filter((t) => t.flow === flow.name && t.fault === kind.name);
        const hit = mine.filter((t) => !t.missed);
        const row = {
          trials: mine.length,
          missed: mine.length - hit.length,
          rightAfter: hit.filter((t) => t.rightAfter.length > 0).length,
          afterEvent: hit.filter((t) => t.afterEvent.length > 0).length,
          afterSweep: hit.filter((t) => t.afterSweep.length > 0).length,
        };
        for (const key of Object.keys(totals) as Array<keyof typeof totals>) totals[key] += row[key];
        console.log(`| ${flow.name} | ${kind.name} | ${writes} | ${row.trials} | ${row.missed} | ${row.rightAfter} | ${row.afterEvent} | ${row.afterSweep} |`);
      }
    }
    console.log(`| **all** | | | ${totals.trials} | ${totals.missed} | ${totals.rightAfter} | ${totals.afterEvent} | **${totals.afterSweep}** (goal 0) |`);

    const missed = trials.filter((t) => t.missed);
    if (missed.length > 0) {
      console.log("\nFault missed:");
      for (const t of missed) console.log(`- ${t.flow}, ${t.fault}, write ${t.step.index + 1} ${t.step.label}: ${t.missed}`);
    }
    // Trials of one write that end the same way are listed once, with their fault kinds.
    const remaining = new Map<string, { faults: string[]; trial: TrialResult }>();
    for (const t of trials.filter((candidate) => !candidate.missed && candidate.afterSweep.length > 0)) {
      const key = `${t.flow}\n${t.step.index}\n${t.afterSweep.join("\n")}`;
      const known = remaining.get(key);
      if (known) known.faults.push(t.fault);
      else remaining.set(key, { faults: [t.fault], trial: t });
    }
    if (remaining.size > 0) {
      console.log("\nStill inconsistent after the next sweep:");
      for (const { faults, trial: t } of remaining.values()) {
        console.log(`- ${t.flow}, write ${t.step.index + 1} of ${baselines.find((b) => b.flow === t.flow)!.writes.length} ${t.step.label} [${faults.join(", ")}]`);
        for (const reason of t.afterSweep) console.log(`    ${reason}`);
      }
    }
    const noted = trials.filter((t) => t.notes.length > 0);
    if (noted.length > 0) {
      console.log("\nErrors after the faults were cleared (next event, next sweep, sandbox violations):");
      for (const t of noted) console.log(`- ${t.flow}, ${t.fault}, write ${t.step.index + 1} ${t.step.label}: ${t.notes.join(" | ")}`);
    }
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const concurrency = Number(option("--concurrency") ?? 12);
  const only = option("--door");
  const doors = only ? DOORS.filter((door) => door === only) : DOORS;
  if (doors.length === 0) throw new Error(`--door is one of ${DOORS.join(", ")}`);
  const results = await Promise.all(doors.map((door) => runChild(door, concurrency)));
  print(results);
  console.log(`\nElapsed: ${((performance.now() - started) / 1000).toFixed(1)} s (${doors.join(" and ")} in parallel; up to ${concurrency} faulted runs at once through the Action, one at a time through the app)`);
}

const childDoor = option("--child");
if (childDoor) {
  runDoor(childDoor as Door, Number(option("--concurrency") ?? 12)).then(
    (result) => process.send!(result, undefined, {}, () => process.exit(0)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}

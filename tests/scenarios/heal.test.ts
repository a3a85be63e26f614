/**
 * Labels, card and lock come back in line after GitHub fails a write for good (issue 12, item 3).
 *
 * For each of four flows — a person opens an issue, `/assign`, `/status done`, one scheduled sweep
 * that releases a stale lease, retries a failed task and assigns a ready one — the flow runs once
 * without faults to learn its writes; then, for every write, a fresh world is built the same way
 * and the flow runs with GitHub answering 500 to that write and to every later request of the
 * same method and route (a failure that outlasts the retries). The faults are cleared, a person
 * comments, the clock passes the sweep interval and the sweep runs: afterwards every task must
 * have one card, labels that say what it says, a lock iff it names a holder, and be closed iff it
 * is done or cancelled (tests/support/consistency.ts). bench/consistency.ts measures the same with
 * rate-limit faults too, and counts the states right after and after the next event.
 */
import { describe, expect, it } from "vitest";
import { FAULT_KINDS, FLOWS, baseline, pool, trial } from "../support/flows.js";
import { DOORS } from "../support/harness.js";

const PERSISTING_500 = FAULT_KINDS.find((kind) => kind.name === "500")!;
// Everything overlaps, the Action's runs first: they retry every 500 (milliseconds apart in tests)
// and are the long pole. The app's runs take turns (flows.ts).
const ACTION_FIRST = [...DOORS].sort((a, b) => Number(b === "action") - Number(a === "action"));

describe.concurrent.each(ACTION_FIRST)("healing after a persisting 500 through the %s", (door) => {
  it.each(FLOWS.map((flow) => [flow.name, flow] as const))(
    "%s: after a 500 at any of its writes, the next sweep leaves labels, card and lock in line",
    async (_name, flow) => {
      const fine = await baseline(door, flow);
      expect(fine.writes.length).toBeGreaterThan(0);
      expect([...fine.rightAfter, ...fine.afterEvent, ...fine.afterSweep]).toEqual([]);

      const trials = await pool(fine.writes, 16, (step) => trial(door, flow, step, PERSISTING_500));
      const where = (index: number, label: string) => `500 from write ${index + 1} of ${fine.writes.length} (${label})`;
      expect(trials.filter((t) => t.missed).map((t) => `${where(t.step.index, t.step.label)}: fault missed: ${t.missed}`)).toEqual([]);
      const unhealed = trials
        .filter((t) => t.afterSweep.length > 0)
        .map((t) => `${where(t.step.index, t.step.label)}: ${t.afterSweep.join("; ")}`);
      expect(unhealed).toEqual([]);
    },
    240_000,
  );
});

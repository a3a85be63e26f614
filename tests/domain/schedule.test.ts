import { describe, expect, it } from "vitest";
import { scheduleGapMinutes } from "../../src/domain/schedule.js";
import { healWindowStart } from "../../src/handlers/heal.js";
import type { RunContext } from "../../src/runtime/context.js";

const FRIDAY = new Date("2026-12-04T12:00:00Z");

describe("the longest gap of an Actions schedule", () => {
  it.each([
    ["23,53 * * * *", 30],
    ["*/15 * * * *", 15],
    ["41 * * * *", 60],
    // Weekdays at nine: from Friday's run to Monday's.
    ["0 9 * * 1-5", 72 * 60],
  ])("%s waits at most %i minutes", (cron, minutes) => {
    expect(scheduleGapMinutes(cron, FRIDAY)).toBe(minutes);
  });

  it("is unknown for an expression GitHub would not run", () => {
    expect(scheduleGapMinutes("every day", FRIDAY)).toBeNull();
    expect(scheduleGapMinutes("61 * * * *", FRIDAY)).toBeNull();
  });
});

describe("how far back a sweep looks for issues whose making failed", () => {
  const ctx = (schedule?: string) =>
    ({ config: { sweep: { intervalMinutes: 15 } }, clock: { now: () => FRIDAY }, ...(schedule ? { schedule } : {}) }) as unknown as RunContext;
  const minutesBack = (start: string) => (FRIDAY.getTime() - Date.parse(start)) / 60_000;

  it("two of the schedule's longest gaps in an Actions sweep, so a late run misses nothing", () => {
    expect(minutesBack(healWindowStart(ctx("23,53 * * * *")))).toBe(60);
    expect(minutesBack(healWindowStart(ctx("0 9 * * 1-5")))).toBe(2 * 72 * 60);
  });

  it("two sweep intervals otherwise: the App's timer, a workflow_dispatch, or a cron it cannot read", () => {
    expect(minutesBack(healWindowStart(ctx()))).toBe(30);
    expect(minutesBack(healWindowStart(ctx("bogus")))).toBe(30);
    // A schedule more frequent than the interval does not shorten the window.
    expect(minutesBack(healWindowStart(ctx("*/5 * * * *")))).toBe(30);
  });
});

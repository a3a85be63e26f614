import { CronExpressionParser } from "cron-parser";

/** GitHub runs schedules at most every 5 minutes; a day of them is 288 runs. */
const MAX_RUNS_A_DAY = 288;
const WEEK_MS = 7 * 86_400_000;

/**
 * The longest wait between two runs of an Actions `schedule` (UTC, as GitHub runs it), in minutes:
 * a sweep started by it cannot know when the last one ran, so it looks back over this gap.
 * Null when the expression is not one GitHub would run. Looks over a week from `from`, so a
 * weekday-only schedule counts its weekend.
 */
export function scheduleGapMinutes(cron: string, from: Date): number | null {
  let runs;
  try {
    runs = CronExpressionParser.parse(cron, { currentDate: from, tz: "UTC" });
  } catch {
    return null;
  }
  let previous = runs.next().getTime();
  let longest = 0;
  for (let i = 0; i < 7 * MAX_RUNS_A_DAY && previous - from.getTime() < WEEK_MS; i++) {
    const next = runs.next().getTime();
    longest = Math.max(longest, next - previous);
    previous = next;
  }
  return longest > 0 ? Math.round(longest / 60_000) : null;
}

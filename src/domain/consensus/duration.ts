/** Durations as people write them in commands and config: `30m`, `48h`, `2d`, `1w`. */
import { err, ok } from "./types.js";
import type { ConsensusError, Result } from "./types.js";

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const DURATION_RE = /^(\d{1,4})(m|h|d|w)$/;
/** Longest deadline a vote may have. */
export const MAX_DEADLINE_MS = 90 * UNIT_MS.d;

export function parseDuration(text: string): Result<number, ConsensusError<"bad-duration">> {
  const match = DURATION_RE.exec(text.trim().toLowerCase());
  const amount = Number(match?.[1]);
  const unit = match?.[2] as keyof typeof UNIT_MS | undefined;
  if (!unit || amount <= 0) {
    return err({
      code: "bad-duration",
      message: `“${text}” is not a duration; write a positive number and a unit: 30m, 48h, 2d or 1w.`,
    });
  }
  const ms = amount * UNIT_MS[unit];
  if (ms > MAX_DEADLINE_MS) {
    return err({ code: "bad-duration", message: `“${text}” is longer than the longest allowed, 90d.` });
  }
  return ok(ms);
}


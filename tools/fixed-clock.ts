import type { Clock } from "../src/domain/clock.js";

/** A clock that stands still until told to move: tests, benches and the demo control time with it. */
export function fixedClock(iso: string): Clock & { advance(ms: number): void; set(iso: string): void } {
  let current = new Date(iso).getTime();
  return {
    now: () => new Date(current),
    advance(ms) {
      current += ms;
    },
    set(next) {
      current = new Date(next).getTime();
    },
  };
}

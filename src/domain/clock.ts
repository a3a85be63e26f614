/** Time is injected so that the domain stays pure and tests control it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

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

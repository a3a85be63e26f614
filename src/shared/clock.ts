import type { Clock } from "../domain/clock.js";

/** The real clock, for the doors and the ports; the domain only ever sees an injected `Clock`. */
export const systemClock: Clock = { now: () => new Date() };

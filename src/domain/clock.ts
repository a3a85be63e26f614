/** Time is injected so that the domain stays pure and tests control it. */
export interface Clock {
  now(): Date;
}

import type { Clock } from "../../src/domain/clock.js";
import type { Actor } from "./auth.js";
import { ApiError, RATE_LIMIT_DOCUMENTATION_URL } from "./http.js";
import type { Store } from "./store.js";

export interface RateLimitState {
  limit: number;
  remaining: number;
  used: number;
  /** Epoch seconds when the window resets. */
  reset: number;
  resource: "core";
}

interface Bucket {
  used: number;
  resetAt: number;
}

const WINDOW_SECONDS = 3600;
/** What GitHub allows a client without credentials; only reported, since the sandbox answers 401. */
const ANONYMOUS_LIMIT = 60;

/**
 * A primary rate limit per actor and hour. Installation tokens share their installation's bucket,
 * as on GitHub (a fresh token does not reset the count).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly clock: Clock,
    private readonly limit: number,
    private readonly store: Store,
  ) {}

  /** Counts one request; returns the state to report and, when exhausted, the 403 to answer. */
  consume(actor: Actor): { state: RateLimitState; error?: ApiError } {
    const bucket = this.bucket(actor);
    if (bucket.used >= this.limit) {
      return { state: this.stateOf(bucket), error: this.exceeded(actor) };
    }
    bucket.used += 1;
    return { state: this.stateOf(bucket) };
  }

  peek(actor: Actor | undefined): RateLimitState {
    if (!actor) {
      const reset = this.nowSeconds() + WINDOW_SECONDS;
      return { limit: ANONYMOUS_LIMIT, remaining: ANONYMOUS_LIMIT, used: 0, reset, resource: "core" };
    }
    return this.stateOf(this.bucket(actor));
  }

  private bucket(actor: Actor): Bucket {
    const key = actor.kind === "person" ? `user:${actor.login.toLowerCase()}` : actor.kind;
    const now = this.nowSeconds();
    let bucket = this.buckets.get(key);
    if (!bucket || now >= bucket.resetAt) {
      bucket = { used: 0, resetAt: now + WINDOW_SECONDS };
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  private stateOf(bucket: Bucket): RateLimitState {
    return {
      limit: this.limit,
      remaining: Math.max(0, this.limit - bucket.used),
      used: bucket.used,
      reset: bucket.resetAt,
      resource: "core",
    };
  }

  /** GitHub's 403 for an exhausted primary rate limit of this actor. */
  exceeded(actor: Actor): ApiError {
    const subject =
      actor.kind === "installation"
        ? `installation ID ${this.store.app.installationId}`
        : actor.kind === "actions"
          ? `installation ID ${this.store.actionsApp.installationId}`
          : `user ID ${this.store.user(actor.login).id}`;
    return new ApiError(403, `API rate limit exceeded for ${subject}.`, undefined, RATE_LIMIT_DOCUMENTATION_URL);
  }

  private nowSeconds(): number {
    return Math.floor(this.clock.now().getTime() / 1000);
  }
}

import { bulkhead, type BulkheadPolicy } from "cockatiel";

/**
 * Timer-free stand-ins for the two limiters of @octokit/plugin-throttling that *every* request
 * passes through: its per-client `retryLimiter` and its per-process `global` group. Each
 * Bottleneck job costs ~4–5 ms of chained timers, so those two added ~12 ms of idle to every GET
 * (issue 13). Both are handed in through the `throttle` options, which the plugin Object.assigns
 * into its state and keeps over its own. The plugin's `write` (1 s), `notifications` (3 s),
 * `search` and `auth` groups stay Bottleneck's: that pacing is what GitHub asks of clients.
 */

/** What Bottleneck tells a "failed" listener (plugin-throttling reads `args`). */
interface FailedJob {
  args: unknown[];
  retryCount: number;
}

/** A "failed" listener answers how many ms to wait before running the job again, or nothing to give up. */
type FailedListener = (error: unknown, job: FailedJob) => unknown;

/**
 * plugin-throttling's `retryLimiter`: it runs each request through `schedule` and, on a 403/429
 * rate limit, its "failed" listener (which asks onRateLimit / onSecondaryRateLimit) returns the
 * wait. One per client, like the plugin's own `new Bottleneck()`: the plugin adds a listener per
 * client, so a shared one would ask every client's handlers about every failure.
 */
export class RetryLimiter {
  readonly #failed: FailedListener[] = [];

  on(event: string, listener: FailedListener): void {
    // The plugin only listens for "failed"; "retry", "done" and the like have no one to tell.
    if (event === "failed") this.#failed.push(listener);
  }

  async schedule<A extends unknown[], R>(task: (...args: A) => R | PromiseLike<R>, ...args: A): Promise<R> {
    for (let retryCount = 0; ; retryCount++) {
      try {
        return await task(...args);
      } catch (error) {
        const wait = await this.#retryAfter(error, { args, retryCount });
        if (wait === undefined) throw error;
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  /** Bottleneck's reading: the first listener with an answer wins; one that throws has none. */
  async #retryAfter(error: unknown, job: FailedJob): Promise<number | undefined> {
    const answers = await Promise.all(this.#failed.map(async (listener) => listener(error, job)).map((p) => p.catch(() => undefined)));
    const wait = answers.find((answer) => answer != null);
    return wait === undefined ? undefined : Math.max(Math.trunc(Number(wait)) || 0, 0);
  }
}

/** The job options the plugin passes to a group's `schedule`; `weight: 0` marks a retry. */
interface JobOptions {
  priority?: number;
  weight?: number;
  expiration?: number;
}

interface KeyedLimiter {
  schedule<A extends unknown[], R>(options: JobOptions, task: (...args: A) => R | PromiseLike<R>, ...args: A): Promise<R>;
}

/** plugin-throttling's `global` group: a limiter per `throttle.id`. */
interface ConcurrencyGroup {
  key(id: string): KeyedLimiter;
}

/** At most `limit` requests in flight per id; the rest wait in line (cockatiel's bulkhead, unbounded queue). */
export function concurrencyGroup(limit: number): ConcurrencyGroup {
  const limiters = new Map<string, KeyedLimiter>();
  const limiter = (policy: BulkheadPolicy): KeyedLimiter => ({
    // A retry (weight 0) takes no slot, as in Bottleneck: it already waited its turn once.
    schedule: async (options, task, ...args) => (options.weight === 0 ? task(...args) : policy.execute(() => task(...args))),
  });
  return {
    key(id) {
      let found = limiters.get(id);
      if (!found) limiters.set(id, (found = limiter(bulkhead(limit, Infinity))));
      return found;
    },
  };
}

/** One group per process, as the plugin's own `octokit-global` (maxConcurrent 10), shared by every client. */
const globalGroup = concurrencyGroup(10);

/** The `throttle` options that replace the plugin's retry limiter and global group (a new retry limiter per client). */
export function requestLimiters(): { retryLimiter: RetryLimiter; global: ConcurrencyGroup } {
  return { retryLimiter: new RetryLimiter(), global: globalGroup };
}

import { ProbotOctokit } from "probot";
import { requestLimiters } from "../github/limits.js";
import { rateLimitRetry } from "../github/rate-limits.js";
import type { Logger } from "../shared/logger.js";

const consoleLog: Logger = {
  debug: () => {},
  info: () => {},
  warn: (message) => console.warn(message),
  error: (message) => console.error(message),
};

/**
 * Probot's Octokit with Orkestra's rate-limit policy (Probot's default gives up on a secondary
 * rate limit) and src/github/limits.ts's limiters. Only the function form of `defaults` survives
 * Probot's own throttle options.
 */
export function orkestraProbotOctokit(options: { throttle?: boolean; log?: Logger } = {}): typeof ProbotOctokit {
  const log = options.log ?? consoleLog;
  return ProbotOctokit.defaults((octokit: { throttle?: { connection?: unknown } }) => {
    // Timer-free limiters, a retry limiter per client (this runs once per client). With Probot's
    // Redis `connection` the plugin's groups are cluster-wide: keep its global group then.
    const { retryLimiter, global } = requestLimiters();
    return {
      ...octokit,
      throttle: {
        ...octokit.throttle,
        enabled: options.throttle ?? true,
        onRateLimit: rateLimitRetry("rate limit", log),
        onSecondaryRateLimit: rateLimitRetry("secondary rate limit", log),
        retryLimiter,
        ...(octokit.throttle?.connection == null ? { global } : {}),
      },
    };
  });
}

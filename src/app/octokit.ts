import { ProbotOctokit } from "probot";
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
 * rate limit). Only the function form of `defaults` survives Probot's own throttle options.
 */
export function orkestraProbotOctokit(options: { throttle?: boolean; log?: Logger } = {}): typeof ProbotOctokit {
  const log = options.log ?? consoleLog;
  return ProbotOctokit.defaults((octokit: { throttle?: object }) => ({
    ...octokit,
    throttle: {
      ...octokit.throttle,
      enabled: options.throttle ?? true,
      onRateLimit: rateLimitRetry("rate limit", log),
      onSecondaryRateLimit: rateLimitRetry("secondary rate limit", log),
    },
  }));
}

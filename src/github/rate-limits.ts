import type { Logger } from "../shared/logger.js";

/**
 * What Orkestra does when GitHub says "slow down" (a primary or secondary rate limit with
 * `retry-after`): wait and retry twice when the wait is at most a minute, else give up and
 * report. Both doors hand this to @octokit/plugin-throttling.
 */
export function rateLimitRetry(what: string, log: Logger) {
  return (retryAfter: number, options: { method?: string; url?: string }, _octokit: unknown, retryCount: number): boolean => {
    const retry = retryCount < 2 && retryAfter <= 60;
    log.warn(`${what} on ${options.method ?? ""} ${options.url ?? ""}; ${retry ? `retry ${retryCount + 1} in ${retryAfter}s` : "giving up"}`);
    return retry;
  };
}

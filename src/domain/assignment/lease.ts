/** Leases and retries: when a held task is stale, and when a failed one may be tried again. */

const MINUTE = 60_000;

/** A lease runs from the last activity on the task (or its pull request). */
export function leaseExpiry(lastActivity: string, leaseMinutes: number): Date {
  return new Date(new Date(lastActivity).getTime() + leaseMinutes * MINUTE);
}

export function isLeaseExpired(lastActivity: string, leaseMinutes: number, now: Date): boolean {
  return leaseExpiry(lastActivity, leaseMinutes).getTime() <= now.getTime();
}

interface BackoffPolicy {
  backoffMinutes: number;
  maxBackoffMinutes: number;
}

/** Exponential backoff: the n-th retry (n ≥ 1) waits base × 2^(n−1) minutes, capped. */
export function retryDelayMinutes(retry: number, policy: BackoffPolicy): number {
  const exponent = Math.max(0, retry - 1);
  return Math.min(policy.backoffMinutes * 2 ** Math.min(exponent, 30), policy.maxBackoffMinutes);
}

export function nextAttemptAt(now: Date, retry: number, policy: BackoffPolicy): string {
  return new Date(now.getTime() + retryDelayMinutes(retry, policy) * MINUTE).toISOString();
}

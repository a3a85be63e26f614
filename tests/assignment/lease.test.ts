import { describe, expect, it } from "vitest";
import { isLeaseExpired, nextAttemptAt, retryDelayMinutes } from "../../src/domain/assignment/lease.js";

const policy = { backoffMinutes: 15, maxBackoffMinutes: 120 };

describe("leases and backoff", () => {
  it("a lease runs out leaseMinutes after the last activity", () => {
    expect(isLeaseExpired("2026-11-21T10:00:00Z", 60, new Date("2026-11-21T10:59:59Z"))).toBe(false);
    expect(isLeaseExpired("2026-11-21T10:00:00Z", 60, new Date("2026-11-21T11:00:00Z"))).toBe(true);
  });

  it("doubles the wait with each retry, up to the cap", () => {
    expect([1, 2, 3, 4, 5].map((retry) => retryDelayMinutes(retry, policy))).toEqual([15, 30, 60, 120, 120]);
    expect(retryDelayMinutes(1_000, policy)).toBe(120);
    expect(nextAttemptAt(new Date("2026-11-21T10:00:00Z"), 2, policy)).toBe("2026-11-21T10:30:00.000Z");
  });
});

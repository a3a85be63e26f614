import { describe, expect, it } from "vitest";
import { STATUSES } from "../../src/domain/task/model.js";
import { allowedFrom, checkTransition, settleStatus } from "../../src/domain/task/state-machine.js";

const free = { openDeps: [], agent: null };

describe("checkTransition", () => {
  it("allows what the table allows and explains what it forbids", () => {
    expect(checkTransition("pending", "blocked", free)).toEqual({ ok: true });
    const refused = checkTransition("pending", "review", free);
    expect(refused).toMatchObject({ ok: false });
    expect(!refused.ok && refused.reason).toContain("from `pending` it can go to");
  });

  it("keeps done and cancelled final until the issue is reopened", () => {
    for (const to of STATUSES.filter((s) => s !== "done")) {
      const check = checkTransition("done", to, free);
      expect(!check.ok && check.reason).toMatch(/final: reopen the issue/);
    }
  });

  it("forbids active statuses while dependencies are open, naming them", () => {
    const check = checkTransition("blocked", "pending", { openDeps: [12, 14], agent: null });
    expect(check).toEqual({ ok: false, reason: "#12 and #14 are still open" });
  });

  it("requires an agent for held statuses", () => {
    expect(checkTransition("pending", "assigned", free).ok).toBe(false);
    expect(checkTransition("pending", "in-progress", { openDeps: [], agent: "claude" }).ok).toBe(true);
  });

  it("asking for the current status is a no-op, not an error", () => {
    for (const status of STATUSES) expect(checkTransition(status, status, free).ok).toBe(true);
  });

  it("every status but the terminal ones can be cancelled", () => {
    for (const status of STATUSES) {
      expect(allowedFrom(status).includes("cancelled")).toBe(status !== "done" && status !== "cancelled");
    }
  });
});

describe("settleStatus", () => {
  const base = { current: "pending" as const, issueState: "open" as const, stateReason: null, openDeps: [], heldByPerson: false };

  it("maps closing reasons to done and cancelled", () => {
    expect(settleStatus({ ...base, issueState: "closed", stateReason: "completed" })).toBe("done");
    expect(settleStatus({ ...base, issueState: "closed", stateReason: "not_planned" })).toBe("cancelled");
    expect(settleStatus({ ...base, issueState: "closed", stateReason: "duplicate" })).toBe("cancelled");
  });

  it("reopening gives pending, or blocked with open dependencies", () => {
    expect(settleStatus({ ...base, current: "done" })).toBe("pending");
    expect(settleStatus({ ...base, current: "cancelled", openDeps: [3] })).toBe("blocked");
  });

  it("open dependencies block, and their closing unblocks unless a person blocked it", () => {
    expect(settleStatus({ ...base, current: "in-progress", openDeps: [3] })).toBe("blocked");
    expect(settleStatus({ ...base, current: "blocked" })).toBe("pending");
    expect(settleStatus({ ...base, current: "blocked", heldByPerson: true })).toBe("blocked");
  });

  it("a new task starts pending or blocked", () => {
    expect(settleStatus({ ...base, current: null })).toBe("pending");
    expect(settleStatus({ ...base, current: null, openDeps: [1] })).toBe("blocked");
  });
});

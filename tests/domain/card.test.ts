import { describe, expect, it } from "vitest";
import { HISTORY_LIMIT, parseCard, renderCard, withDecision, type TaskMeta } from "../../src/domain/task/card.js";

const meta: TaskMeta = {
  v: 1,
  issue: 7,
  status: "blocked",
  priority: "high",
  type: "research",
  deps: [
    { number: 3, state: "open" },
    { number: 4, state: "closed" },
  ],
  extraDeps: [4],
  mirrored: [{ number: 3, id: 1003 }],
  heldByPerson: false,
  seenAt: "2026-11-21T10:00:00Z",
  agent: null,
  retry: { count: 0, nextAttemptAt: null, avoid: [], escalated: false },
  execution: null,
  epic: false,
  autonomy: null,
  paused: null,
  history: [{ at: "2026-11-21T10:00:00.000Z", by: "alice", what: "task created as `blocked`", why: "waiting for #3 | -->" }],
};

describe("task card", () => {
  it("prints what people need and round-trips its metadata", () => {
    const body = renderCard(meta);
    expect(body).toContain("| ⛔ `blocked` | `high` | `research` | — |");
    expect(body).toContain("#3 (open) · #4 (closed ✓)");
    expect(body).toContain("@\u200balice");
    expect(parseCard(body)).toEqual(meta);
  });

  it("shows the agent holding the task with its lease and reason", () => {
    const held = { ...meta, status: "assigned" as const, agent: { name: "claude", since: "2026-11-21T10:00:00Z", leaseUntil: "2026-11-21T12:00:00Z", why: "claude 82: specialty research +30" } };
    const body = renderCard(held);
    expect(body).toContain("`claude` since 2026-11-21 10:00 UTC, lease until 2026-11-21 12:00 UTC (renewed by activity)");
    expect(body).toContain("**Why claude:** claude 82: specialty research +30");
    expect(parseCard(body)).toEqual(held);
  });

  it("shows retries and reads cards written before retries existed", () => {
    const retried = { ...meta, retry: { count: 2, nextAttemptAt: "2026-11-21T13:00:00Z", avoid: ["claude"], escalated: false } };
    expect(renderCard(retried)).toContain("**Retries:** 2 failed attempts · next attempt after 2026-11-21 13:00 UTC · preferring agents other than `claude`");
    const { retry: _retry, ...older } = meta;
    expect(parseCard(`<!-- orkestra:task ${JSON.stringify(older)} -->`)?.retry).toEqual(meta.retry);
  });

  it("rejects cards whose metadata does not validate", () => {
    expect(parseCard('<!-- orkestra:task {"v":2} -->')).toBeNull();
    expect(parseCard('<!-- orkestra:vote {"v":1} -->')).toBeNull();
    expect(parseCard(null)).toBeNull();
  });

  it("keeps only the most recent decisions", () => {
    let current = meta;
    for (let i = 0; i < HISTORY_LIMIT + 5; i++) current = withDecision(current, { at: `t${i}`, by: "orkestra", what: `step ${i}`, why: "test" });
    expect(current.history).toHaveLength(HISTORY_LIMIT);
    expect(current.history.at(-1)?.what).toBe(`step ${HISTORY_LIMIT + 4}`);
  });
});

import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/schema.js";
import { LabelScheme } from "../../src/domain/task/labels.js";
import { lastFailure, reconcileTask, type ReconcileInput } from "../../src/domain/task/reconcile.js";

const config = defaultConfig();
const scheme = new LabelScheme(config.labels, config.tasks.types);
const now = new Date("2026-11-21T12:00:00Z");

function input(overrides: Partial<ReconcileInput> = {}): ReconcileInput {
  return {
    issue: { number: 5, state: "open", stateReason: null, body: "", labels: [], updatedAt: "2026-11-21T11:00:00Z" },
    card: null,
    deps: [],
    extraDeps: [],
    mirrored: [],
    actor: "alice",
    defaults: config.tasks,
    scheme,
    now,
    ...overrides,
  };
}

const names = (specs: { name: string }[]) => specs.map((spec) => spec.name);

describe("reconcileTask", () => {
  it("a new issue gets the task, status, priority and type labels and a first decision", () => {
    const out = reconcileTask(input());
    expect(names(out.labels.add)).toEqual(["orkestra:task", "status:pending", "priority:medium", "type:technical"]);
    expect(out.labels.remove).toEqual([]);
    expect(out.meta.history).toEqual([{ at: now.toISOString(), by: "alice", what: "task created as `pending`", why: "no open dependencies" }]);
  });

  it("reads priority and type from the task form", () => {
    const body = "### Description\n\nx\n\n### Type\n\nresearch\n\n### Priority\n\nCritical\n";
    const out = reconcileTask(input({ issue: { ...input().issue, body } }));
    expect(out.meta.priority).toBe("critical");
    expect(out.meta.type).toBe("research");
  });

  it("is a fixed point: feeding its output back changes nothing", () => {
    const first = reconcileTask(input({ deps: [{ number: 2, state: "open" }] }));
    const labels = names(first.labels.add);
    const second = reconcileTask(input({ card: first.meta, deps: [{ number: 2, state: "open" }], issue: { ...input().issue, labels } }));
    expect(second.labels).toEqual({ add: [], remove: [] });
    expect(second.meta).toEqual(first.meta);
    expect(second.notices).toEqual([]);
  });

  it("unblocks when the last dependency closes, with a notice saying why", () => {
    const blocked = reconcileTask(input({ deps: [{ number: 2, state: "open" }] }));
    const labels = names(blocked.labels.add);
    const out = reconcileTask(input({ card: blocked.meta, deps: [{ number: 2, state: "closed" }], issue: { ...input().issue, labels } }));
    expect(out.meta.status).toBe("pending");
    expect(out.labels.remove).toEqual(["status:blocked"]);
    expect(out.notices).toEqual(["▶️ #2 closed: this task is `pending` again."]);
    expect(out.meta.history.at(-1)).toMatchObject({ by: "orkestra", what: "status `blocked` → `pending`" });
  });

  it("an epic is blocked while planned and while a sub-issue is open, done when the last closes, a task again when its plan is dropped", () => {
    const planning = reconcileTask(input({ request: { epic: true, how: "/plan by @trish" } }));
    expect(planning.meta).toMatchObject({ epic: true, status: "blocked", heldByPerson: false });
    const labels = names(planning.labels.add);
    const waiting = reconcileTask(input({ card: planning.meta, deps: [{ number: 6, state: "open" }, { number: 7, state: "closed" }], issue: { ...input().issue, labels } }));
    expect(waiting.meta.status).toBe("blocked");
    const done = reconcileTask(input({ card: waiting.meta, deps: [{ number: 6, state: "closed" }, { number: 7, state: "closed" }], issue: { ...input().issue, labels } }));
    expect(done.meta.status).toBe("done");
    expect(done.notices).toEqual([]);
    const dropped = reconcileTask(input({ card: planning.meta, request: { epic: false, how: "/plan reject by @alice" }, issue: { ...input().issue, labels } }));
    expect(dropped.meta).toMatchObject({ epic: false, status: "pending" });
  });

  it("a person's request wins and is recorded with how it was made", () => {
    const created = reconcileTask(input());
    const out = reconcileTask(
      input({ card: created.meta, issue: { ...input().issue, labels: names(created.labels.add) }, request: { priority: "high", how: "`/priority high`" } }),
    );
    expect(names(out.labels.add)).toEqual(["priority:high"]);
    expect(out.labels.remove).toEqual(["priority:medium"]);
    expect(out.meta.history.at(-1)).toMatchObject({ by: "alice", what: "priority `medium` → `high`", why: "`/priority high`" });
  });

  it("keeps one label per dimension: a priority a person added wins, a status waits for the state machine", () => {
    const created = reconcileTask(input());
    const labels = [...names(created.labels.add), "status:review", "Priority:High"];
    const out = reconcileTask(input({ card: created.meta, issue: { ...input().issue, labels } }));
    expect(out.meta.status).toBe("pending");
    expect(out.meta.priority).toBe("high");
    expect(out.labels.remove).toEqual(["priority:medium", "status:review"]);
  });

  it("closing as not planned cancels the task", () => {
    const created = reconcileTask(input());
    const out = reconcileTask(input({ card: created.meta, issue: { ...input().issue, state: "closed", stateReason: "not_planned", labels: names(created.labels.add) } }));
    expect(out.meta.status).toBe("cancelled");
    expect(out.meta.history.at(-1)?.why).toBe("issue closed as not planned");
  });

  it("lastFailure gives the reason the card records for the task's last move to `failed`, and who made it", () => {
    const created = reconcileTask(input());
    expect(lastFailure(created.meta)).toBeNull();
    const failed = reconcileTask(input({ card: created.meta, request: { status: "failed", how: "`/status failed`" } }));
    expect(lastFailure(failed.meta)).toBe("`/status failed` by @alice");
    const labelled = reconcileTask(input({ card: created.meta, actor: "mona", request: { status: "failed", how: "label `status:failed` set by @mona" } }));
    expect(lastFailure(labelled.meta)).toBe("label `status:failed` set by @mona");
    const byOrkestra = reconcileTask(input({ card: created.meta, actor: "orkestra", request: { status: "failed", how: "rounds used up" } }));
    expect(lastFailure(byOrkestra.meta)).toBe("rounds used up");
  });
});

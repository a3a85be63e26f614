/**
 * GitHub switches off a public repository's scheduled workflows after 60 days without activity;
 * the dashboard warns from day 45 while a push can still keep the sweep running.
 */
import { afterEach, describe, expect, it } from "vitest";
import { scheduleLapse } from "../../src/domain/dashboard/schedule-lapse.js";
import { repositoryShape } from "../../tools/sandbox/shapes/repo.js";
import { dashboards } from "../support/dashboard.js";
import { startHarness, type Harness } from "../support/harness.js";

const NOW = new Date("2026-12-04T09:00:00Z");
const daysBefore = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();
const WARNING = /The sweep's schedule stops around (\d{4}-\d{2}-\d{2})\.\*\* GitHub switches off scheduled workflows in public repositories after 60 days without activity, and the last push here was on (\d{4}-\d{2}-\d{2})/;

describe("scheduleLapse", () => {
  const publicScheduled = { private: false, scheduled: true };

  it("warns from 45 days without a push, naming the last push and the day GitHub switches the schedule off", () => {
    expect(scheduleLapse(NOW, { ...publicScheduled, pushedAt: daysBefore(44.9) })).toBeNull();
    expect(scheduleLapse(NOW, { ...publicScheduled, pushedAt: "2026-10-20T08:00:00Z" })).toEqual({ lastPush: "2026-10-20", switchOff: "2026-12-19" });
  });

  it("says nothing for a private repository, the App's timer, or a payload without pushed_at", () => {
    const old = daysBefore(59);
    expect(scheduleLapse(NOW, { private: true, scheduled: true, pushedAt: old })).toBeNull();
    expect(scheduleLapse(NOW, { private: false, scheduled: false, pushedAt: old })).toBeNull();
    expect(scheduleLapse(NOW, { ...publicScheduled, pushedAt: null })).toBeNull();
    expect(scheduleLapse(NOW, { ...publicScheduled, pushedAt: "not a time" })).toBeNull();
  });
});

describe("the dashboard of a public repository swept by the Action's schedule", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  /** A scheduled run as GitHub sends it: the cron, the workflow and the repository with its last push. */
  async function scheduledSweep(options: { private: boolean; pushedDaysAgo: number }) {
    h = await startHarness("action", { private: options.private });
    h.sandbox.as("alice").openIssue({ title: "A task", body: "" });
    await h.settle();
    const now = h.clock.now().getTime();
    const repository = { ...repositoryShape(h.sandbox.internals.shapes), pushed_at: new Date(now - options.pushedDaysAgo * 86_400_000).toISOString() };
    await h.deliver("schedule", { schedule: "23,53 * * * *", workflow: ".github/workflows/orkestra.yml", repository });
    const [dashboard] = dashboards(h);
    return dashboard?.body ?? "";
  }

  it("warns 50 days after the last push, with the dates", async () => {
    const body = await scheduledSweep({ private: false, pushedDaysAgo: 50 });
    const [, switchOff, lastPush] = WARNING.exec(body) ?? [];
    expect(Date.parse(switchOff!) - Date.parse(lastPush!)).toBe(60 * 86_400_000);
  });

  it("does not warn 10 days after it, nor in a private repository (GitHub keeps private schedules on)", async () => {
    expect(await scheduledSweep({ private: false, pushedDaysAgo: 10 })).not.toMatch(WARNING);
    await h.close();
    const body = await scheduledSweep({ private: true, pushedDaysAgo: 50 });
    expect(body).toContain("Orkestra");
    expect(body).not.toMatch(WARNING);
  });
});

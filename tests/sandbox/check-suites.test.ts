import { describe, expect, it } from "vitest";
import { failure, octokitFor, repoOf, sandboxFor } from "./helpers.js";
import { webhookSchemaErrors } from "./webhook-schemas.js";

async function withPull() {
  const { sandbox } = await sandboxFor({ collaborators: { maya: "write" }, files: { "a.txt": "a\n" } });
  const pull = sandbox.as("maya").openPullRequest({ title: "Change a", head: "change-a", files: [{ path: "a.txt", after: "b\n" }] });
  return { sandbox, pull, repo: repoOf(sandbox), app: octokitFor(sandbox, sandbox.tokens.installation) };
}

describe("check suites", () => {
  it("lists a commit's suites: one per app for its check runs, and those added by a test", async () => {
    const { sandbox, pull, repo, app } = await withPull();
    const { data: run } = await app.rest.checks.create({ ...repo, name: "orkestra/review", head_sha: pull.head.sha, status: "in_progress" });
    await app.rest.checks.create({ ...repo, name: "orkestra/vote", head_sha: pull.head.sha });
    sandbox.addCheckSuite({ ref: "change-a", conclusion: "failure" });
    const { data } = await app.rest.checks.listSuitesForRef({ ...repo, ref: "change-a" });
    expect(data.total_count).toBe(2);
    expect(data.check_suites.map((s) => [s.app?.slug, s.status, s.conclusion, s.latest_check_runs_count, s.head_branch])).toEqual([
      ["orkestra", "in_progress", null, 2, "change-a"],
      ["github-actions", "completed", "failure", 0, "change-a"],
    ]);
    expect(data.check_suites[0]?.id).toBe(run.check_suite?.id);
    expect(data.check_suites[0]?.pull_requests?.map((p) => p.number)).toEqual([pull.number]);
  });

  it("follows its check runs: completed with the worst conclusion once all are", async () => {
    const { pull, repo, app } = await withPull();
    const { data: a } = await app.rest.checks.create({ ...repo, name: "a", head_sha: pull.head.sha, status: "in_progress" });
    await app.rest.checks.create({ ...repo, name: "b", head_sha: pull.head.sha, conclusion: "success" });
    await app.rest.checks.update({ ...repo, check_run_id: a.id, conclusion: "neutral" });
    const { data } = await app.rest.checks.listSuitesForRef({ ...repo, ref: pull.head.sha });
    expect(data.check_suites.map((s) => [s.status, s.conclusion])).toEqual([["completed", "neutral"]]);
  });

  it("filters by app_id and by the name of a check run", async () => {
    const { sandbox, pull, repo, app } = await withPull();
    await app.rest.checks.create({ ...repo, name: "orkestra/review", head_sha: pull.head.sha });
    sandbox.addCheckSuite({ ref: pull.head.sha, conclusion: "success" });
    const byApp = await app.rest.checks.listSuitesForRef({ ...repo, ref: pull.head.sha, app_id: 15368 });
    expect(byApp.data.check_suites.map((s) => s.app?.slug)).toEqual(["github-actions"]);
    const byName = await app.rest.checks.listSuitesForRef({ ...repo, ref: pull.head.sha, check_name: "orkestra/review" });
    expect(byName.data.check_suites.map((s) => s.app?.slug)).toEqual(["orkestra"]);
  });

  it("announces check_suite.completed for a suite added with a conclusion", async () => {
    const { sandbox, pull } = await withPull();
    sandbox.addCheckSuite({ ref: pull.head.sha, conclusion: "success" });
    sandbox.addCheckSuite({ ref: pull.head.sha });
    await sandbox.settled();
    const events = sandbox.deliveries.filter((e) => e.name === "check_suite");
    expect(events.map((e) => [e.payload.action, (e.payload.check_suite as { conclusion: string }).conclusion])).toEqual([["completed", "success"]]);
    expect(webhookSchemaErrors("check_suite", events[0]!.payload)).toEqual([]);
  });

  it("answers 422 for a ref that names no commit", async () => {
    const { repo, app } = await withPull();
    const refused = await failure(app.rest.checks.listSuitesForRef({ ...repo, ref: "nope" }));
    expect(refused).toMatchObject({ status: 422, body: { message: "No commit found for SHA: nope" } });
  });
});

import { describe, expect, it } from "vitest";
import { failure, octokitFor, repoOf, sandboxFor } from "./helpers.js";
import { webhookSchemaErrors } from "./webhook-schemas.js";

async function withPull() {
  const { sandbox } = await sandboxFor({ collaborators: { maya: "write" }, files: { "a.txt": "a\n" } });
  const pull = sandbox.as("maya").openPullRequest({ title: "Change a", head: "change-a", files: [{ path: "a.txt", after: "b\n" }] });
  return { sandbox, pull };
}

const annotation = (i: number) => ({ path: "a.txt", start_line: 1, end_line: 1, annotation_level: "warning" as const, message: `note ${i}` });

describe("check runs", () => {
  it("creates, completes and lists runs of a commit, announcing check_run created and completed", async () => {
    const { sandbox, pull } = await withPull();
    const app = octokitFor(sandbox, sandbox.tokens.installation);
    const repo = repoOf(sandbox);
    const { data: run, status } = await app.rest.checks.create({
      ...repo,
      name: "orkestra/review",
      head_sha: pull.head.sha,
      status: "in_progress",
      output: { title: "Reviewing", summary: "3 agents", annotations: [annotation(1)] },
    });
    expect(status).toBe(201);
    expect(run).toMatchObject({ status: "in_progress", conclusion: null, app: { slug: "orkestra" }, output: { annotations_count: 1 } });
    expect(run.pull_requests.map((p) => p.number)).toEqual([pull.number]);
    const { data: done } = await app.rest.checks.update({ ...repo, check_run_id: run.id, conclusion: "success", output: { title: "Approved", summary: "2 of 3", annotations: [annotation(2)] } });
    expect(done).toMatchObject({ status: "completed", conclusion: "success", completed_at: "2030-01-01T00:00:00Z", output: { title: "Approved", annotations_count: 2 } });
    await app.rest.checks.create({ ...repo, name: "orkestra/review", head_sha: pull.head.sha, conclusion: "failure" });
    await app.rest.checks.create({ ...repo, name: "orkestra/vote", head_sha: pull.head.sha });

    const byBranch = await app.rest.checks.listForRef({ ...repo, ref: "change-a" });
    expect(byBranch.data.total_count).toBe(2);
    expect(byBranch.data.check_runs.map((r) => `${r.name}:${r.conclusion ?? r.status}`)).toEqual(["orkestra/vote:queued", "orkestra/review:failure"]);
    const all = await app.rest.checks.listForRef({ ...repo, ref: pull.head.sha, filter: "all", check_name: "orkestra/review" });
    expect(all.data.check_runs.map((r) => r.conclusion)).toEqual(["failure", "success"]);
    expect((await app.rest.checks.listForRef({ ...repo, ref: "main" })).data.total_count).toBe(0);

    await sandbox.settled();
    const checkEvents = sandbox.deliveries.filter((e) => e.name === "check_run");
    expect(checkEvents.map((e) => String(e.payload.action))).toEqual(["created", "completed", "created", "completed", "created"]);
    for (const event of checkEvents) expect(webhookSchemaErrors(event.name, event.payload)).toEqual([]);
    expect(checkEvents[1]?.payload).toMatchObject({ check_run: { id: run.id, conclusion: "success", check_suite: { head_sha: pull.head.sha, head_branch: "change-a" } } });
    expect(sandbox.state.checkRuns("change-a")).toHaveLength(3);
  });

  it("follows GitHub's rules: apps only, a known commit, a conclusion to complete, 50 annotations per request", async () => {
    const { sandbox, pull } = await withPull();
    const repo = repoOf(sandbox);
    const person = await failure(octokitFor(sandbox, sandbox.tokenFor("maya")).rest.checks.create({ ...repo, name: "x", head_sha: pull.head.sha }));
    expect(person).toMatchObject({ status: 403, body: { message: "You must authenticate via a GitHub App." } });
    const app = octokitFor(sandbox, sandbox.tokens.installation);
    const unknown = await failure(app.rest.checks.create({ ...repo, name: "x", head_sha: "0".repeat(40) }));
    expect(unknown).toMatchObject({ status: 422, body: { message: `No commit found for SHA: ${"0".repeat(40)}` } });
    const noConclusion = await failure(app.rest.checks.create({ ...repo, name: "x", head_sha: pull.head.sha, status: "completed" }));
    expect(noConclusion).toMatchObject({ status: 422, body: { message: `Invalid request.\n\n"conclusion" wasn't supplied.` } });
    const tooMany = await failure(
      app.rest.checks.create({ ...repo, name: "x", head_sha: pull.head.sha, output: { title: "t", summary: "s", annotations: Array.from({ length: 51 }, (_, i) => annotation(i)) } }),
    );
    expect(tooMany.status).toBe(422);
    expect(tooMany.body).toMatchObject({ message: "Invalid request.\n\nFor 'properties/output/properties/annotations', 51 items are more than the maximum of 50." });
    expect(sandbox.violations.map((v) => v.message)).toEqual(["For 'properties/output/properties/annotations', 51 items are more than the maximum of 50."]);
    sandbox.clearViolations();
    // A run belongs to the app that created it: GITHUB_TOKEN (GitHub Actions) cannot update the app's run.
    const { data: run } = await app.rest.checks.create({ ...repo, name: "x", head_sha: pull.head.sha });
    expect((await failure(octokitFor(sandbox, sandbox.tokens.actions).rest.checks.update({ ...repo, check_run_id: run.id, conclusion: "success" }))).status).toBe(403);
    expect(sandbox.state.checkRuns()).toHaveLength(1);
  });
});

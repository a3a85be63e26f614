import { describe, expect, it } from "vitest";
import { failure, octokitFor, repoOf, sandboxFor } from "./helpers.js";

describe("dependencies and sub-issues", () => {
  it("adds blocked-by dependencies by issue id (not number) and lists both directions", async () => {
    const { sandbox } = await sandboxFor({ collaborators: { maya: "write" } });
    const maya = sandbox.as("maya");
    const design = maya.openIssue({ title: "design" });
    const build = maya.openIssue({ title: "build" });
    const octokit = octokitFor(sandbox, sandbox.tokens.installation);
    const blocked = { ...repoOf(sandbox), issue_number: build.number };

    const byNumber = await failure(octokit.rest.issues.addBlockedByDependency({ ...blocked, issue_id: design.number }));
    expect(byNumber.status).toBe(404);
    const added = await octokit.rest.issues.addBlockedByDependency({ ...blocked, issue_id: design.id });
    expect(added.status).toBe(201);
    expect(added.data.issue_dependencies_summary).toMatchObject({ blocked_by: 1, total_blocked_by: 1 });
    expect((await failure(octokit.rest.issues.addBlockedByDependency({ ...blocked, issue_id: design.id }))).status).toBe(422);

    expect((await octokit.rest.issues.listDependenciesBlockedBy(blocked)).data.map((i) => i.number)).toEqual([design.number]);
    const blocking = await octokit.rest.issues.listDependenciesBlocking({ ...repoOf(sandbox), issue_number: design.number });
    expect(blocking.data.map((i) => i.number)).toEqual([build.number]);
    expect(sandbox.state.blockedBy(build.number).map((i) => i.title)).toEqual(["design"]);

    maya.closeIssue(design.number);
    expect(sandbox.state.issue(build.number)?.issue_dependencies_summary).toMatchObject({ blocked_by: 0, total_blocked_by: 1 });
    await octokit.rest.issues.removeDependencyBlockedBy({ ...blocked, issue_id: design.id });
    expect(sandbox.state.blockedBy(build.number)).toEqual([]);
    expect((await failure(octokit.rest.issues.removeDependencyBlockedBy({ ...blocked, issue_id: design.id }))).status).toBe(404);
  });

  it("adds and removes sub-issues by id, one parent each", async () => {
    const { sandbox } = await sandboxFor({ collaborators: { maya: "write" } });
    const maya = sandbox.as("maya");
    const epic = maya.openIssue({ title: "epic" });
    const other = maya.openIssue({ title: "other epic" });
    const task = maya.openIssue({ title: "task" });
    const octokit = octokitFor(sandbox, sandbox.tokenFor("maya"));
    const parent = { ...repoOf(sandbox), issue_number: epic.number };

    const added = await octokit.rest.issues.addSubIssue({ ...parent, sub_issue_id: task.id });
    expect(added.status).toBe(201);
    expect(added.data.sub_issues_summary).toEqual({ total: 1, completed: 0, percent_completed: 0 });
    expect((await octokit.rest.issues.listSubIssues(parent)).data.map((i) => i.title)).toEqual(["task"]);
    expect(sandbox.state.issue(task.number)).toMatchObject({ parent_issue_url: `${sandbox.url}/repos/octo-org/orkestra-demo/issues/${epic.number}` });

    const elsewhere = { ...repoOf(sandbox), issue_number: other.number, sub_issue_id: task.id };
    expect((await failure(octokit.rest.issues.addSubIssue(elsewhere))).status).toBe(422);
    await octokit.rest.issues.addSubIssue({ ...elsewhere, replace_parent: true });
    expect((await octokit.rest.issues.listSubIssues(parent)).data).toEqual([]);

    const removed = await octokit.rest.issues.removeSubIssue({ ...repoOf(sandbox), issue_number: other.number, sub_issue_id: task.id });
    expect(removed.data.sub_issues_summary).toMatchObject({ total: 0 });
  });

  it("nests sub-issues at most eight levels deep, as GitHub does", async () => {
    const { sandbox } = await sandboxFor({ collaborators: { maya: "write" } });
    const maya = sandbox.as("maya");
    const octokit = octokitFor(sandbox, sandbox.tokenFor("maya"));
    const chain = Array.from({ length: 9 }, (_, level) => maya.openIssue({ title: `level ${level + 1}` }));
    for (let level = 1; level < 8; level++) {
      const added = await octokit.rest.issues.addSubIssue({ ...repoOf(sandbox), issue_number: chain[level - 1]!.number, sub_issue_id: chain[level]!.id });
      expect(added.status).toBe(201);
    }
    const ninth = await failure(octokit.rest.issues.addSubIssue({ ...repoOf(sandbox), issue_number: chain[7]!.number, sub_issue_id: chain[8]!.id }));
    expect(ninth.status).toBe(422);
    // A chain of two under level 7 would reach nine levels too.
    const pair = maya.openIssue({ title: "pair" });
    await octokit.rest.issues.addSubIssue({ ...repoOf(sandbox), issue_number: pair.number, sub_issue_id: chain[8]!.id });
    expect((await failure(octokit.rest.issues.addSubIssue({ ...repoOf(sandbox), issue_number: chain[6]!.number, sub_issue_id: pair.id }))).status).toBe(422);
  });
});

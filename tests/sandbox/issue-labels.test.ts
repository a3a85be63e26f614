import { describe, expect, it } from "vitest";
import { failure, octokitFor, repoOf, sandboxFor, START } from "./helpers.js";

/** Issue events are a union of shapes; labeled/unlabeled ones carry a label. */
const labelOf = (event: object) => (event as { label?: { name: string } }).label?.name;

describe("labels on an issue", () => {
  it("creates a label that does not exist with colour ededed when adding it", async () => {
    const { sandbox } = await sandboxFor({ collaborators: { tri: "triage" } });
    const octokit = octokitFor(sandbox, sandbox.tokenFor("tri"));
    const issue = sandbox.as("someone").openIssue({ title: "t" });
    const { data } = await octokit.rest.issues.addLabels({ ...repoOf(sandbox), issue_number: issue.number, labels: ["status:pending"] });
    expect(data).toMatchObject([{ name: "status:pending", color: "ededed", default: false }]);
    expect(sandbox.state.labels()).toMatchObject([{ name: "status:pending", color: "ededed" }]);
  });

  it("matches existing labels ignoring case and does not add one twice", async () => {
    const { sandbox } = await sandboxFor({ collaborators: { maya: "write" } });
    const octokit = octokitFor(sandbox, sandbox.tokenFor("maya"));
    await octokit.rest.issues.createLabel({ ...repoOf(sandbox), name: "Bug", color: "d73a4a" });
    const issue = { ...repoOf(sandbox), issue_number: sandbox.as("maya").openIssue({ title: "t" }).number };
    await octokit.rest.issues.addLabels({ ...issue, labels: ["bug"] });
    const { data } = await octokit.rest.issues.addLabels({ ...issue, labels: [{ name: "BUG" }, "p1"] } as never);
    expect(data.map((l) => `${l.name}:${l.color}`)).toEqual(["Bug:d73a4a", "p1:ededed"]);
    expect(sandbox.state.events(issue.issue_number).map((e) => `${e.event}:${labelOf(e)}`)).toEqual(["labeled:Bug", "labeled:p1"]);
  });

  it("answers 404 'Label does not exist' when removing a label the issue does not have", async () => {
    const { sandbox } = await sandboxFor({ collaborators: { maya: "write" } });
    const octokit = octokitFor(sandbox, sandbox.tokenFor("maya"));
    await octokit.rest.issues.createLabel({ ...repoOf(sandbox), name: "bug", color: "d73a4a" });
    const issue = { ...repoOf(sandbox), issue_number: sandbox.as("maya").openIssue({ title: "t", labels: ["p1"] }).number };
    const notOnIssue = await failure(octokit.rest.issues.removeLabel({ ...issue, name: "bug" }));
    expect(notOnIssue.status).toBe(404);
    expect(notOnIssue.body).toEqual({ message: "Label does not exist", documentation_url: "https://docs.github.com/rest", status: "404" });
    const remaining = await octokit.rest.issues.removeLabel({ ...issue, name: "P1" });
    expect(remaining.data).toEqual([]);
  });

  it("replaces with PUT, clears with DELETE, and records labeled/unlabeled events with actor and time", async () => {
    const { sandbox, clock } = await sandboxFor({ collaborators: { maya: "write" } });
    const octokit = octokitFor(sandbox, sandbox.tokenFor("maya"));
    const issue = { ...repoOf(sandbox), issue_number: sandbox.as("maya").openIssue({ title: "t", labels: ["a", "b"] }).number };
    clock.advance(1_000);
    const { data } = await octokit.rest.issues.setLabels({ ...issue, labels: ["b", "c"] });
    expect(data.map((l) => l.name)).toEqual(["b", "c"]);
    expect((await octokit.rest.issues.removeAllLabels(issue)).status).toBe(204);
    expect((await octokit.rest.issues.listLabelsOnIssue(issue)).data).toEqual([]);

    const { data: events } = await octokit.rest.issues.listEvents(issue);
    expect(events.map((e) => `${e.event}:${labelOf(e)}`)).toEqual([
      "labeled:a",
      "labeled:b",
      "unlabeled:a",
      "labeled:c",
      "unlabeled:b",
      "unlabeled:c",
    ]);
    expect(events[0]).toMatchObject({ actor: { login: "maya" }, created_at: START, label: { name: "a", color: "ededed" }, commit_id: null });
    expect(events[2]?.created_at).toBe("2030-01-01T00:00:01Z");
  });
});

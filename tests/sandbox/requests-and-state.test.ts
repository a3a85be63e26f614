import { describe, expect, it } from "vitest";
import { SandboxActionError } from "../../tools/sandbox/index.js";
import { failure, octokitFor, repoOf, sandboxFor } from "./helpers.js";

describe("request log, scripting API and state snapshots", () => {
  it("logs HTTP requests with their route template, path, status and actor — scripted actions are not logged", async () => {
    const { sandbox } = await sandboxFor({ collaborators: { maya: "write" } });
    const issue = sandbox.as("maya").openIssue({ title: "scripted" });
    sandbox.as("maya").comment(issue.number, "scripted too");
    expect(sandbox.requests).toEqual([]);

    const app = octokitFor(sandbox, sandbox.tokens.installation, "enterprise");
    await app.rest.issues.addLabels({ ...repoOf(sandbox), issue_number: issue.number, labels: ["x"] });
    await failure(app.rest.issues.get({ ...repoOf(sandbox), issue_number: 42 }));
    await failure(octokitFor(sandbox, "bogus").rest.issues.get({ ...repoOf(sandbox), issue_number: 1 }));
    expect(sandbox.requests).toEqual([
      {
        method: "POST",
        route: "POST /repos/{owner}/{repo}/issues/{issue_number}/labels",
        path: "/api/v3/repos/octo-org/orkestra-demo/issues/1/labels",
        status: 200,
        actor: "orkestra[bot]",
      },
      {
        method: "GET",
        route: "GET /repos/{owner}/{repo}/issues/{issue_number}",
        path: "/api/v3/repos/octo-org/orkestra-demo/issues/42",
        status: 404,
        actor: "orkestra[bot]",
      },
      { method: "GET", route: null, path: "/repos/octo-org/orkestra-demo/issues/1", status: 401, actor: null },
    ]);
    sandbox.clearRequests();
    expect(sandbox.requests).toEqual([]);
    // Scripted actions never touched the rate limit either.
    expect((await app.rest.rateLimit.get()).data.rate.used).toBe(2);
  });

  it("scripted people follow GitHub's rules and throw what GitHub would answer", async () => {
    const { sandbox } = await sandboxFor({ collaborators: { maya: "write" } });
    const issue = sandbox.as("maya").openIssue({ title: "t" });
    expect(() => sandbox.as("olaf").addLabels(issue.number, ["x"])).toThrow(SandboxActionError);
    expect(() => sandbox.as("olaf").closeIssue(issue.number, "completed")).toThrow(/403/);
    expect(() => sandbox.as("maya").deleteIssue(issue.number)).toThrow(/admin/);
    expect(() => sandbox.as("maya").comment(99, "x")).toThrow(/404 Not Found/);
    expect(() => sandbox.as("maya").comment(issue.number, "y".repeat(70_000))).toThrow(/body is too long/);
    const edited = sandbox.as("maya").editIssue(issue.number, { title: "t2" });
    expect(edited.title).toBe("t2");
    expect(sandbox.as("maya").closeIssue(issue.number, "not_planned").state_reason).toBe("not_planned");
    expect(sandbox.as("maya").reopenIssue(issue.number).state).toBe("open");
    const comment = sandbox.as("olaf").comment(issue.number, "hi");
    expect(sandbox.as("olaf").editComment(comment.id, "hi!").body).toBe("hi!");
    sandbox.as("olaf").deleteComment(comment.id);
    expect(sandbox.as("maya").addLabels(issue.number, ["a", "b"]).map((l) => l.name)).toEqual(["a", "b"]);
    expect(sandbox.as("maya").removeLabel(issue.number, "a").map((l) => l.name)).toEqual(["b"]);
    await sandbox.settled();
    expect(sandbox.deliveries.every((e) => !e.viaActionsToken)).toBe(true);
  });

  it("returns snapshot copies: changing them changes nothing", async () => {
    const { sandbox } = await sandboxFor();
    const issue = sandbox.as("ann").openIssue({ title: "original", labels: [] });
    const snapshot = sandbox.state.issue(issue.number)!;
    snapshot.title = "mutated";
    snapshot.labels.push("nope");
    sandbox.state.issues()[0]!.title = "mutated";
    expect(sandbox.state.issue(issue.number)).toMatchObject({ title: "original", labels: [] });
  });
});

import { describe, expect, it } from "vitest";
import type { SandboxEvent } from "../../tools/sandbox/index.js";
import { octokitFor, repoOf, sandboxFor } from "./helpers.js";
import { webhookSchemaErrors } from "./webhook-schemas.js";

const kinds = (events: readonly SandboxEvent[]) => events.map((e) => `${e.name}.${String(e.payload.action)}`);

describe("webhook events", () => {
  it("emits every change with a payload that satisfies GitHub's official webhook schema", async () => {
    const { sandbox } = await sandboxFor({ collaborators: { maya: "admin" } });
    const octokit = octokitFor(sandbox, sandbox.tokens.installation);
    const repo = repoOf(sandbox);
    const { data: issue } = await octokit.rest.issues.create({ ...repo, title: "Plan", body: "v1" });
    const target = { ...repo, issue_number: issue.number };
    await octokit.rest.issues.update({ ...target, title: "Plan v2", body: "v2" });
    await octokit.rest.issues.addLabels({ ...target, labels: ["status:pending"] });
    await octokit.rest.issues.removeLabel({ ...target, name: "status:pending" });
    await octokit.rest.issues.update({ ...target, state: "closed", state_reason: "not_planned" });
    await octokit.rest.issues.update({ ...target, state: "open" });
    const { data: comment } = await octokit.rest.issues.createComment({ ...target, body: "hello" });
    await octokit.rest.issues.updateComment({ ...repo, comment_id: comment.id, body: "hello again" });
    await octokit.rest.issues.deleteComment({ ...repo, comment_id: comment.id });
    await octokit.rest.issues.updateLabel({ ...repo, name: "status:pending", color: "fbca04", description: "Waiting" });
    await octokit.rest.issues.deleteLabel({ ...repo, name: "status:pending" });
    sandbox.as("maya").deleteIssue(issue.number);
    await sandbox.settled();

    expect(kinds(sandbox.deliveries)).toEqual([
      "issues.opened",
      "issues.edited",
      "label.created",
      "issues.labeled",
      "issues.unlabeled",
      "issues.closed",
      "issues.reopened",
      "issue_comment.created",
      "issue_comment.edited",
      "issue_comment.deleted",
      "label.edited",
      "label.deleted",
      "issues.deleted",
    ]);
    for (const event of sandbox.deliveries) {
      expect({ event: `${event.name}.${String(event.payload.action)}`, errors: webhookSchemaErrors(event.name, event.payload) }).toEqual({
        event: `${event.name}.${String(event.payload.action)}`,
        errors: [],
      });
      expect(event.payload).toMatchObject({
        repository: { full_name: "octo-org/orkestra-demo" },
        installation: { id: sandbox.app.installationId },
      });
    }
    const [opened, edited, , labeled, , closed] = sandbox.deliveries;
    expect(opened?.payload).toMatchObject({ issue: { number: 1, title: "Plan" }, sender: { login: "orkestra[bot]", type: "Bot" } });
    expect(edited?.payload.changes).toEqual({ title: { from: "Plan" }, body: { from: "v1" } });
    expect(labeled?.payload).toMatchObject({ label: { name: "status:pending", color: "ededed" }, issue: { labels: [{ name: "status:pending" }] } });
    expect(closed?.payload).toMatchObject({ issue: { state: "closed", state_reason: "not_planned" } });
    const commentEdited = sandbox.deliveries.find((e) => e.name === "issue_comment" && e.payload.action === "edited");
    expect(commentEdited?.payload).toMatchObject({ changes: { body: { from: "hello" } }, comment: { body: "hello again" } });
    const labelEdited = sandbox.deliveries.find((e) => e.name === "label" && e.payload.action === "edited");
    expect(labelEdited?.payload.changes).toEqual({ color: { from: "ededed" }, description: { from: "" } });
  });

  it("the schema check is real: a payload without its issue's user is rejected", async () => {
    const { sandbox } = await sandboxFor();
    sandbox.as("ann").openIssue({ title: "t" });
    const payload = structuredClone(sandbox.deliveries[0]!.payload) as { issue: Record<string, unknown> };
    delete payload.issue.user;
    expect(webhookSchemaErrors("issues", payload)).not.toEqual([]);
  });

  /** The deliveries of four issues opened by a person, another app's bot, the app and a workflow. */
  async function issuesByFourActors() {
    const { sandbox } = await sandboxFor();
    sandbox.addBot("dependabot[bot]");
    sandbox.as("ann").openIssue({ title: "by a person" });
    sandbox.as("dependabot[bot]").openIssue({ title: "by a bot" });
    await octokitFor(sandbox, sandbox.tokens.installation).rest.issues.create({ ...repoOf(sandbox), title: "by the app" });
    await octokitFor(sandbox, sandbox.tokens.actions).rest.issues.create({ ...repoOf(sandbox), title: "by a workflow" });
    await sandbox.settled();
    return sandbox.deliveries;
  }

  it("records who acted", async () => {
    const deliveries = await issuesByFourActors();
    expect(deliveries.map((e) => [e.actor.login, e.actor.type])).toEqual([
      ["ann", "User"],
      ["dependabot[bot]", "Bot"],
      ["orkestra[bot]", "Bot"],
      ["github-actions[bot]", "Bot"],
    ]);
    expect(deliveries[3]?.payload.sender).toMatchObject({ login: "github-actions[bot]", type: "Bot" });
  });

  it("marks only the events caused with the Actions token viaActionsToken", async () => {
    const deliveries = await issuesByFourActors();
    expect(deliveries.map((e) => e.viaActionsToken)).toEqual([false, false, false, true]);
  });

  it("gives every delivery its own id", async () => {
    const deliveries = await issuesByFourActors();
    expect(new Set(deliveries.map((e) => e.id)).size).toBe(4);
  });

  it("calls listeners after the response was sent, in order of occurrence", async () => {
    const { sandbox } = await sandboxFor({ collaborators: { maya: "write" } });
    const seen: string[] = [];
    sandbox.onEvent(async (event) => {
      seen.push(`${event.name}.${String(event.payload.action)} after ${sandbox.requests.length} request(s)`);
      await new Promise((resolve) => setImmediate(resolve));
    });
    const octokit = octokitFor(sandbox, sandbox.tokenFor("maya"));
    await octokit.rest.issues.create({ ...repoOf(sandbox), title: "t", labels: ["a", "b"] });
    await sandbox.settled();
    expect(seen).toEqual([
      "label.created after 1 request(s)",
      "label.created after 1 request(s)",
      "issues.opened after 1 request(s)",
      "issues.labeled after 1 request(s)",
      "issues.labeled after 1 request(s)",
    ]);
  });

  it("settled() waits for chains of listener-caused requests and events", async () => {
    const { sandbox } = await sandboxFor();
    const app = octokitFor(sandbox, sandbox.tokens.installation);
    sandbox.onEvent(async ({ name, payload, actor }) => {
      const issue = payload.issue as { number: number } | undefined;
      if (name === "issues" && payload.action === "opened" && actor.type === "User") {
        await app.rest.issues.createComment({ ...repoOf(sandbox), issue_number: issue!.number, body: "Task card" });
      }
      if (name === "issue_comment" && payload.action === "created" && actor.login === "orkestra[bot]") {
        await app.rest.issues.addLabels({ ...repoOf(sandbox), issue_number: issue!.number, labels: ["status:pending"] });
      }
    });
    sandbox.as("ann").openIssue({ title: "do it" });
    await sandbox.settled();
    expect(sandbox.state.comments(1).map((c) => c.body)).toEqual(["Task card"]);
    expect(sandbox.state.issue(1)?.labels).toMatchObject([{ name: "status:pending" }]);
    expect(kinds(sandbox.deliveries)).toEqual(["issues.opened", "issue_comment.created", "label.created", "issues.labeled"]);
  });

  const explode = () => {
    throw new Error("handler exploded");
  };

  it("settled() rejects with a listener's error", async () => {
    const { sandbox } = await sandboxFor();
    sandbox.onEvent(explode);
    sandbox.as("ann").openIssue({ title: "t" });
    await expect(sandbox.settled()).rejects.toThrow(/listener call\(s\) failed/);
  });

  it("does not call an unsubscribed listener", async () => {
    const { sandbox } = await sandboxFor();
    const stop = sandbox.onEvent(explode);
    stop();
    sandbox.as("ann").openIssue({ title: "u" });
    await expect(sandbox.settled()).resolves.toBeUndefined();
  });
});

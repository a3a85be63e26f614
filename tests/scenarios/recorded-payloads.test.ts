import examples from "@octokit/webhooks-examples/api.github.com/index.json" with { type: "json" };
import { afterEach, describe, expect, it } from "vitest";
import { botComments, DOORS, labelsOf, orkestraRequests, reactionsOn, startHarness, type Door, type Harness } from "../support/harness.js";

type Example = { name: string; examples: Record<string, unknown>[] };

/** A recorded webhook payload from @octokit/webhooks-examples (GitHub's own samples). */
function recorded(event: string, action: string, test: (payload: Record<string, unknown>) => boolean = () => true): Record<string, unknown> {
  const found = (examples as Example[]).find((entry) => entry.name === event)?.examples.find((payload) => payload.action === action && test(payload));
  if (!found) throw new Error(`no recorded ${event}.${action}`);
  return structuredClone(found);
}

/** The repository of the recorded samples (Codertocat/Hello-World) with its issue #1. */
async function start(door: Door): Promise<{ h: Harness; installation: { id: number } }> {
  const h = await startHarness(door, { owner: "Codertocat", repo: "Hello-World", collaborators: { Codertocat: "admin" } }, { autoDeliver: false });
  const opened = recorded("issues", "opened", (payload) => Boolean((payload.issue as { body?: string }).body));
  const issue = opened.issue as { title: string; body: string };
  h.sandbox.as("Codertocat").openIssue({ title: issue.title, body: issue.body, labels: ["bug"] });
  h.sandbox.clearRequests();
  // The samples come from a webhook, not an app: an app delivery also names its installation.
  return { h, installation: { id: h.sandbox.app.installationId } };
}

describe("GitHub's recorded webhook payloads", () => {
  const open: Harness[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((h) => h.close()));
  });

  async function play(door: Door) {
    const { h, installation } = await start(door);
    open.push(h);
    await h.deliver("issues", { ...recorded("issues", "opened", (payload) => Boolean((payload.issue as { body?: string }).body)), installation });
    const afterOpened = orkestraRequests(h.sandbox);
    const comment = h.sandbox.as("Codertocat").comment(1, "/help");
    const created = recorded("issue_comment", "created");
    // Only what the scenario needs changes: the command in the body and the sandbox's comment id.
    const payload = { ...created, installation, comment: { ...(created.comment as object), id: comment.id, body: "/help" } };
    h.sandbox.clearRequests();
    await h.deliver("issue_comment", payload);
    return { h, afterOpened, afterComment: orkestraRequests(h.sandbox), commentId: comment.id };
  }

  it("become a task and a /help answer the same way through the app and the Action", async () => {
    const [app, action] = await Promise.all(DOORS.map(play));
    for (const run of [app!, action!]) {
      expect(labelsOf(run.h.sandbox, 1)).toEqual(["bug", "orkestra:task", "priority:medium", "status:pending", "type:technical"]);
      expect(botComments(run.h.sandbox, 1).some((body) => body.includes("### 🎼 Orkestra task"))).toBe(true);
      expect(reactionsOn(run.h.sandbox, run.commentId)).toEqual(["eyes", "+1"]);
    }
    expect(app!.afterOpened).toEqual([
      "GET /repos/{owner}/{repo}/git/matching-refs/{ref}",
      "GET /repos/{owner}/{repo}/contents/{path}",
      "GET /repos/{owner}/{repo}/issues/{issue_number}/comments",
      "POST /repos/{owner}/{repo}/issues/{issue_number}/labels",
      "PATCH /repos/{owner}/{repo}/labels/{name}",
      "PATCH /repos/{owner}/{repo}/labels/{name}",
      "PATCH /repos/{owner}/{repo}/labels/{name}",
      "PATCH /repos/{owner}/{repo}/labels/{name}",
      "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
      // The run's ledger batch, and the ledger's ref (its first entries: the ref is made).
      "POST /repos/{owner}/{repo}/git/commits",
      "POST /repos/{owner}/{repo}/git/refs",
    ]);
    expect(action!.afterOpened).toEqual(app!.afterOpened);
    expect(action!.afterComment).toEqual(app!.afterComment);
  });
});

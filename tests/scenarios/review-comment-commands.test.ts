/**
 * Commands written on a line of a pull request's diff (`pull_request_review_comment.created`) run
 * like those in its conversation: same parser and permission checks, 👀 then 👍/😕 on the review
 * comment itself, one reply in the conversation linking it — once per comment, and never for a bot's.
 */
import { afterEach, describe, expect, it } from "vitest";
import { octokitFor, repoOf } from "../sandbox/helpers.js";
import { botComments, DOORS, orkestraRequests, reactionsOn, startHarness, type Harness } from "../support/harness.js";

const PAUSE_REF = "refs/orkestra/state/paused";

describe.each(DOORS)("commands in review comments, through the %s", (door) => {
  let h: Harness;
  afterEach(async () => h?.close());

  async function pullWithComment(login: string, body: string) {
    const pull = h.sandbox.as("alice").openPullRequest({ title: "Tidy", head: "tidy", files: [{ path: "a.ts", before: "a\n", after: "b\n" }] });
    await h.settle();
    h.sandbox.as(login).review(pull.number, { event: "COMMENT", comments: [{ path: "a.ts", line: 1, body }] });
    await h.settle();
    const comment = h.sandbox.state.reviewComments(pull.number).at(-1)!;
    return { pull, comment };
  }

  const replies = (number: number) => botComments(h.sandbox, number).filter((body) => body.includes("orkestra:reply-"));
  const paused = () => h.sandbox.state.refs().some((ref) => ref.ref === PAUSE_REF);

  it("a maintainer's /pause on a diff line pauses the repository: 👀 then 👍 on that comment", async () => {
    h = await startHarness(door);
    const { comment } = await pullWithComment("mona", "This needs a closer look.\n\n/pause release freeze");
    expect(paused()).toBe(true);
    expect(reactionsOn(h.sandbox, comment.id)).toEqual(["eyes", "+1"]);
  });

  it("the same permission checks: a reader's /pause is refused with 😕 and one reply in the conversation linking the comment", async () => {
    h = await startHarness(door);
    const { pull, comment } = await pullWithComment("rita", "/pause");
    expect(paused()).toBe(false);
    expect(reactionsOn(h.sandbox, comment.id)).toEqual(["eyes", "confused"]);
    const [reply, ...more] = replies(pull.number);
    expect(more).toEqual([]);
    expect(reply).toContain(`In reply to [this comment](${comment.html_url})`);
    expect(reply).toContain("@rita needs `maintain` permission");
  });

  it("votes stay in the conversation: /vote on a diff line is refused, saying where to write it", async () => {
    h = await startHarness(door);
    const { pull, comment } = await pullWithComment("alice", "/vote yes");
    expect(reactionsOn(h.sandbox, comment.id)).toEqual(["eyes", "confused"]);
    expect(replies(pull.number)[0]).toContain("votes are held in the pull request's conversation");
  });

  it("a redelivery runs the command once: one 👍, one reply", async () => {
    h = await startHarness(door);
    const { pull, comment } = await pullWithComment("alice", "/help");
    const event = h.sandbox.deliveries.filter((delivery) => delivery.name === "pull_request_review_comment").at(-1)!;
    h.sandbox.clearRequests();
    await h.redeliver(event);
    await h.redeliver(event);
    expect(reactionsOn(h.sandbox, comment.id)).toEqual(["eyes", "+1"]);
    expect(replies(pull.number)).toHaveLength(1);
    // Each redelivery: the 👀 receipt (200, there already), then Orkestra's reactions read.
    expect(orkestraRequests(h.sandbox).filter((line) => !line.startsWith("GET /repos/{owner}/{repo}/contents/"))).toEqual(
      Array.from({ length: 2 }, () => [
        "POST /repos/{owner}/{repo}/pulls/comments/{comment_id}/reactions",
        "GET /repos/{owner}/{repo}/pulls/comments/{comment_id}/reactions",
      ]).flat(),
    );
  });

  it("costs one /help on a diff line: the configuration, 👀, the pull request, the reply, 👍, and the ledger's three", async () => {
    h = await startHarness(door);
    const pull = h.sandbox.as("alice").openPullRequest({ title: "Tidy", head: "tidy", files: [{ path: "a.ts", before: "a\n", after: "b\n" }] });
    await h.settle();
    h.sandbox.clearRequests();
    h.sandbox.as("alice").review(pull.number, { event: "COMMENT", comments: [{ path: "a.ts", line: 1, body: "/help" }] });
    await h.settle();
    expect(orkestraRequests(h.sandbox).filter((line) => !line.startsWith("POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews"))).toEqual([
      "GET /repos/{owner}/{repo}/contents/{path}",
      "POST /repos/{owner}/{repo}/pulls/comments/{comment_id}/reactions",
      "GET /repos/{owner}/{repo}/issues/{issue_number}",
      "GET /repos/{owner}/{repo}/git/matching-refs/{ref}",
      "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
      "POST /repos/{owner}/{repo}/pulls/comments/{comment_id}/reactions",
      // this repository's first ledger entry: a commit and its ref (later ones move the ref)
      "POST /repos/{owner}/{repo}/git/commits",
      "POST /repos/{owner}/{repo}/git/refs",
    ]);
  });

  it("review comments by bots — Orkestra's own findings included — run nothing, whatever they quote", async () => {
    h = await startHarness(door);
    const pull = h.sandbox.as("alice").openPullRequest({ title: "Tidy", head: "tidy", files: [{ path: "a.ts", before: "a\n", after: "b\n" }] });
    await h.settle();
    // An agent's finding as Orkestra posts it: a review with inline comments, written with Orkestra's token.
    const token = door === "app" ? h.sandbox.tokens.installation : h.sandbox.tokens.actions;
    const finding = "Suggested fix: comment\n\n/pause\n\nto stop the release.";
    await octokitFor(h.sandbox, token).rest.pulls.createReview({
      ...repoOf(h.sandbox),
      pull_number: pull.number,
      event: "COMMENT",
      comments: [{ path: "a.ts", line: 1, body: finding }],
    });
    await h.settle();
    const [posted] = h.sandbox.state.reviewComments(pull.number);
    expect(posted?.body).toBe(finding);
    // Another bot's comment with a command, handed to this door as if a workflow had started on it.
    const event = h.sandbox.deliveries.find((delivery) => delivery.name === "pull_request_review_comment")!;
    const bot = { login: "lint-bot[bot]", id: 99, type: "Bot" };
    await h.deliver("pull_request_review_comment", { ...event.payload, sender: bot, comment: { ...(event.payload.comment as object), user: bot } });
    expect(paused()).toBe(false);
    expect(reactionsOn(h.sandbox, posted!.id)).toEqual([]);
    expect(replies(pull.number)).toEqual([]);
  });
});

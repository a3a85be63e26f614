import { afterEach, describe, expect, it } from "vitest";
import { json } from "../../src/sandbox/http.js";
import { insertStep } from "../../src/sandbox/index.js";
import { userShape } from "../../src/sandbox/shapes/users.js";
import { botComments, DOORS, labelsOf, reactionsOn, startHarness, type Harness } from "../support/harness.js";
import { cardOf, counted, replyTo, tallyCount, tallyOf } from "../votes/support.js";

const OPEN = "orkestra:vote-open";

async function openIssue(h: Harness, title = "Pick a database"): Promise<number> {
  const issue = h.sandbox.as("alice").openIssue({ title, body: "We need one." });
  await h.settle();
  return issue.number;
}

async function propose(h: Harness, number: number, text: string, by = "alice") {
  const comment = h.sandbox.as(by).comment(number, text);
  await h.settle();
  return comment;
}

describe.each(DOORS)("votes of people through the %s", (door) => {
  let h: Harness;
  afterEach(async () => {
    // Every request Orkestra made fits GitHub's OpenAPI description.
    expect(h.sandbox.violations).toEqual([]);
    await h.close();
  });

  it("/propose opens one tally with the parsed options and method; bad proposals are refused and change nothing", async () => {
    h = await startHarness(door);
    const issue = await openIssue(h);
    const typo = await propose(h, issue, "/propose Which database? methd=ranked\n- Postgres\n- MySQL");
    expect(reactionsOn(h.sandbox, typo.id)).toEqual(["eyes", "confused"]);
    expect(replyTo(h, issue, typo.id)).toContain("Unknown setting “methd”; did you mean “method”?");
    const method = await propose(h, issue, "/propose Which database? method=rankd voters=@alice,@bob\n- Postgres\n- MySQL");
    expect(replyTo(h, issue, method.id)).toContain("Unknown method “rankd”; did you mean “ranked”?");
    const duplicate = await propose(h, issue, "/propose Which database? voters=@alice,@bob\n- Postgres\n-  postgres");
    expect(replyTo(h, issue, duplicate.id)).toContain("Option “postgres” is listed twice");
    const nobody = await propose(h, issue, "/propose Which database?\n- Postgres\n- MySQL");
    expect(replyTo(h, issue, nobody.id)).toContain("Nobody would vote");
    const keyless = await propose(h, issue, "/propose Which database? voters=claude,@alice");
    expect(replyTo(h, issue, keyless.id)).toContain("agent `claude` cannot vote:");
    expect(tallyCount(h, issue)).toBe(0);
    expect(labelsOf(h.sandbox, issue)).not.toContain(OPEN);

    const ok = await propose(h, issue, "/propose Which database? method=ranked deadline=2d quorum=2 voters=@alice,@bob,@carol\n- Postgres\n- MySQL\n- SQLite");
    expect(reactionsOn(h.sandbox, ok.id)).toEqual(["eyes", "+1"]);
    const state = tallyOf(h, issue);
    expect(state).toMatchObject({
      phase: "open",
      spec: {
        question: "Which database?",
        method: "ranked",
        quorum: 2,
        proposer: "alice",
        deadline: "2026-11-23T09:00:00.000Z",
        options: [
          { id: "A", label: "Postgres" },
          { id: "B", label: "MySQL" },
          { id: "C", label: "SQLite" },
        ],
        voters: [
          { id: "alice", kind: "person" },
          { id: "bob", kind: "person" },
          { id: "carol", kind: "person" },
        ],
      },
    });
    expect(labelsOf(h.sandbox, issue)).toContain(OPEN);
    expect(h.sandbox.state.labels().find((label) => label.name === OPEN)).toMatchObject({ color: "fbca04" });

    const second = await propose(h, issue, "/propose Another question? voters=@alice,@bob", "trish");
    expect(replyTo(h, issue, second.id)).toContain("a vote is already open here (“Which database?”)");
    expect(tallyCount(h, issue)).toBe(1);
  });

  it("a team named as voters is expanded to its members when the vote opens; an unknown team is refused", async () => {
    h = await startHarness(door);
    // The sandbox serves no teams yet (and its OpenAPI subset lacks the route): this step
    // answers GitHub's team members request for one team, ahead of the route validation.
    insertStep(
      h.sandbox.internals.steps,
      {
        name: "teams",
        run: (state) => {
          const team = /^\/orgs\/([^/]+)\/teams\/([^/]+)\/members$/.exec(state.url.pathname);
          if (state.method !== "GET" || !team) return undefined;
          if (team[1] !== "octo-org" || team[2] !== "core") return json(404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" });
          return json(200, ["bob", "Carol"].map((login) => userShape(h.sandbox.internals.shapes, login)));
        },
      },
      { before: "openapi-route" },
    );
    const issue = await openIssue(h);
    const unknown = await propose(h, issue, "/propose Ship it? voters=@alice,@octo-org/ghosts");
    expect(replyTo(h, issue, unknown.id)).toContain("Team @octo-org/ghosts is unknown or has no members Orkestra can see");
    await propose(h, issue, "/propose Ship it? voters=@alice,@octo-org/core");
    expect(tallyOf(h, issue).spec.voters.map((voter) => voter.id)).toEqual(["alice", "bob", "carol"]);
    h.sandbox.as("carol").comment(issue, "/vote yes");
    await h.settle();
    expect(counted(tallyOf(h, issue))).toEqual(["carol: A"]);
  });

  it("people vote yes/no and ranked; the latest ballot counts; /vote without a vote or with a bad choice is answered", async () => {
    h = await startHarness(door);
    const issue = await openIssue(h);
    const early = h.sandbox.as("bob").comment(issue, "/vote yes");
    await h.settle();
    expect(replyTo(h, issue, early.id)).toContain("There is no open vote here. Open one with `/propose <question>`");
    await propose(h, issue, "/propose Ship it? voters=@alice,@bob,@carol");
    h.sandbox.as("alice").comment(issue, "/vote yes -- ready");
    h.sandbox.as("bob").comment(issue, "/vote No\nthe docs are missing");
    await h.settle();
    expect(counted(tallyOf(h, issue))).toEqual(["alice: A", "bob: B"]);
    expect(tallyOf(h, issue).ballots.find((ballot) => ballot.voter.id === "bob")?.reason).toBe("the docs are missing");
    h.clock.advance(60_000);
    h.sandbox.as("bob").comment(issue, "/vote yes -- docs landed");
    const bad = h.sandbox.as("carol").comment(issue, "/vote maybe");
    await h.settle();
    expect(counted(tallyOf(h, issue))).toEqual(["alice: A", "bob: A"]);
    expect(replyTo(h, issue, bad.id)).toContain("“maybe” is not an option.");
    const tally = botComments(h.sandbox, issue).find((body) => body.includes("orkestra:vote "))!;
    expect(tally).toContain("| @\u200bbob | A Yes | docs landed |");
    expect(tally).toContain("If it closed now: passed, Yes.");

    const ranked = await openIssue(h, "Which queue?");
    await propose(h, ranked, "/propose Which queue? method=ranked voters=@alice,@bob\n- Kafka\n- RabbitMQ\n- SQS");
    h.sandbox.as("alice").comment(ranked, "/vote sqs > kafka");
    const single = h.sandbox.as("bob").comment(ranked, "/vote B > B");
    await h.settle();
    expect(counted(tallyOf(h, ranked))).toEqual(["alice: C>A"]);
    expect(replyTo(h, ranked, single.id)).toContain("appears twice in the ranking");
  });

  it("editing a ballot comment changes the ballot, an invalid edit is answered, deleting it withdraws it", async () => {
    h = await startHarness(door);
    const issue = await openIssue(h);
    await propose(h, issue, "/propose Ship it? voters=@alice,@bob");
    const first = h.sandbox.as("alice").comment(issue, "/vote yes");
    await h.settle();
    h.clock.advance(60_000);
    const second = h.sandbox.as("alice").comment(issue, "/vote no -- changed my mind");
    await h.settle();
    expect(counted(tallyOf(h, issue))).toEqual(["alice: B"]);
    h.clock.advance(60_000);
    h.sandbox.as("alice").editComment(second.id, "/vote abstain -- not sure any more");
    await h.settle();
    expect(counted(tallyOf(h, issue))).toEqual(["alice: abstain"]);
    h.clock.advance(60_000);
    h.sandbox.as("alice").editComment(second.id, "/vote perhaps");
    await h.settle();
    expect(replyTo(h, issue, second.id)).toContain("@alice 😕 your edited ballot does not count: “perhaps” is not an option.");
    // The edit withdrew the newer ballot: the earlier comment's ballot counts again.
    expect(counted(tallyOf(h, issue))).toEqual(["alice: A"]);
    h.sandbox.as("alice").deleteComment(first.id);
    await h.settle();
    expect(counted(tallyOf(h, issue))).toEqual([]);
    expect(tallyOf(h, issue).ballots).toEqual([]);
  });

  it("an edit never re-runs other commands, and a person not among the voters is told so", async () => {
    h = await startHarness(door);
    const issue = await openIssue(h);
    await propose(h, issue, "/propose Ship it? voters=@alice,@bob");
    const status = h.sandbox.as("alice").comment(issue, "/status blocked");
    await h.settle();
    h.sandbox.as("alice").editComment(status.id, "/status done");
    await h.settle();
    expect(h.sandbox.state.issue(issue)?.state).toBe("open");
    const stranger = h.sandbox.as("rita").comment(issue, "/vote yes");
    await h.settle();
    expect(reactionsOn(h.sandbox, stranger.id)).toEqual(["eyes", "confused"]);
    expect(replyTo(h, issue, stranger.id)).toContain("@rita is not among the voters of this vote (alice, bob); the ballot is not counted");
    expect(counted(tallyOf(h, issue))).toEqual([]);
  });

  it("a bot's ballot is ignored without a reaction", async () => {
    h = await startHarness(door);
    const issue = await openIssue(h);
    await propose(h, issue, "/propose Ship it? voters=@alice,@bob");
    h.sandbox.addBot("helper[bot]");
    const fromBot = h.sandbox.as("helper[bot]").comment(issue, "/vote yes");
    await h.settle();
    h.sandbox.as("bob").comment(issue, "/vote no");
    await h.settle();
    expect(reactionsOn(h.sandbox, fromBot.id)).toEqual([]);
    expect(counted(tallyOf(h, issue))).toEqual(["bob: B"]);
  });

  it("on a private repository a reader votes but may not propose; without the permission /vote needs, a ballot never counts", async () => {
    h = await startHarness(door, {
      private: true,
      collaborators: { alice: "write", rita: "read", trish: "triage" },
      files: { ".github/orkestra.yml": "commands:\n  permissions:\n    vote: triage\n" },
    });
    const issue = await openIssue(h);
    const refused = await propose(h, issue, "/propose Ship it? voters=@alice,@rita,@trish", "rita");
    expect(replyTo(h, issue, refused.id)).toContain("@rita needs `triage` permission on this repository for `/propose` (has `read`)");
    await propose(h, issue, "/propose Ship it? voters=@alice,@rita,@trish");
    const denied = h.sandbox.as("rita").comment(issue, "/vote yes");
    await h.settle();
    expect(replyTo(h, issue, denied.id)).toContain("@rita needs `triage` permission on this repository for `/vote` (has `read`)");
    h.sandbox.as("trish").comment(issue, "/vote no");
    await h.settle();
    // Trish's ballot recounted the comments: Rita's is there, but she lacks the permission.
    expect(counted(tallyOf(h, issue))).toEqual(["trish: B"]);
  });

  it("a reader on a private repository can vote when /vote keeps its default permission", async () => {
    h = await startHarness(door, { private: true, collaborators: { alice: "write", rita: "read" } });
    const issue = await openIssue(h);
    await propose(h, issue, "/propose Ship it? voters=@alice,@rita");
    const ballot = h.sandbox.as("rita").comment(issue, "/vote yes");
    await h.settle();
    expect(reactionsOn(h.sandbox, ballot.id)).toEqual(["eyes", "+1"]);
    expect(counted(tallyOf(h, issue))).toEqual(["rita: A"]);
  });

  it("/close-vote: refused for others, a listed maintainer closes; the outcome is labelled and audited on the card", async () => {
    h = await startHarness(door, { files: { ".github/orkestra.yml": "maintainers: [trish]\n" } });
    const issue = await openIssue(h);
    await propose(h, issue, "/propose Use Postgres? voters=@alice,@bob,@carol");
    h.sandbox.as("alice").comment(issue, "/vote yes");
    h.sandbox.as("bob").comment(issue, "/vote yes");
    await h.settle();
    const early = h.sandbox.as("alice").comment(issue, "/close-vote");
    await h.settle();
    expect(replyTo(h, issue, early.id)).toContain("Only maintainers can close a vote early");
    expect(tallyOf(h, issue).phase).toBe("open");
    // Trish has only triage permission but is listed in `maintainers`.
    const close = h.sandbox.as("trish").comment(issue, "/close-vote");
    await h.settle();
    expect(reactionsOn(h.sandbox, close.id)).toEqual(["eyes", "+1"]);
    const state = tallyOf(h, issue);
    expect(state).toMatchObject({ phase: "closed", closed: { by: "trish" }, result: { status: "passed", winner: "A" } });
    expect(labelsOf(h.sandbox, issue)).toContain("decision:yes");
    expect(labelsOf(h.sandbox, issue)).not.toContain(OPEN);
    expect(h.sandbox.state.labels().find((label) => label.name === "decision:yes")).toMatchObject({ color: "0e8a16", description: "Vote decided: Yes" });
    expect(cardOf(h, issue)?.history.at(-1)).toMatchObject({ by: "trish", what: "vote closed: passed: Yes (majority)" });
    expect(botComments(h.sandbox, issue).find((body) => body.includes("orkestra:vote "))).toContain("This tally is final.");
    const late = h.sandbox.as("carol").comment(issue, "/vote no");
    await h.settle();
    expect(replyTo(h, issue, late.id)).toContain("There is no open vote here");
    expect(counted(tallyOf(h, issue))).toEqual(["alice: A", "bob: A"]);
  });

  it("/close-vote <option> lets a maintainer decide a failed vote; /cancel-vote is for the proposer or maintainers", async () => {
    h = await startHarness(door);
    const issue = await openIssue(h);
    await propose(h, issue, "/propose Which database? voters=@alice,@bob\n- Postgres\n- MySQL");
    h.sandbox.as("alice").comment(issue, "/vote postgres");
    h.sandbox.as("bob").comment(issue, "/vote mysql");
    await h.settle();
    h.sandbox.as("mona").comment(issue, "/close-vote MySQL");
    await h.settle();
    expect(tallyOf(h, issue)).toMatchObject({ phase: "closed", closed: { by: "mona", decidedBy: "mona" }, result: { status: "passed", winner: "B" } });
    expect(labelsOf(h.sandbox, issue)).toContain("decision:mysql");

    const other = await openIssue(h, "Second");
    await propose(h, other, "/propose Rename the project? voters=@alice,@bob", "trish");
    const notYours = h.sandbox.as("alice").comment(other, "/cancel-vote");
    await h.settle();
    expect(replyTo(h, other, notYours.id)).toContain("Only the person who proposed the vote or a maintainer can cancel it");
    h.sandbox.as("trish").comment(other, "/cancel-vote");
    await h.settle();
    expect(tallyOf(h, other)).toMatchObject({ phase: "cancelled", cancelled: { by: "trish" } });
    expect(labelsOf(h.sandbox, other).filter((label) => label.startsWith("decision:") || label === OPEN)).toEqual([]);
    expect(cardOf(h, other)?.history.at(-1)).toMatchObject({ by: "trish", what: "vote cancelled (majority)" });
  });

  it("the sweep closes a due vote at its deadline, and handling it again changes nothing", async () => {
    h = await startHarness(door);
    const issue = await openIssue(h);
    await propose(h, issue, "/propose Ship it? deadline=1d participation=30% voters=@alice,@bob,@carol");
    h.sandbox.as("alice").comment(issue, "/vote no");
    await h.settle();
    await h.sweep();
    expect(tallyOf(h, issue).phase).toBe("open");
    h.clock.advance(25 * 3_600_000);
    const late = h.sandbox.as("bob").comment(issue, "/vote yes");
    await h.settle();
    expect(replyTo(h, issue, late.id)).toContain("voting ended at 2026-11-22 09:00 UTC; this ballot is not counted");
    await h.sweep();
    const state = tallyOf(h, issue);
    expect(state).toMatchObject({ phase: "closed", closed: { by: null }, result: { status: "passed", winner: "B" } });
    expect(counted(state)).toEqual(["alice: B"]);
    expect(labelsOf(h.sandbox, issue)).toContain("decision:no");
    expect(labelsOf(h.sandbox, issue)).not.toContain(OPEN);
    expect(cardOf(h, issue)?.history.at(-1)).toMatchObject({ by: "orkestra", what: "vote closed: passed: No (majority)" });
    const before = botComments(h.sandbox, issue);
    h.sandbox.clearRequests();
    await h.sweep();
    expect(botComments(h.sandbox, issue)).toEqual(before);
    expect(h.sandbox.requests.filter((request) => request.method !== "GET" && !request.route?.includes("access_tokens"))).toEqual([]);
  });

  it("handling every event again changes nothing", async () => {
    h = await startHarness(door, { files: { ".github/orkestra.yml": "maintainers: [trish]\n" } });
    const issue = await openIssue(h);
    await propose(h, issue, "/propose Ship it? voters=@alice,@bob,@carol");
    const ballot = h.sandbox.as("alice").comment(issue, "/vote yes");
    h.sandbox.as("bob").comment(issue, "/vote no");
    h.sandbox.as("rita").comment(issue, "/vote no");
    await h.settle();
    h.clock.advance(60_000);
    h.sandbox.as("alice").editComment(ballot.id, "/vote no -- convinced");
    await h.settle();
    h.sandbox.as("trish").comment(issue, "/close-vote");
    await h.settle();
    const events = h.sandbox.deliveries.filter((event) => event.actor.type !== "Bot");
    const before = { labels: labelsOf(h.sandbox, issue), comments: botComments(h.sandbox, issue) };
    expect(tallyOf(h, issue)).toMatchObject({ phase: "closed", result: { status: "passed", winner: "B" } });
    h.sandbox.clearRequests();
    for (const event of events) await h.redeliver(event);
    // A stale `issues.opened` payload re-adds task labels the issue has (a no-op on GitHub); nothing else is written.
    const writes = h.sandbox.requests.filter((request) => request.method !== "GET" && !/access_tokens|reactions$|labels$/.test(request.route ?? ""));
    expect(writes.map((request) => request.route)).toEqual([]);
    expect({ labels: labelsOf(h.sandbox, issue), comments: botComments(h.sandbox, issue) }).toEqual(before);
  });

  it("a pull request votes approve or reject with the same machinery", async () => {
    h = await startHarness(door);
    const pr = h.sandbox.as("alice").openPullRequest({ title: "Add caching", head: "cache", files: [{ path: "cache.ts", after: "export {};\n" }] });
    await h.settle();
    await propose(h, pr.number, "/propose Merge this? voters=@alice,@bob,@carol");
    h.sandbox.as("bob").comment(pr.number, "/vote approve -- tested locally");
    h.sandbox.as("carol").comment(pr.number, "/vote reject");
    h.sandbox.as("alice").comment(pr.number, "/vote approve");
    await h.settle();
    const state = tallyOf(h, pr.number);
    expect(state.spec.target).toBe("pull-request");
    expect(state.spec.options.map((option) => option.label)).toEqual(["Approve", "Reject"]);
    expect(counted(state)).toEqual(["alice: A", "bob: A", "carol: B"]);
    h.sandbox.as("mona").comment(pr.number, "/close-vote");
    await h.settle();
    expect(labelsOf(h.sandbox, pr.number)).toContain("decision:approve");
  });
});

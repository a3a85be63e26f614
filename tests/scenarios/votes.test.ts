import { afterEach, describe, expect, it } from "vitest";
import { json } from "../../tools/sandbox/http.js";
import { insertStep } from "../../tools/sandbox/index.js";
import { userShape } from "../../tools/sandbox/shapes/users.js";
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

  it.each([
    ["a mistyped setting", "/propose Which database? methd=ranked\n- Postgres\n- MySQL", "Unknown setting “methd”; did you mean “method”?"],
    ["a mistyped method", "/propose Which database? method=rankd voters=@alice,@bob\n- Postgres\n- MySQL", "Unknown method “rankd”; did you mean “ranked”?"],
    ["an option listed twice", "/propose Which database? voters=@alice,@bob\n- Postgres\n-  postgres", "Option “postgres” is listed twice"],
    ["no voters", "/propose Which database?\n- Postgres\n- MySQL", "Nobody would vote"],
    ["an agent that cannot vote", "/propose Which database? voters=claude,@alice", "agent `claude` cannot vote:"],
  ])("a /propose with %s is refused with the reason and opens no vote", async (_, text, reason) => {
    h = await startHarness(door);
    const issue = await openIssue(h);
    const refused = await propose(h, issue, text);
    expect(reactionsOn(h.sandbox, refused.id)).toEqual(["eyes", "confused"]);
    expect(replyTo(h, issue, refused.id)).toContain(reason);
    expect(tallyCount(h, issue)).toBe(0);
    expect(labelsOf(h.sandbox, issue)).not.toContain(OPEN);
  });

  /** An issue on which alice proposed a ranked vote of alice, bob and carol on three databases. */
  async function databaseVote() {
    h = await startHarness(door);
    const issue = await openIssue(h);
    const proposal = await propose(h, issue, "/propose Which database? method=ranked deadline=2d quorum=2 voters=@alice,@bob,@carol\n- Postgres\n- MySQL\n- SQLite");
    return { issue, proposal };
  }

  it("/propose opens a tally with the parsed question, options, method and settings", async () => {
    const { issue, proposal } = await databaseVote();
    expect(reactionsOn(h.sandbox, proposal.id)).toEqual(["eyes", "+1"]);
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
  });

  it("an open vote is labelled with the yellow vote-open label", async () => {
    const { issue } = await databaseVote();
    expect(labelsOf(h.sandbox, issue)).toContain(OPEN);
    expect(h.sandbox.state.labels().find((label) => label.name === OPEN)).toMatchObject({ color: "fbca04" });
  });

  it("a second /propose while a vote is open is refused", async () => {
    const { issue } = await databaseVote();
    const second = await propose(h, issue, "/propose Another question? voters=@alice,@bob", "trish");
    expect(replyTo(h, issue, second.id)).toContain("a vote is already open here (“Which database?”)");
    expect(tallyCount(h, issue)).toBe(1);
  });

  /** Starts Orkestra where GitHub knows one team, @octo-org/core (bob and Carol), and opens an issue. */
  async function withCoreTeam() {
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
    return openIssue(h);
  }

  it("an unknown team named as voters is refused", async () => {
    const issue = await withCoreTeam();
    const unknown = await propose(h, issue, "/propose Ship it? voters=@alice,@octo-org/ghosts");
    expect(replyTo(h, issue, unknown.id)).toContain("Team @octo-org/ghosts is unknown or has no members Orkestra can see");
  });

  it("a team named as voters is expanded to its members, who vote, when the vote opens", async () => {
    const issue = await withCoreTeam();
    await propose(h, issue, "/propose Ship it? voters=@alice,@octo-org/core");
    expect(tallyOf(h, issue).spec.voters.map((voter) => voter.id)).toEqual(["alice", "bob", "carol"]);
    h.sandbox.as("carol").comment(issue, "/vote yes");
    await h.settle();
    expect(counted(tallyOf(h, issue))).toEqual(["carol: A"]);
  });

  it("/vote without an open vote is answered with how to open one", async () => {
    h = await startHarness(door);
    const issue = await openIssue(h);
    const early = h.sandbox.as("bob").comment(issue, "/vote yes");
    await h.settle();
    expect(replyTo(h, issue, early.id)).toContain("There is no open vote here. Open one with `/propose <question>`");
  });

  /** A yes/no vote of alice, bob and carol: alice votes yes ("ready"), bob no (reason on the next line). */
  async function aliceYesBobNo() {
    h = await startHarness(door);
    const issue = await openIssue(h);
    await propose(h, issue, "/propose Ship it? voters=@alice,@bob,@carol");
    h.sandbox.as("alice").comment(issue, "/vote yes -- ready");
    h.sandbox.as("bob").comment(issue, "/vote No\nthe docs are missing");
    await h.settle();
    return issue;
  }

  /** As aliceYesBobNo; a minute later bob votes yes ("docs landed") and carol votes "maybe". */
  async function bobChangesHisMind() {
    const issue = await aliceYesBobNo();
    h.clock.advance(60_000);
    h.sandbox.as("bob").comment(issue, "/vote yes -- docs landed");
    const bad = h.sandbox.as("carol").comment(issue, "/vote maybe");
    await h.settle();
    return { issue, bad };
  }

  it("people vote yes or no, with a reason", async () => {
    const issue = await aliceYesBobNo();
    expect(counted(tallyOf(h, issue))).toEqual(["alice: A", "bob: B"]);
    expect(tallyOf(h, issue).ballots.find((ballot) => ballot.voter.id === "bob")?.reason).toBe("the docs are missing");
  });

  it("a voter's latest ballot counts", async () => {
    const { issue } = await bobChangesHisMind();
    expect(counted(tallyOf(h, issue))).toEqual(["alice: A", "bob: A"]);
  });

  it("a /vote for a choice that is not an option is answered", async () => {
    const { issue, bad } = await bobChangesHisMind();
    expect(replyTo(h, issue, bad.id)).toContain("“maybe” is not an option.");
  });

  it("the tally comment shows the ballots that count and what closing now would give", async () => {
    const { issue } = await bobChangesHisMind();
    const tally = botComments(h.sandbox, issue).find((body) => body.includes("orkestra:vote "))!;
    expect(tally).toContain("| @\u200bbob | A Yes | docs landed |");
    expect(tally).toContain("If it closed now: passed, Yes.");
  });

  /** A ranked vote of alice and bob on three queues: alice ranks "sqs > kafka", bob "B > B". */
  async function rankedQueueVote() {
    h = await startHarness(door);
    const ranked = await openIssue(h, "Which queue?");
    await propose(h, ranked, "/propose Which queue? method=ranked voters=@alice,@bob\n- Kafka\n- RabbitMQ\n- SQS");
    h.sandbox.as("alice").comment(ranked, "/vote sqs > kafka");
    const single = h.sandbox.as("bob").comment(ranked, "/vote B > B");
    await h.settle();
    return { ranked, single };
  }

  it("people rank options by name in a ranked vote", async () => {
    const { ranked } = await rankedQueueVote();
    expect(counted(tallyOf(h, ranked))).toContain("alice: C>A");
  });

  it("a ranking that names an option twice is answered and not counted", async () => {
    const { ranked, single } = await rankedQueueVote();
    expect(counted(tallyOf(h, ranked))).toEqual(["alice: C>A"]);
    expect(replyTo(h, ranked, single.id)).toContain("appears twice in the ranking");
  });

  /** A vote of alice and bob: alice votes yes, a minute later no in a second comment. */
  async function aliceVotesTwice() {
    h = await startHarness(door);
    const issue = await openIssue(h);
    await propose(h, issue, "/propose Ship it? voters=@alice,@bob");
    const first = h.sandbox.as("alice").comment(issue, "/vote yes");
    await h.settle();
    h.clock.advance(60_000);
    const second = h.sandbox.as("alice").comment(issue, "/vote no -- changed my mind");
    await h.settle();
    expect(counted(tallyOf(h, issue))).toEqual(["alice: B"]);
    return { issue, first, second };
  }

  /** As aliceVotesTwice, then alice edits her second comment to "/vote perhaps". */
  async function aliceEditsToABadChoice() {
    const { issue, first, second } = await aliceVotesTwice();
    h.clock.advance(60_000);
    h.sandbox.as("alice").editComment(second.id, "/vote perhaps");
    await h.settle();
    return { issue, first, second };
  }

  it("editing a ballot comment changes the ballot", async () => {
    const { issue, second } = await aliceVotesTwice();
    h.clock.advance(60_000);
    h.sandbox.as("alice").editComment(second.id, "/vote abstain -- not sure any more");
    await h.settle();
    expect(counted(tallyOf(h, issue))).toEqual(["alice: abstain"]);
  });

  it("an edit to an invalid ballot is answered and withdraws that comment's ballot", async () => {
    const { issue, second } = await aliceEditsToABadChoice();
    expect(replyTo(h, issue, second.id)).toContain("@alice 😕 your edited ballot does not count: “perhaps” is not an option.");
    // The edit withdrew the newer ballot: the earlier comment's ballot counts again.
    expect(counted(tallyOf(h, issue))).toEqual(["alice: A"]);
  });

  it("deleting a ballot comment withdraws its ballot", async () => {
    const { issue, first } = await aliceEditsToABadChoice();
    h.sandbox.as("alice").deleteComment(first.id);
    await h.settle();
    expect(counted(tallyOf(h, issue))).toEqual([]);
    expect(tallyOf(h, issue).ballots).toEqual([]);
  });

  /** A vote of alice and bob on a new issue. */
  async function aliceAndBobVote() {
    h = await startHarness(door);
    const issue = await openIssue(h);
    await propose(h, issue, "/propose Ship it? voters=@alice,@bob");
    return issue;
  }

  it("an edit never re-runs other commands", async () => {
    const issue = await aliceAndBobVote();
    const status = h.sandbox.as("alice").comment(issue, "/status blocked");
    await h.settle();
    h.sandbox.as("alice").editComment(status.id, "/status done");
    await h.settle();
    expect(h.sandbox.state.issue(issue)?.state).toBe("open");
  });

  it("a person not among the voters is told so and not counted", async () => {
    const issue = await aliceAndBobVote();
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

  /** A private repository where /vote needs triage; rita reads, trish triages. */
  async function privateRepoWhereVoteNeedsTriage() {
    h = await startHarness(door, {
      private: true,
      collaborators: { alice: "write", rita: "read", trish: "triage" },
      files: { ".github/orkestra.yml": "commands:\n  permissions:\n    vote: triage\n" },
    });
    return openIssue(h);
  }

  it("on a private repository a reader may not propose", async () => {
    const issue = await privateRepoWhereVoteNeedsTriage();
    const refused = await propose(h, issue, "/propose Ship it? voters=@alice,@rita,@trish", "rita");
    expect(replyTo(h, issue, refused.id)).toContain("@rita needs `triage` permission on this repository for `/propose` (has `read`)");
  });

  /** As privateRepoWhereVoteNeedsTriage, with a vote of alice, rita and trish; rita votes yes. */
  async function readerVotes() {
    const issue = await privateRepoWhereVoteNeedsTriage();
    await propose(h, issue, "/propose Ship it? voters=@alice,@rita,@trish");
    const denied = h.sandbox.as("rita").comment(issue, "/vote yes");
    await h.settle();
    return { issue, denied };
  }

  it("a voter without the permission /vote needs is told so", async () => {
    const { issue, denied } = await readerVotes();
    expect(replyTo(h, issue, denied.id)).toContain("@rita needs `triage` permission on this repository for `/vote` (has `read`)");
  });

  it("a ballot without the permission /vote needs does not count when the ballots are recounted", async () => {
    const { issue } = await readerVotes();
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

  /** A vote of alice, bob and carol, with trish listed in `maintainers`; alice and bob vote yes. */
  async function twoYesOfThree() {
    h = await startHarness(door, { files: { ".github/orkestra.yml": "maintainers: [trish]\n" } });
    const issue = await openIssue(h);
    await propose(h, issue, "/propose Use Postgres? voters=@alice,@bob,@carol");
    h.sandbox.as("alice").comment(issue, "/vote yes");
    h.sandbox.as("bob").comment(issue, "/vote yes");
    await h.settle();
    return issue;
  }

  /** As twoYesOfThree, then trish closes the vote. */
  async function closedByTrish() {
    const issue = await twoYesOfThree();
    // Trish has only triage permission but is listed in `maintainers`.
    const close = h.sandbox.as("trish").comment(issue, "/close-vote");
    await h.settle();
    return { issue, close };
  }

  it("/close-vote is refused for someone who is not a maintainer", async () => {
    const issue = await twoYesOfThree();
    const early = h.sandbox.as("alice").comment(issue, "/close-vote");
    await h.settle();
    expect(replyTo(h, issue, early.id)).toContain("Only maintainers can close a vote early");
    expect(tallyOf(h, issue).phase).toBe("open");
  });

  it("a listed maintainer closes a vote with /close-vote", async () => {
    const { issue, close } = await closedByTrish();
    expect(reactionsOn(h.sandbox, close.id)).toEqual(["eyes", "+1"]);
    const state = tallyOf(h, issue);
    expect(state).toMatchObject({ phase: "closed", closed: { by: "trish" }, result: { status: "passed", winner: "A" } });
  });

  it("a closed vote's outcome is labelled in place of vote-open", async () => {
    const { issue } = await closedByTrish();
    expect(labelsOf(h.sandbox, issue)).toContain("decision:yes");
    expect(labelsOf(h.sandbox, issue)).not.toContain(OPEN);
    expect(h.sandbox.state.labels().find((label) => label.name === "decision:yes")).toMatchObject({ color: "0e8a16", description: "Vote decided: Yes" });
  });

  it("closing a vote is audited on the task card", async () => {
    const { issue } = await closedByTrish();
    expect(cardOf(h, issue)?.history.at(-1)).toMatchObject({ by: "trish", what: "vote closed: passed: Yes (majority)" });
  });

  it("a closed vote's tally says it is final", async () => {
    const { issue } = await closedByTrish();
    expect(botComments(h.sandbox, issue).find((body) => body.includes("orkestra:vote "))).toContain("This tally is final.");
  });

  it("a ballot cast after the vote closed is answered and not counted", async () => {
    const { issue } = await closedByTrish();
    const late = h.sandbox.as("carol").comment(issue, "/vote no");
    await h.settle();
    expect(replyTo(h, issue, late.id)).toContain("There is no open vote here");
    expect(counted(tallyOf(h, issue))).toEqual(["alice: A", "bob: A"]);
  });

  it("/close-vote <option> lets a maintainer decide a failed vote", async () => {
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
  });

  /** A vote trish (triage) proposed. */
  async function trishsVote() {
    h = await startHarness(door);
    const other = await openIssue(h, "Second");
    await propose(h, other, "/propose Rename the project? voters=@alice,@bob", "trish");
    return other;
  }

  it("/cancel-vote is refused for someone who is neither the proposer nor a maintainer", async () => {
    const other = await trishsVote();
    const notYours = h.sandbox.as("alice").comment(other, "/cancel-vote");
    await h.settle();
    expect(replyTo(h, other, notYours.id)).toContain("Only the person who proposed the vote or a maintainer can cancel it");
  });

  it("the proposer cancels a vote with /cancel-vote, leaving no vote label and an audit line", async () => {
    const other = await trishsVote();
    h.sandbox.as("trish").comment(other, "/cancel-vote");
    await h.settle();
    expect(tallyOf(h, other)).toMatchObject({ phase: "cancelled", cancelled: { by: "trish" } });
    expect(labelsOf(h.sandbox, other).filter((label) => label.startsWith("decision:") || label === OPEN)).toEqual([]);
    expect(cardOf(h, other)?.history.at(-1)).toMatchObject({ by: "trish", what: "vote cancelled (majority)" });
  });

  /** A one-day vote of alice, bob and carol (30% participation) in which alice votes no. */
  async function oneDayVote() {
    h = await startHarness(door);
    const issue = await openIssue(h);
    await propose(h, issue, "/propose Ship it? deadline=1d participation=30% voters=@alice,@bob,@carol");
    h.sandbox.as("alice").comment(issue, "/vote no");
    await h.settle();
    return issue;
  }

  /** As oneDayVote; 25 hours later bob votes yes, then the sweep runs. */
  async function sweptAfterTheDeadline() {
    const issue = await oneDayVote();
    h.clock.advance(25 * 3_600_000);
    const late = h.sandbox.as("bob").comment(issue, "/vote yes");
    await h.settle();
    await h.sweep();
    return { issue, late };
  }

  it("the sweep leaves a vote open before its deadline", async () => {
    const issue = await oneDayVote();
    await h.sweep();
    expect(tallyOf(h, issue).phase).toBe("open");
  });

  it("a ballot cast after the deadline is answered and not counted", async () => {
    const { issue, late } = await sweptAfterTheDeadline();
    expect(replyTo(h, issue, late.id)).toContain("voting ended at 2026-11-22 09:00 UTC; this ballot is not counted");
    expect(counted(tallyOf(h, issue))).toEqual(["alice: B"]);
  });

  it("the sweep closes a due vote at its deadline, labelled and audited", async () => {
    const { issue } = await sweptAfterTheDeadline();
    const state = tallyOf(h, issue);
    expect(state).toMatchObject({ phase: "closed", closed: { by: null }, result: { status: "passed", winner: "B" } });
    expect(labelsOf(h.sandbox, issue)).toContain("decision:no");
    expect(labelsOf(h.sandbox, issue)).not.toContain(OPEN);
    expect(cardOf(h, issue)?.history.at(-1)).toMatchObject({ by: "orkestra", what: "vote closed: passed: No (majority)" });
  });

  it("sweeping a closed vote again changes nothing", async () => {
    const { issue } = await sweptAfterTheDeadline();
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

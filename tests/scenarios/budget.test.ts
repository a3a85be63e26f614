import { afterEach, describe, expect, it } from "vitest";
import { parseVoteComment } from "../../src/domain/consensus/index.js";
import { scriptedAgentsConfig } from "../support/config.js";
import { botComments, DOORS, startHarness, type Harness } from "../support/harness.js";

// Each scripted ballot costs ~1,200 tokens; the worst case the budget checks is bigger.
const CONFIG = scriptedAgentsConfig({ alpha: {}, beta: {} }, "budgets:\n  perDay: { maxTokens: 4000 }\n");

function tallies(h: Harness, issue: number) {
  return botComments(h.sandbox, issue).map(parseVoteComment).filter((vote) => vote !== null);
}

describe.each(DOORS)("the per-day agent budget, through the %s", (door) => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("is kept in GitHub across runs and stops the agents once spent, with the reason on record", async () => {
    h = await startHarness(door, { files: { ".github/orkestra.yml": CONFIG } });
    const first = h.sandbox.as("alice").openIssue({ title: "First question" });
    await h.settle();
    h.sandbox.as("alice").comment(first.number, "/propose Ship it? voters=alpha,beta");
    await h.settle();
    const spent = tallies(h, first.number)[0]!;
    expect(spent.ballots.filter((ballot) => ballot.choice !== "abstain").length).toBeGreaterThan(0);
    expect(h.sandbox.state.refs().some((ref) => ref.ref === "refs/orkestra/usage/2026-11-21")).toBe(true);

    const second = h.sandbox.as("alice").openIssue({ title: "Second question" });
    await h.settle();
    h.sandbox.as("alice").comment(second.number, "/propose Ship that too? voters=alpha,beta");
    await h.settle();
    const refused = tallies(h, second.number)[0]!;
    expect(refused.ballots.length).toBeGreaterThan(0);
    for (const ballot of refused.ballots) {
      expect(ballot.choice).toBe("abstain");
      expect(ballot.reason).toMatch(/budget/i);
    }
  });
});

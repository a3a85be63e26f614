/**
 * Issue 12, item 9: an outage is not a vote. An agent that gave no answer (a provider outage,
 * output that never matched the schema) is recorded as "no answer": the round moves on, the
 * tally names it, and it never makes quorum. An agent that answers `abstain` still takes part.
 */
import { afterEach, describe, expect, it } from "vitest";
import { type AgentCall } from "../../src/agents/index.js";
import { registerScriptedResponder } from "../../tools/scripted/index.js";
import { scriptedAgentsConfig } from "../support/config.js";
import { botComments, DOORS, labelsOf, startHarness, type Harness } from "../support/harness.js";
import { tallyOf } from "../votes/support.js";

const AGENTS = scriptedAgentsConfig({ alpha: {}, beta: {}, gamma: {} }, "maintainers: [mona]\n");
/** Beta's provider is down (every attempt a 503); gamma never answers in the schema. */
const CONFIG = AGENTS.replace("    beta:\n      provider: scripted", "    beta:\n      provider: scripted\n      maxRetries: 0\n      scripted: { failures: 99 }").replace(
  "    gamma:\n      provider: scripted",
  "    gamma:\n      provider: scripted\n      scripted: { invalidOutputs: 99 }",
);
/** Only gamma fails; beta answers, and a test may have it abstain on purpose. */
const GAMMA_ONLY = AGENTS.replace("    gamma:\n      provider: scripted", "    gamma:\n      provider: scripted\n      scripted: { invalidOutputs: 99 }");

const cleanups: Array<() => void> = [];

function ballots(byAgent: Record<string, { choice: string; reason: string }>): () => void {
  return registerScriptedResponder("vote", (_call: AgentCall<unknown>, { agent }) => byAgent[agent] ?? { choice: "Yes", reason: "fine" });
}

async function propose(h: Harness, text: string): Promise<number> {
  const issue = h.sandbox.as("alice").openIssue({ title: "Release plan", body: "Ship on Friday?" });
  await h.settle();
  h.sandbox.as("alice").comment(issue.number, text);
  await h.settle();
  return issue.number;
}

describe.each(DOORS)("agents that gave no answer, through the %s", (door) => {
  let h: Harness;
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    expect(h.sandbox.violations).toEqual([]);
    await h.close();
  });

  it("an outage and invalid output do not make quorum, and the tally says who gave no answer", async () => {
    h = await startHarness(door, { files: { ".github/orkestra.yml": CONFIG } });
    cleanups.push(ballots({ alpha: { choice: "Yes", reason: "the tests are green" } }));
    const issue = await propose(h, "/propose Release on Friday? method=plurality quorum=2 deadline=2h voters=alpha,beta,gamma");

    const open = tallyOf(h, issue);
    const recorded = open.ballots.map((b) => `${b.round} ${b.voter.id}: ${b.choice === "abstain" ? "abstain" : b.choice.join(">")}${b.noAnswer ? " (no answer)" : ""}`);
    expect(recorded).toEqual(["1 alpha: A", "1 beta: abstain (no answer)", "1 gamma: abstain (no answer)"]);
    const tally = botComments(h.sandbox, issue).find((body) => body.includes("orkestra:vote "))!;
    expect(tally).toContain("**Participation:** 1 of 3 voted; no answer from beta, gamma (not counted); quorum 2 and 50% of the voters ⏳ not met");
    expect(tally).toMatch(/\| beta \(agent\) \| _no answer_ \|/);
    expect(tally).toContain("If it closed now: not enough participation.");

    h.clock.advance(3 * 3_600_000);
    await h.sweep();
    const closed = tallyOf(h, issue);
    expect(closed).toMatchObject({
      phase: "closed",
      result: { status: "no-quorum", participation: { eligible: 3, cast: 1, abstained: 0, noAnswer: ["beta", "gamma"], quorumMet: false } },
    });
    expect(closed.result?.reason).toContain("No answer from beta, gamma, which does not count.");
    expect(labelsOf(h.sandbox, issue)).toContain("decision:no-quorum");
  });

  it("an agent that answers abstain takes part; one that gave no answer does not", async () => {
    h = await startHarness(door, { files: { ".github/orkestra.yml": GAMMA_ONLY } });
    cleanups.push(ballots({ alpha: { choice: "Yes", reason: "ship it" }, beta: { choice: "abstain", reason: "no opinion" } }));
    const issue = await propose(h, "/propose Release on Friday? method=plurality quorum=2 deadline=2h voters=alpha,beta,gamma");
    h.clock.advance(3 * 3_600_000);
    await h.sweep();
    expect(tallyOf(h, issue)).toMatchObject({
      phase: "closed",
      result: { status: "passed", winner: "A", participation: { cast: 2, abstained: 1, noAnswer: ["gamma"], quorumMet: true } },
    });
  });

  // Issue 12, item 8, at the vote door: what an agent says reaches the tally (text and metadata) redacted.
  it("a key in an agent's reason is masked in the tally and its metadata", async () => {
    const key = "ghp_abcdefghijklmnopqrstuvwxyz0123";
    h = await startHarness(door, { files: { ".github/orkestra.yml": GAMMA_ONLY } });
    cleanups.push(ballots({ alpha: { choice: "Yes", reason: `deploy with ${key} works` }, beta: { choice: "Yes", reason: "fine" } }));
    const issue = await propose(h, "/propose Release on Friday? method=plurality voters=alpha,beta,gamma");
    const bodies = botComments(h.sandbox, issue);
    expect(bodies.some((body) => body.includes("orkestra:vote "))).toBe(true);
    expect(bodies.join("\n")).not.toContain(key);
    expect(tallyOf(h, issue).ballots.find((b) => b.voter.id === "alpha")?.reason).toBe("deploy with [REDACTED] works");
  });
});

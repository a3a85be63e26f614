/**
 * A degraded agent is not given work, and the reason says until when: in the score's words, and
 * through the Action door from one run to the next, where only the day's usage record in GitHub
 * connects the two runs.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ineligibility, rankAgents, type AgentFacts } from "../../src/domain/assignment/score.js";
import { parseCard } from "../../src/domain/task/card.js";
import { botComments, startHarness, type Harness } from "../support/harness.js";

const weights = { workloadPenalty: 10, maxPerAgent: 3 };
const fact = (overrides: Partial<AgentFacts> = {}): AgentFacts => ({
  name: "claude",
  specialties: [],
  held: 0,
  degraded: false,
  successRate: 1,
  calls: 0,
  meanLatencyMs: 0,
  budgetLeft: null,
  ...overrides,
});

describe("the reason a degraded agent gets no work", () => {
  it("names until when its circuit is open and after how many failures", () => {
    const degraded = fact({ degraded: true, degradedUntil: "2026-11-21T10:05:00.000Z", consecutiveFailures: 3 });
    expect(ineligibility(degraded, weights)).toBe("degraded (circuit open until 10:05 UTC after 3 consecutive failures)");
    expect(rankAgents([degraded], { type: "bug", labels: [], avoid: [] }, weights)[0]!.ineligible).toContain("until 10:05 UTC");
  });

  it("says what it knows when the time is not known", () => {
    expect(ineligibility(fact({ degraded: true }), weights)).toBe("degraded after repeated failures");
    expect(ineligibility(fact({ degraded: true, consecutiveFailures: 2 }), weights)).toBe("degraded after 2 consecutive failures");
  });
});

/** alpha is the research specialist but its provider is down; beta is healthy. One outage opens a breaker for ten minutes. */
const CONFIG = [
  "agents:",
  ...["claude", "chatgpt", "gemini", "grok", "copilot"].map((name) => `  ${name}: { enabled: false }`),
  "  resilience:",
  "    breakerThreshold: 1",
  "    breakerCooldownMs: 600000",
  "  custom:",
  "    alpha:",
  "      provider: scripted",
  "      model: scripted",
  "      specialties: [research]",
  "      maxRetries: 0",
  "      scripted: { failures: 99 }",
  "    beta:",
  "      provider: scripted",
  "      model: scripted",
  "maintainers: [mona]",
  "",
].join("\n");

describe("an agent's health lasts from one Action run to the next", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("run 1: alpha fails and its breaker opens; run 2 (a new process): alpha is degraded, assignment skips it and says so", async () => {
    h = await startHarness("action", { files: { ".github/orkestra.yml": CONFIG } });
    // Run 1: a vote asks both agents; alpha's provider answers 503.
    const vote = h.sandbox.as("alice").openIssue({ title: "Release plan", body: "Ship on Friday?" });
    await h.settle();
    h.sandbox.as("alice").comment(vote.number, "/propose Release on Friday? method=plurality quorum=1 deadline=2h voters=alpha,beta");
    await h.settle();
    const record = h.sandbox.state.refs().find((ref) => ref.ref === "refs/orkestra/usage/2026-11-21");
    expect(record).toBeDefined();
    const tally = botComments(h.sandbox, vote.number).find((body) => body.includes("orkestra:vote "))!;
    expect(tally).toContain("no answer from alpha");

    // Run 2, a minute later: nothing of run 1 is in memory (each Action run builds its own agents).
    h.clock.advance(60_000);
    const task = h.sandbox.as("alice").openIssue({ title: "Survey", body: "### Type\n\nresearch\n\n### Priority\n\nhigh" });
    await h.settle();
    h.sandbox.as("alice").comment(task.number, "/assign alpha");
    await h.settle();
    const refusal = botComments(h.sandbox, task.number).find((body) => body.includes("orkestra:reply-"))!;
    expect(refusal).toContain("`alpha` cannot take it: degraded (circuit open until 09:10 UTC after 1 consecutive failures)");

    // Without a name the specialist would win; degraded, it is skipped for beta.
    h.sandbox.as("alice").comment(task.number, "/assign");
    await h.settle();
    const card = botComments(h.sandbox, task.number).map(parseCard).find((meta) => meta !== null)!;
    expect(card.agent?.name).toBe("beta");
  }, 60_000);

  it("a vote in a later run names the degraded agent as degraded, not as an error", async () => {
    h = await startHarness("action", { files: { ".github/orkestra.yml": CONFIG } });
    const first = h.sandbox.as("alice").openIssue({ title: "Release plan", body: "Ship on Friday?" });
    await h.settle();
    h.sandbox.as("alice").comment(first.number, "/propose Release on Friday? method=plurality quorum=1 deadline=2h voters=alpha,beta");
    await h.settle();
    h.clock.advance(60_000);
    const second = h.sandbox.as("alice").openIssue({ title: "Freeze", body: "Freeze on Thursday?" });
    await h.settle();
    h.sandbox.as("alice").comment(second.number, "/propose Freeze on Thursday? method=plurality quorum=1 deadline=2h voters=alpha,beta");
    await h.settle();
    const tally = botComments(h.sandbox, second.number).find((body) => body.includes("orkestra:vote "))!;
    expect(tally).toMatch(/alpha.{0,4} is degraded \(skipped until 09:10 UTC\)/);
    expect(tally).not.toContain("503");
  }, 60_000);
});

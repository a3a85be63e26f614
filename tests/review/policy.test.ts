import { describe, expect, it } from "vitest";
import { agentsAndPeopleReadiness, decideReview } from "../../src/domain/review/policy.js";
import type { PolicyOptions } from "../../src/domain/review/policy.js";
import type { AgentOutcome } from "../../src/domain/review/schema.js";
import { abstain, finding, ok } from "./fixtures.js";

const options: PolicyOptions = {
  allowApprove: true,
  labels: { blocked: "review:blocked", needsClarification: "review:needs-clarification", approved: "" },
  maintainers: ["octocat", "@my-org/maintainers"],
};

const BLOCKED = "review:blocked";
const CLARIFY = "review:needs-clarification";

describe("decideReview: the policy table", () => {
  it.each<[string, AgentOutcome[], Partial<PolicyOptions>, object]>([
    [
      "any blocker",
      [ok("a", "approve"), ok("b", "blocker"), ok("c", "approve")],
      {},
      { outcome: "blocked", event: "REQUEST_CHANGES", conclusion: "failure", labelsToAdd: [BLOCKED], labelsToRemove: [CLARIFY], mention: ["octocat", "my-org/maintainers"] },
    ],
    [
      "a blocker finding under an approve verdict",
      [ok("a", "approve", [finding({ file: "x.ts", line: 1, severity: "blocker" })]), ok("b", "approve")],
      {},
      { outcome: "blocked", event: "REQUEST_CHANGES", conclusion: "failure" },
    ],
    [
      "majority of concerns",
      [ok("a", "concern"), ok("b", "concern"), ok("c", "approve")],
      {},
      { outcome: "needs-clarification", event: "COMMENT", conclusion: "action_required", labelsToAdd: [CLARIFY], labelsToRemove: [BLOCKED], mention: [] },
    ],
    [
      "a single concern",
      [ok("a", "approve"), ok("b", "concern"), ok("c", "approve")],
      {},
      { outcome: "concern", event: "COMMENT", conclusion: "neutral", labelsToAdd: [], labelsToRemove: [BLOCKED, CLARIFY] },
    ],
    ["half concerns is not a majority", [ok("a", "concern"), ok("b", "approve")], {}, { outcome: "concern", conclusion: "neutral" }],
    [
      "all approve",
      [ok("a", "approve"), ok("b", "approve")],
      {},
      { outcome: "approved", event: "APPROVE", conclusion: "success", labelsToAdd: [], labelsToRemove: [BLOCKED, CLARIFY], title: "Approved by 2 of 2 agents" },
    ],
    ["all approve, approving forbidden", [ok("a", "approve"), ok("b", "approve")], { allowApprove: false }, { outcome: "approved", event: "COMMENT", conclusion: "success" }],
    [
      "all approve with an approved label",
      [ok("a", "approve")],
      { labels: { ...options.labels, approved: "review:approved" } },
      { labelsToAdd: ["review:approved"], labelsToRemove: [BLOCKED, CLARIFY] },
    ],
    [
      "all abstain",
      [abstain("a"), abstain("b", "invalid")],
      {},
      { outcome: "no-verdict", event: "COMMENT", conclusion: "neutral", labelsToAdd: [], labelsToRemove: [], mention: [] },
    ],
    ["all abstain, stricter setting", [abstain("a")], { noVerdictConclusion: "action_required" }, { outcome: "no-verdict", conclusion: "action_required" }],
    ["no agents at all", [], {}, { outcome: "no-verdict", event: "COMMENT" }],
    [
      "mixed with missing agents: approvals carry",
      [ok("a", "approve"), abstain("b"), ok("c", "approve")],
      {},
      { outcome: "approved", event: "APPROVE", counts: { approve: 2, concern: 0, blocker: 0, answered: 2, missing: 1 } },
    ],
    ["mixed with missing agents: below quorum", [ok("a", "approve"), abstain("b"), abstain("c")], { quorum: 2 }, { outcome: "no-verdict", conclusion: "neutral" }],
    ["a blocker counts even below quorum", [ok("a", "blocker"), abstain("b")], { quorum: 2 }, { outcome: "blocked" }],
    ["one agent's concern is a majority of one", [ok("a", "concern"), abstain("b")], {}, { outcome: "needs-clarification" }],
  ])("%s", (_name, outcomes, overrides, expected) => {
    expect(decideReview(outcomes, { ...options, ...overrides })).toMatchObject(expected);
  });

  it("lists abstentions with their reason", () => {
    const decision = decideReview([ok("a", "approve"), abstain("b", "error")], options);
    expect(decision.missing).toEqual([{ agent: "b", status: "error", error: "b did not answer in time" }]);
    expect(decision.verdicts).toEqual([{ agent: "a", verdict: "approve" }]);
  });
});

describe("merge readiness", () => {
  const concern = [ok("a", "approve"), ok("b", "concern"), ok("c", "approve")];

  it("follows the agents alone by default and keeps the policy's conclusion", () => {
    const decision = decideReview(concern, options, { votes: [{ login: "alice", vote: "reject" }] });
    expect(decision.mergeReadiness).toMatchObject({ method: "agents", ready: true });
    expect(decision.conclusion).toBe("neutral");
  });

  it.each([
    ["a person's reject vetoes", [ok("a", "approve")], [{ login: "alice", vote: "reject" }], false],
    ["an agent blocker vetoes without a person's approval", [ok("a", "blocker"), ok("b", "approve")], [], false],
    ["a person's approval overrides an agent blocker", [ok("a", "blocker"), ok("b", "approve")], [{ login: "alice", vote: "approve" }], true],
    ["approvals must outnumber concerns", [ok("a", "concern"), ok("b", "concern"), ok("c", "approve")], [], false],
    ["people's approvals count", [ok("a", "concern"), ok("b", "concern"), ok("c", "approve")], [{ login: "x", vote: "approve" }, { login: "y", vote: "approve" }], true],
  ] as const)("agents-and-people: %s", (_name, outcomes, votes, ready) => {
    const decision = decideReview(outcomes, { ...options, mergeReadiness: "agents-and-people" }, { votes });
    expect(decision.mergeReadiness.ready).toBe(ready);
    expect(decision.conclusion).toBe(ready ? "success" : decision.outcome === "blocked" ? "failure" : "action_required");
  });

  it("uses the injected consensus method and says how", () => {
    const decision = decideReview(concern, { ...options, mergeReadiness: "consensus" }, {
      votes: [{ login: "alice", vote: "approve" }],
      combine: (verdicts, votes) => ({ ready: verdicts.length === 3 && votes.length === 1, explanation: "supermajority reached" }),
    });
    expect(decision.mergeReadiness).toEqual({ method: "consensus", ready: true, explanation: "supermajority reached" });
    expect(decision.conclusion).toBe("success");
    expect(decision.event).toBe("COMMENT");
  });

  it("is not ready when the consensus method is missing", () => {
    const decision = decideReview([ok("a", "approve")], { ...options, mergeReadiness: "consensus" });
    expect(decision.mergeReadiness.ready).toBe(false);
    expect(decision.conclusion).toBe("action_required");
  });

  it("explains the built-in rule's outcome", () => {
    expect(agentsAndPeopleReadiness([{ agent: "a", verdict: "approve" }], [{ login: "bob", vote: "reject" }]).explanation).toBe("Rejected by @bob.");
  });
});

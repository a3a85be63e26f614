import { describe, expect, it } from "vitest";
import { consensusReadiness } from "../../src/handlers/review/readiness.js";
import type { AgentVerdict, PersonVote } from "../../src/domain/review/policy.js";

const agents = (...verdicts: Array<[string, AgentVerdict["verdict"]]>): AgentVerdict[] => verdicts.map(([agent, verdict]) => ({ agent, verdict }));
const people = (...votes: Array<[string, PersonVote["vote"]]>): PersonVote[] => votes.map(([login, vote]) => ({ login, vote }));

describe("merge readiness by a consensus method", () => {
  const settings = { threshold: 0.75, weights: {}, source: "test" } as const;

  const majority = () => consensusReadiness({ ...settings, method: "majority" });

  it("majority: agents' and people's approvals carry against fewer rejects", () => {
    const ready = majority()(agents(["a", "approve"], ["b", "concern"], ["c", "approve"]), people(["alice", "reject"]));
    expect(ready.ready).toBe(true);
    expect(ready.explanation).toMatch(/^Majority \(test\) over 4 ballot\(s\) of agents and people: Approve carried\./);
  });

  it("majority: a concern abstains, counting neither as an approval nor as a reject", () => {
    const combine = majority();
    expect(combine(agents(["a", "approve"], ["b", "concern"]), people(["alice", "reject"]))).toMatchObject({ ready: false });
    expect(combine(agents(["a", "approve"], ["b", "concern"], ["c", "approve"]), people(["alice", "reject"])).ready).toBe(true);
  });

  it("majority: an agent's blocker counts with a person's reject", () => {
    expect(majority()(agents(["a", "blocker"]), people(["alice", "reject"])).explanation).toContain("Reject carried");
  });

  it("unanimous and supermajority need more than a majority", () => {
    const verdicts = agents(["a", "approve"], ["b", "approve"], ["c", "blocker"]);
    expect(consensusReadiness({ ...settings, method: "unanimous" })(verdicts, []).ready).toBe(false);
    expect(consensusReadiness({ ...settings, method: "supermajority" })(verdicts, []).ready).toBe(false);
    expect(consensusReadiness({ ...settings, method: "supermajority", threshold: 0.66 })(verdicts, []).ready).toBe(true);
  });

  it("weighted: an agent's configured weight and a person's weight from the vote count", () => {
    const combine = consensusReadiness({ ...settings, method: "weighted", weights: { claude: 3, "@alice": 1 } });
    expect(combine(agents(["claude", "approve"]), people(["alice", "reject"], ["bob", "reject"])).ready).toBe(true);
    expect(combine(agents(["claude", "concern"]), people(["alice", "reject"], ["bob", "approve"])).ready).toBe(false);
  });

  it("nobody to count is not ready", () => {
    expect(consensusReadiness({ ...settings, method: "majority" })([], [])).toEqual({ ready: false, explanation: "Nobody has voted and no agent answered." });
  });
});

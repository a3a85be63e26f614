import { describe, expect, it } from "vitest";
import { votingConfigSchema } from "../../src/config/voting.js";
import { parseProposal } from "../../src/domain/consensus/parse-proposal.js";
import type { Proposal } from "../../src/domain/consensus/parse-proposal.js";
import { buildVoteSpec, teamsToResolve } from "../../src/domain/consensus/spec.js";
import type { SpecContext, VotingDefaults } from "../../src/domain/consensus/spec.js";
import { T0 } from "./fixtures.js";

// The handler adds the top-level `maintainers` to the voting section (voting.maintainers was removed).
const config: VotingDefaults = {
  ...votingConfigSchema.parse({
    voters: ["claude", "gemini", "@alice"],
    weights: { claude: { default: 2, byTaskType: { research: 3 } }, "@Alice": 0.5 },
  }),
  maintainers: ["@boss"],
};

function ctx(overrides: Partial<SpecContext> = {}): SpecContext {
  return {
    config,
    now: new Date(T0),
    proposer: "Alice",
    target: "issue",
    knownAgents: ["claude", "gemini", "grok"],
    teams: { "org/core": ["Dana", "erin"] },
    ...overrides,
  };
}

function proposal(text: string): Proposal {
  const [args = "", ...block] = text.split("\n");
  const parsed = parseProposal(args, block);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

describe("buildVoteSpec", () => {
  it("fills defaults from config: method, deadline, voters, yes/no, weights snapshot", () => {
    const result = buildVoteSpec(proposal("Adopt Postgres?"), ctx());
    expect(result).toEqual({
      ok: true,
      value: {
        question: "Adopt Postgres?",
        options: [
          { id: "A", label: "Yes" },
          { id: "B", label: "No" },
        ],
        method: "majority",
        threshold: 0.75,
        voters: [
          { id: "claude", kind: "agent" },
          { id: "gemini", kind: "agent" },
          { id: "alice", kind: "person" },
        ],
        quorum: 1,
        minParticipation: 0.5,
        deadline: "2026-11-22T12:00:00.000Z",
        createdAt: T0,
        proposer: "alice",
        maxRounds: 3,
        weights: { claude: 2, "@alice": 0.5 },
        compromiseAgent: null,
        maintainers: ["boss"],
        target: "issue",
        taskType: null,
      },
    });
  });

  const researchPullRequest = () => buildVoteSpec(proposal("Merge?"), ctx({ target: "pull-request", taskType: "research" }));

  it("a pull request defaults to Approve/Reject", () => {
    const result = researchPullRequest();
    expect(result.ok && result.value.options.map((o) => o.label)).toEqual(["Approve", "Reject"]);
  });

  it("per-task-type weights apply", () => {
    const result = researchPullRequest();
    expect(result.ok && result.value.weights).toEqual({ claude: 3, "@alice": 0.5 });
  });

  const withTeam = () => proposal("Go? voters=@org/core,@dana,claude");

  it("a team named among the voters is looked up", () => {
    expect(teamsToResolve(withTeam(), config)).toEqual([{ org: "org", slug: "core" }]);
  });

  it("a team expands to its members", () => {
    const result = buildVoteSpec(withTeam(), ctx());
    expect(result.ok && result.value.voters).toEqual(
      expect.arrayContaining([
        { id: "dana", kind: "person" },
        { id: "erin", kind: "person" },
      ]),
    );
  });

  it("a voter named both alone and through a team is a voter once", () => {
    const result = buildVoteSpec(withTeam(), ctx());
    expect(result.ok && result.value.voters).toEqual([
      { id: "dana", kind: "person" },
      { id: "erin", kind: "person" },
      { id: "claude", kind: "agent" },
    ]);
  });

  const withSettings = () =>
    buildVoteSpec(proposal("Go? method=supermajority threshold=2/3 quorum=2 participation=100% rounds=5 deadline=2026-11-25T09:00Z"), ctx());

  it("a deadline date is kept", () => {
    expect(withSettings()).toMatchObject({ ok: true, value: { deadline: "2026-11-25T09:00:00.000Z" } });
  });

  it("the settings given win over config", () => {
    expect(withSettings()).toMatchObject({
      ok: true,
      value: { method: "supermajority", threshold: 2 / 3, quorum: 2, minParticipation: 1, maxRounds: 5 },
    });
  });

  it("the default quorum is capped at the number of voters", () => {
    const big = { ...config, quorum: 10 };
    expect(buildVoteSpec(proposal("Go? voters=@a,@b"), ctx({ config: big }))).toMatchObject({ ok: true, value: { quorum: 2 } });
  });

  const withBareConfig = () => {
    const bare: VotingDefaults = { ...config, maintainers: [], compromiseAgent: "nobody" };
    return buildVoteSpec(proposal("Go?"), ctx({ config: bare, fallbackMaintainers: ["@lead"] }));
  };

  it("falls back to the top-level maintainers", () => {
    expect(withBareConfig()).toMatchObject({ ok: true, value: { maintainers: ["lead"] } });
  });

  it("ignores an unknown compromise agent", () => {
    expect(withBareConfig()).toMatchObject({ ok: true, value: { compromiseAgent: null } });
  });

  it.each<[string, Partial<SpecContext>, string, string]>([
    ["Go? voters=claud", {}, "unknown-agent", "Did you mean “claude”? People are written with @ (@claud)"],
    ["Go? voters=@org/ghosts", {}, "unknown-team", "Team @org/ghosts is unknown"],
    ["Go? threshold=80%", {}, "threshold-without-supermajority", "Add method=supermajority"],
    ["Go? quorum=4", {}, "quorum-too-high", "quorum=4 is more than the 3 voters"],
    ["Go? deadline=2026-11-01", {}, "bad-deadline", "has already passed"],
    ["Go? deadline=2027-06-01", {}, "bad-deadline", "more than 90 days away"],
    ["Go?", { config: { ...config, voters: [] } }, "no-voters", "set voting.voters"],
    ["Go?", { config: { ...config, defaultDeadline: "0h" } }, "bad-config", "voting.defaultDeadline"],
    ["Go?", { config: { ...config, voters: ["bad voter"] } }, "bad-config", "voting.voters"],
  ])("%s → %s", (text, overrides, code, message) => {
    const result = buildVoteSpec(proposal(text), ctx(overrides));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(code);
    expect(result.error.message).toContain(message);
  });

  it("more than 50 voters is refused", () => {
    const members = Array.from({ length: 51 }, (_, i) => `p${i}`);
    const result = buildVoteSpec(proposal("Go? voters=@org/all"), ctx({ teams: { "org/all": members } }));
    expect(result).toMatchObject({ ok: false, error: { code: "too-many-voters" } });
  });
});

describe("votingConfigSchema", () => {
  it("an empty section yields the documented defaults", () => {
    expect(votingConfigSchema.parse({})).toEqual({
      defaultMethod: "majority",
      supermajorityThreshold: 0.75,
      defaultDeadline: "48h",
      quorum: 1,
      minParticipation: 0.5,
      maxRounds: 3,
      voters: [],
      weights: {},
      compromiseAgent: null,
      openLabel: "orkestra:vote-open",
    });
  });

  it("its type is what buildVoteSpec needs", () => {
    const defaults: VotingDefaults = { ...votingConfigSchema.parse({}), maintainers: [] };
    expect(defaults.defaultMethod).toBe("majority");
  });

  it.each([
    [{ unknownKey: 1 }, "unknownKey"],
    [{ defaultMethod: "borda" }, "defaultMethod"],
    [{ supermajorityThreshold: 0.5 }, "supermajorityThreshold"],
    [{ defaultDeadline: "2 days" }, "defaultDeadline"],
    [{ defaultDeadline: "0h" }, "defaultDeadline"],
    [{ minParticipation: 1.5 }, "minParticipation"],
    [{ maxRounds: 0 }, "maxRounds"],
    [{ voters: ["claude", "not a voter"] }, "voters"],
    [{ weights: { claude: -1 } }, "weights"],
    [{ weights: { claude: { default: 1, extra: 2 } } }, "weights"],
    [{ maintainers: ["has space"] }, "maintainers"],
  ])("refuses %j", (input, key) => {
    const result = votingConfigSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain(key);
  });

  it("every key is described (the README's configuration reference is generated from them)", () => {
    for (const [key, field] of Object.entries(votingConfigSchema.shape)) {
      expect(field.description, key).toBeTruthy();
    }
  });
});

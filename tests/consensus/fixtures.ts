/** Builders shared by the consensus tests. */
import { makeOptions } from "../../src/domain/consensus/options.js";
import { openVote } from "../../src/domain/consensus/state.js";
import type { Ballot, Voter, VoteSpec, VoteState } from "../../src/domain/consensus/types.js";

export const T0 = "2026-11-20T12:00:00.000Z";
export const DEADLINE = "2026-11-22T12:00:00.000Z";

export function at(minutes: number): string {
  return new Date(Date.parse(T0) + minutes * 60_000).toISOString();
}

/** `claude` is an agent, `@alice` a person. */
export function voter(name: string): Voter {
  return name.startsWith("@") ? { id: name.slice(1), kind: "person" } : { id: name, kind: "agent" };
}

export function makeSpec(overrides: Partial<VoteSpec> & { labels?: string[]; voterNames?: string[] } = {}): VoteSpec {
  const { labels = ["Yes", "No"], voterNames = ["@alice", "@bob", "@carol"], ...rest } = overrides;
  return {
    question: "Should we adopt Postgres?",
    options: makeOptions(labels),
    method: "majority",
    threshold: 0.75,
    voters: voterNames.map(voter),
    quorum: 1,
    minParticipation: 0,
    deadline: DEADLINE,
    createdAt: T0,
    proposer: "alice",
    maxRounds: 3,
    weights: {},
    compromiseAgent: null,
    maintainers: ["maint"],
    target: "issue",
    taskType: null,
    ...rest,
  };
}

/** `choice` is `abstain` or option ids joined by `>` (`"B>A"`). */
export function ballot(name: string, choice: string, extra: Partial<Ballot> = {}): Ballot {
  return {
    voter: voter(name),
    choice: choice === "abstain" ? "abstain" : choice.split(">").map((id) => id.trim()),
    round: 0,
    at: T0,
    ...extra,
  };
}

/**
 * A published-style election: `[count, "A>B>C"]` groups of identical ballots, cast by
 * people `@v1`, `@v2`, … who make up the whole electorate.
 */
export function election(
  labels: string[],
  groups: ReadonlyArray<readonly [number, string]>,
  overrides: Partial<VoteSpec> = {},
): { spec: VoteSpec; ballots: Ballot[] } {
  const ballots: Ballot[] = [];
  for (const [size, choice] of groups) {
    for (let i = 0; i < size; i++) ballots.push(ballot(`@v${ballots.length + 1}`, choice));
  }
  const spec = makeSpec({
    labels,
    voterNames: ballots.map((b) => `@${b.voter.id}`),
    method: "ranked",
    ...overrides,
  });
  return { spec, ballots };
}

export function stateOf(spec: VoteSpec, ballots: Ballot[] = []): VoteState {
  return { ...openVote("42-1", spec), ballots };
}

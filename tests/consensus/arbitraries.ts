/** fast-check generators of elections and vote states for the property tests. */
import fc from "fast-check";
import { evaluate } from "../../src/domain/consensus/evaluate.js";
import { makeOptions, optionLetter } from "../../src/domain/consensus/options.js";
import { resolveBallots } from "../../src/domain/consensus/tally.js";
import type { Ballot, Method, VoteSpec, VoteState } from "../../src/domain/consensus/types.js";
import { makeSpec } from "./fixtures.js";

/** One voter's input: no ballot, an abstention, or option ids best first. */
export type Cast = null | "abstain" | string[];

export interface Election {
  method: Method;
  optionIds: string[];
  casts: Cast[];
  weights: number[];
}

const SEED = 20261120;
export const RUNS = { seed: SEED, numRuns: 300 };

export function electionArb(
  method: Method,
  sizes: { voters?: [number, number]; options?: [number, number]; weights?: [number, number] } = {},
): fc.Arbitrary<Election> {
  const [minVoters, maxVoters] = sizes.voters ?? [1, 9];
  const [minOptions, maxOptions] = sizes.options ?? [2, 5];
  const [minWeight, maxWeight] = sizes.weights ?? [0, 3];
  return fc
    .record({
      options: fc.integer({ min: minOptions, max: maxOptions }),
      voters: fc.integer({ min: minVoters, max: maxVoters }),
    })
    .chain(({ options, voters }) => {
      const optionIds = Array.from({ length: options }, (_, i) => optionLetter(i));
      const ranking =
        method === "ranked"
          ? fc.shuffledSubarray(optionIds, { minLength: 1 })
          : fc.constantFrom(...optionIds).map((id) => [id]);
      const cast: fc.Arbitrary<Cast> = fc.oneof(
        { weight: 1, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: fc.constant("abstain" as const) },
        { weight: 6, arbitrary: ranking },
      );
      return fc.record({
        method: fc.constant(method),
        optionIds: fc.constant(optionIds),
        casts: fc.array(cast, { minLength: voters, maxLength: voters }),
        weights: fc.array(fc.integer({ min: minWeight, max: maxWeight }), { minLength: voters, maxLength: voters }),
      });
    });
}

function voterName(index: number): string {
  return `@v${index}`;
}

/** The spec and ballots of an election (weights only matter for `weighted`). */
export function realize(e: Election, overrides: Partial<VoteSpec> = {}): { spec: VoteSpec; ballots: Ballot[] } {
  const voterNames = e.casts.map((_, i) => voterName(i));
  const weights = Object.fromEntries(e.weights.map((w, i) => [voterName(i), w]));
  const spec = makeSpec({
    method: e.method,
    labels: e.optionIds.map((id) => `Option ${id}`),
    voterNames,
    weights,
    ...overrides,
  });
  const ballots = e.casts.flatMap((cast, i): Ballot[] =>
    cast === null
      ? []
      : [{ voter: { id: `v${i}`, kind: "person" }, choice: cast, round: 0, at: "2026-11-20T12:00:00.000Z" }],
  );
  return { spec, ballots };
}

/** Text that tries to break markdown, HTML comments, JSON and mentions. */
const hostileText = (min: number, max: number): fc.Arbitrary<string> =>
  fc
    .array(
      fc.oneof(
        fc.constantFrom("-->", "<!--", "|", "||", "@everyone", "@org/team", "\n", "\r\n", "\\", "`", "*", "_", "[x](y)", "<b>", "\u003e", "\u2028", "\"", "'"),
        fc.string({ unit: "binary", maxLength: 8 }),
      ),
      { maxLength: 12 },
    )
    .map((parts) => parts.join("").slice(0, max))
    .filter((text) => text.trim().length >= min);

const isoArb = fc
  .date({ min: new Date("2020-01-01T00:00:00Z"), max: new Date("2090-01-01T00:00:00Z"), noInvalidDate: true })
  .map((date) => date.toISOString());

/** Any valid vote state, with hostile text everywhere a person or agent writes. */
export const voteStateArb: fc.Arbitrary<VoteState> = fc
  .record({
    labels: fc.uniqueArray(hostileText(1, 100), { minLength: 2, maxLength: 6, selector: (l) => l.trim().toLowerCase() }),
    question: hostileText(1, 300),
    method: fc.constantFrom<Method>("unanimous", "supermajority", "majority", "plurality", "ranked", "weighted"),
    voters: fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), { minLength: 1, maxLength: 6 }),
    kinds: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
    phase: fc.constantFrom<VoteState["phase"]>("open", "closed", "cancelled"),
    when: isoArb,
  })
  .chain(({ labels, question, method, voters, kinds, phase, when }) => {
    const options = makeOptions(labels);
    const people = voters.map((id, i) => ({ id, kind: kinds[i] ? ("person" as const) : ("agent" as const) }));
    const ids = options.map((o) => o.id);
    const choice: fc.Arbitrary<Ballot["choice"]> = fc.oneof(
      fc.constant("abstain" as const),
      method === "ranked" ? fc.shuffledSubarray(ids, { minLength: 1 }) : fc.constantFrom(...ids).map((id) => [id]),
    );
    const ballot: fc.Arbitrary<Ballot> = fc.record(
      {
        voter: fc.constantFrom(...people),
        choice,
        reason: hostileText(0, 300),
        round: fc.integer({ min: 0, max: 4 }),
        at: isoArb,
        sourceCommentId: fc.integer({ min: 1, max: 1_000_000 }),
      },
      { requiredKeys: ["voter", "choice", "round", "at"] },
    );
    const spec: VoteSpec = {
      ...makeSpec({ method }),
      question: question.trim() === "" ? "?" : question,
      options,
      voters: people,
      createdAt: when,
    };
    return fc.record({
      ballots: fc.array(ballot, { maxLength: 12 }),
      phase: fc.constant(phase),
      spec: fc.constant(spec),
      deliberation: fc.record(
        {
          deadlock: fc.record({
            afterRound: fc.integer({ min: 1, max: 4 }),
            kind: fc.constantFrom("max-rounds" as const, "repeated-split" as const),
            reason: hostileText(1, 200),
          }),
          compromiseFailed: fc.record({ by: fc.constantFrom(...voters), reason: hostileText(1, 100) }),
          escalated: fc.record({ afterRound: fc.integer({ min: 1, max: 4 }), reason: hostileText(1, 100) }),
        },
        { requiredKeys: [] },
      ),
    });
  })
  .map(({ ballots, phase, spec, deliberation }) => {
    const state: VoteState = { v: 1, id: "7-x", spec, ballots, phase, deliberation };
    if (phase === "cancelled") state.cancelled = { at: spec.createdAt, by: spec.proposer };
    if (phase === "closed") {
      state.closed = { at: spec.createdAt, by: null };
      state.result = evaluate(spec, resolveBallots(spec, ballots).effective);
    }
    return state;
  });

/**
 * Keeps a vote's state small enough for its tally comment (GitHub caps a comment at 65,536
 * characters). Nothing is dropped while the state fits; otherwise, in this order, until it
 * fits: reasons of ballots that no longer count and are older than the last two rounds,
 * superseded ballots of people (oldest first), agent ballots older than the last two
 * rounds, then every reason is cut to 100 characters. The counts, the last two rounds
 * (all deliberation needs) and every ballot that counts are always kept.
 */
import { currentRound } from "./state.js";
import { resolveBallots } from "./tally.js";
import type { Ballot, VoteState } from "./types.js";

/** Characters of JSON the marker may hold, leaving room for the visible tally. */
export const METADATA_BUDGET = 45_000;

export function compactState(state: VoteState, budget: number = METADATA_BUDGET): VoteState {
  if (size(state) <= budget) return state;
  const effective = new Set(resolveBallots(state.spec, state.ballots).effective);
  const recent = currentRound(state) - 1;
  const old = (ballot: Ballot): boolean =>
    !effective.has(ballot) && (ballot.voter.kind === "person" || ballot.round < recent);
  let ballots = state.ballots.map((ballot) => (old(ballot) ? withoutReason(ballot) : ballot));
  const fits = (): boolean => size({ ...state, ballots }) <= budget;
  const supersededPeople = ballots.filter((ballot) => ballot.voter.kind === "person" && old(ballot));
  for (const dropped of supersededPeople) {
    if (fits()) break;
    ballots = ballots.filter((ballot) => ballot !== dropped);
  }
  if (!fits()) ballots = ballots.filter((ballot) => !(ballot.voter.kind === "agent" && old(ballot)));
  if (!fits()) ballots = ballots.map((ballot) => (ballot.reason ? { ...ballot, reason: cut(ballot.reason) } : ballot));
  return { ...state, ballots };
}

function withoutReason(ballot: Ballot): Ballot {
  if (ballot.reason === undefined) return ballot;
  const copy = { ...ballot };
  delete copy.reason;
  return copy;
}

function cut(reason: string): string {
  return reason.length > 100 ? `${reason.slice(0, 99)}…` : reason;
}

function size(state: VoteState): number {
  return JSON.stringify(state).length;
}

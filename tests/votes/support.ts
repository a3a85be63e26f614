/** Helpers shared by the vote scenarios: read the tally and replies back from the sandbox. */
import { parseVoteComment, resolveBallots, type VoteState } from "../../src/domain/consensus/index.js";
import { parseCard } from "../../src/domain/task/card.js";
import { botComments, type Harness } from "../support/harness.js";

/** The newest vote's state, read from its tally comment. */
export function tallyOf(h: Harness, number: number): VoteState {
  const states = botComments(h.sandbox, number)
    .map((body) => parseVoteComment(body))
    .filter((state) => state !== null);
  const state = states.at(-1);
  if (!state) throw new Error(`no tally on #${number}`);
  return state;
}

export function tallyCount(h: Harness, number: number): number {
  return botComments(h.sandbox, number).filter((body) => parseVoteComment(body) !== null).length;
}

/** `login: choice` of the ballots that count, e.g. `alice: A`, `bob: B>A`, `carol: abstain`. */
export function counted(state: VoteState): string[] {
  return resolveBallots(state.spec, state.ballots).effective.map(
    (ballot) => `${ballot.voter.id}: ${ballot.choice === "abstain" ? "abstain" : ballot.choice.join(">")}`,
  );
}

export function replyTo(h: Harness, number: number, commentId: number): string | undefined {
  return botComments(h.sandbox, number).find((body) => body.includes(`orkestra:reply-${commentId} `));
}

export function cardOf(h: Harness, number: number) {
  return botComments(h.sandbox, number)
    .map((body) => parseCard(body))
    .find((meta) => meta !== null);
}


/**
 * Turns a method's count into a vote result: quorum and minimum participation first, then
 * the method. Abstentions count toward both (they are ballots cast) but never toward a
 * method's denominator. An agent that gave no answer (an outage, a timeout, output that never
 * validated) cast nothing: it counts toward neither, and the result names it.
 */
import { count } from "./methods/index.js";
import type { MethodOutcome } from "./methods/index.js";
import { formatShare } from "./methods/common.js";
import type { Ballot, Participation, VoteResult, VoteSpec } from "./types.js";

/** Quorum and participation of effective ballots (one per eligible voter). */
function participationOf(spec: VoteSpec, effective: readonly Ballot[]): Participation {
  const eligible = spec.voters.length;
  const answered = effective.filter((ballot) => ballot.noAnswer !== true);
  const silent = effective.filter((ballot) => ballot.noAnswer === true).map((ballot) => ballot.voter.id);
  const cast = answered.length;
  return {
    eligible,
    cast,
    abstained: answered.filter((ballot) => ballot.choice === "abstain").length,
    ...(silent.length > 0 ? { noAnswer: silent } : {}),
    quorum: spec.quorum,
    quorumMet: cast >= spec.quorum,
    minParticipation: spec.minParticipation,
    // Integer comparison: cast / eligible ≥ share, without rounding surprises.
    participationMet: cast >= Math.ceil(spec.minParticipation * eligible - 1e-9),
  };
}

type ClosedResult = VoteResult & { status: "passed" | "failed" | "no-quorum" };

/** The result if the vote closed with these effective ballots: passed, failed or no-quorum. */
export function evaluate(spec: VoteSpec, effective: readonly Ballot[]): ClosedResult {
  const participation = participationOf(spec, effective);
  const outcome = count(spec, effective);
  const base = { method: spec.method, rounds: outcome.rounds, participation };
  if (!participation.quorumMet || !participation.participationMet) {
    return { ...base, status: "no-quorum", reason: quorumReason(participation) };
  }
  return fromOutcome(base, outcome);
}

function fromOutcome(
  base: Pick<VoteResult, "method" | "rounds" | "participation">,
  outcome: MethodOutcome,
): ClosedResult {
  if (outcome.winner !== undefined) return { ...base, status: "passed", winner: outcome.winner, reason: outcome.reason };
  return outcome.tie
    ? { ...base, status: "failed", tie: outcome.tie, reason: outcome.reason }
    : { ...base, status: "failed", reason: outcome.reason };
}

function quorumReason(p: Participation): string {
  const missing: string[] = [];
  if (!p.quorumMet) missing.push(`quorum is ${p.quorum} voters and ${p.cast} cast a ballot`);
  if (!p.participationMet) {
    missing.push(
      `${formatShare(p.minParticipation, 1)} of the ${p.eligible} voters must take part and ${p.cast} did (${formatShare(p.cast, p.eligible)})`,
    );
  }
  const silent = p.noAnswer && p.noAnswer.length > 0 ? ` No answer from ${p.noAnswer.join(", ")}, which does not count.` : "";
  return `Not enough participation: ${missing.join("; ")}. Abstentions count as taking part.${silent}`;
}

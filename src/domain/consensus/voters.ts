/** Voter identity: agents are bare names, people are `@login`; both compared lower-cased. */
import type { Voter, VoteSpec } from "./types.js";

/** The key a voter is known by in weights, messages and splits: `claude` or `@alice`. */
export function voterKey(voter: Voter): string {
  return voter.kind === "person" ? `@${voter.id.toLowerCase()}` : voter.id.toLowerCase();
}

export function sameVoter(a: Voter, b: Voter): boolean {
  return voterKey(a) === voterKey(b);
}

export function isEligible(spec: VoteSpec, voter: Voter): boolean {
  return spec.voters.some((candidate) => sameVoter(candidate, voter));
}

export function agentVoters(spec: VoteSpec): Voter[] {
  return spec.voters.filter((voter) => voter.kind === "agent");
}

/** A voter's weight: configured weights apply only to the `weighted` method; everyone else counts 1. */
export function weightOf(spec: VoteSpec, voter: Voter): number {
  if (spec.method !== "weighted") return 1;
  return spec.weights[voterKey(voter)] ?? 1;
}

/** Lists voters for a message without mentioning anyone: `claude, gemini, alice`. */
export function listVoters(voters: readonly Voter[]): string {
  return voters.map((voter) => voter.id).join(", ");
}


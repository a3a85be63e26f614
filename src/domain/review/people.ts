/**
 * People's word on merge readiness besides the agents: their GitHub reviews and their
 * `/vote approve|reject` on the pull request, one word per person, the newest. And the agents'
 * last verdicts as the review's marker recorded them, so readiness can be decided again when a
 * person reviews, without asking the agents again.
 */
import type { PersonVote } from "./policy.js";
import type { ReviewMarker } from "./review-marker.js";
import type { AgentOutcome } from "./schema.js";

/** A review by a person whose permission counts (the caller checks it), as GitHub lists it. */
export interface PersonReview {
  login: string;
  state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" | "PENDING";
  submittedAt: string | null;
}

/** A person's standing `/vote approve|reject` and when it was cast. */
export interface TimedVote extends PersonVote {
  at: string;
}

const REVIEW_VOTE: Partial<Record<PersonReview["state"], PersonVote["vote"] | null>> = {
  APPROVED: "approve",
  CHANGES_REQUESTED: "reject",
  // A dismissed review no longer counts, as on GitHub; an earlier one does not come back.
  DISMISSED: null,
};

const time = (at: string | null) => Date.parse(at ?? "") || 0;

/**
 * Each person's word: their latest review that approves, requests changes or was dismissed
 * (comments and pending reviews say nothing about merging; a dismissed one withdraws the person's
 * review, and an earlier one does not come back), and their latest `/vote`; the newer of the two
 * wins (the vote at the same second). A withdrawn review leaves the `/vote` standing.
 */
export function peopleWord(reviews: readonly PersonReview[], votes: readonly TimedVote[]): PersonVote[] {
  type Word = { login: string; vote: PersonVote["vote"] | null; at: number };
  const newest = (words: Map<string, Word>, word: Word) => {
    const key = word.login.toLowerCase();
    const current = words.get(key);
    if (!current || word.at >= current.at) words.set(key, word);
  };
  const byReview = new Map<string, Word>();
  for (const review of reviews) {
    const vote = REVIEW_VOTE[review.state];
    if (vote !== undefined) newest(byReview, { login: review.login, vote, at: time(review.submittedAt) });
  }
  const word = new Map([...byReview].filter(([, entry]) => entry.vote !== null));
  for (const vote of votes) newest(word, { ...vote, at: time(vote.at) });
  return [...word.values()].flatMap(({ login, vote }) => (vote ? [{ login, vote }] : []));
}

/**
 * The agents' outcomes a review's marker recorded, as the policy reads them (verdicts only: the
 * findings are in the review and the check run already), or null for a marker that predates them.
 */
export function recordedOutcomes(marker: ReviewMarker): AgentOutcome[] | null {
  if (!marker.verdicts) return null;
  return [
    ...marker.verdicts.map(({ agent, verdict }): AgentOutcome => ({ agent, status: "ok", review: { verdict, summary: "(recorded verdict)", findings: [] } })),
    ...(marker.missing ?? []).map(({ agent, status }): AgentOutcome => ({ agent, status, error: `${agent}: no answer (${status})` })),
  ];
}

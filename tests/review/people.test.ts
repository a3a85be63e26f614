import { describe, expect, it } from "vitest";
import { peopleWord, recordedOutcomes, type PersonReview } from "../../src/domain/review/people.js";
import { decideReview } from "../../src/domain/review/policy.js";
import { readReviewMarker, renderReviewMarker } from "../../src/domain/review/review-marker.js";

const at = (minute: number) => `2026-11-21T09:${String(minute).padStart(2, "0")}:00Z`;
const review = (login: string, state: PersonReview["state"], minute: number): PersonReview => ({ login, state, submittedAt: at(minute) });

describe("people's word on merge readiness", () => {
  it("counts a person's latest approval or change request; comments and pending reviews say nothing", () => {
    const word = peopleWord([review("mona", "CHANGES_REQUESTED", 1), review("mona", "APPROVED", 2), review("mona", "COMMENTED", 3), review("bob", "PENDING", 4)], []);
    expect(word).toEqual([{ login: "mona", vote: "approve" }]);
  });

  it("drops a dismissed latest review, and an earlier one does not come back", () => {
    expect(peopleWord([review("mona", "APPROVED", 1), review("mona", "DISMISSED", 2)], [])).toEqual([]);
  });

  it("lets the newer of a person's review and `/vote` win (the vote at the same second)", () => {
    const reviews = [review("mona", "APPROVED", 5)];
    expect(peopleWord(reviews, [{ login: "mona", vote: "reject", at: at(4) }])).toEqual([{ login: "mona", vote: "approve" }]);
    expect(peopleWord(reviews, [{ login: "Mona", vote: "reject", at: at(6) }])).toEqual([{ login: "Mona", vote: "reject" }]);
    expect(peopleWord(reviews, [{ login: "mona", vote: "reject", at: at(5) }])).toEqual([{ login: "mona", vote: "reject" }]);
  });

  it("a dismissed review leaves the person's `/vote` standing", () => {
    expect(peopleWord([review("mona", "DISMISSED", 1)], [{ login: "mona", vote: "approve", at: at(0) }])).toEqual([{ login: "mona", vote: "approve" }]);
  });
});

describe("the agents' verdicts a review's marker records", () => {
  const base = { v: 1 as const, pr: 7, headSha: "abc1234", agents: ["alpha", "beta", "gamma"], outcome: "concern" as const, event: "COMMENT" as const };

  it("round-trips through the marker and decides readiness again like the agents' answers did", () => {
    const marker = readReviewMarker(renderReviewMarker({ ...base, verdicts: [{ agent: "alpha", verdict: "concern" }, { agent: "beta", verdict: "approve" }], missing: [{ agent: "gamma", status: "timeout" }], checkRun: 42 }))!;
    expect(marker.checkRun).toBe(42);
    const outcomes = recordedOutcomes(marker)!;
    const options = { allowApprove: true, labels: { blocked: "review:blocked", needsClarification: "review:needs-clarification" }, maintainers: [], mergeReadiness: "agents-and-people" as const };
    const alone = decideReview(outcomes, options);
    expect(alone).toMatchObject({ outcome: "concern", conclusion: "action_required", counts: { approve: 1, concern: 1, missing: 1 } });
    expect(decideReview(outcomes, options, { votes: [{ login: "mona", vote: "approve" }] })).toMatchObject({ conclusion: "success", mergeReadiness: { ready: true } });
  });

  it("is null for a marker written before verdicts were recorded", () => {
    expect(recordedOutcomes(readReviewMarker(renderReviewMarker(base))!)).toBeNull();
  });
});

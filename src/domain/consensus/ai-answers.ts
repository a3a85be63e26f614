/**
 * What an agent must answer, as zod schemas the agents layer hands to each provider's
 * structured output, and the validation that turns an (untrusted) answer into a ballot.
 * The choice uses the same grammar as `/vote`, so people and agents are parsed alike.
 */
import { z } from "zod";
import { oneLineReason, parseChoice } from "./parse-vote.js";
import { LIMITS, err, ok } from "./types.js";
import type { Ballot, ConsensusError, Result, Voter, VoteSpec } from "./types.js";

export const aiBallotAnswerSchema = z
  .object({
    choice: z
      .string()
      .min(1)
      .max(600)
      .describe(
        "Your ballot, written as after /vote: one option's label or letter, or `abstain`; in a ranked vote, options best first separated by `>` (e.g. `B > A > C`).",
      ),
    reason: z
      .string()
      .min(1)
      .max(LIMITS.reasonChars)
      .describe(`Why, in one or two sentences (at most ${LIMITS.reasonChars} characters).`),
  })
  .strict()
  .describe("A ballot in an Orkestra vote.");
export type AiBallotAnswer = z.infer<typeof aiBallotAnswerSchema>;

export const compromiseAnswerSchema = z
  .object({
    option: z
      .string()
      .min(1)
      .max(LIMITS.optionLabelChars)
      .describe("A new option both sides could accept, as a short label unlike the existing options."),
    reason: z
      .string()
      .min(1)
      .max(LIMITS.reasonChars)
      .describe(`Why it bridges the positions (at most ${LIMITS.reasonChars} characters).`),
  })
  .strict()
  .describe("A compromise option for a deadlocked Orkestra vote.");
export type CompromiseAnswer = z.infer<typeof compromiseAnswerSchema>;

/**
 * Validates an agent's answer for `round`. The error message is written for the agent, so
 * the caller can send it back once as a retry; after that it records an abstention.
 */
export function ballotFromAiAnswer(
  spec: Pick<VoteSpec, "options" | "method">,
  voter: Voter,
  round: number,
  answer: unknown,
  at: Date,
): Result<Ballot, ConsensusError<"invalid-answer">> {
  const parsed = aiBallotAnswerSchema.safeParse(answer);
  if (!parsed.success) return err({ code: "invalid-answer", message: schemaProblem(parsed.error) });
  const choice = parseChoice(parsed.data.choice, spec);
  if (!choice.ok) return err({ code: "invalid-answer", message: choice.error.message });
  const reason = oneLineReason(parsed.data.reason);
  const ballot: Ballot = { voter, choice: choice.value, round, at: at.toISOString() };
  return ok(reason === undefined ? ballot : { ...ballot, reason });
}

/** A schema failure in words an agent can correct on its retry. */
export function schemaProblem(error: z.ZodError): string {
  const problems = error.issues.map((issue) => `${issue.path.join(".") || "answer"}: ${issue.message}`);
  return `The answer does not fit the schema: ${problems.join("; ")}.`;
}

/** The abstention-shaped record of an agent that gave no valid answer after its retry (see `noAnswerFor`). */
export function abstentionFor(voter: Voter, round: number, at: Date, why: string): Ballot {
  const reason = oneLineReason(`No valid answer: ${why}`);
  return { voter, choice: "abstain", round, at: at.toISOString(), ...(reason ? { reason } : {}) };
}

/**
 * What is recorded when an agent gave no answer (a failed call, a timeout, output still invalid
 * after the correction turn): it moves the round on, but it is not a ballot cast, so it never
 * makes quorum. Only an agent that answered `abstain` abstains.
 */
export function noAnswerFor(voter: Voter, round: number, at: Date, why: string): Ballot {
  return { ...abstentionFor(voter, round, at, why), noAnswer: true };
}

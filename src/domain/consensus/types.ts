/**
 * The vocabulary of a vote. The zod schemas are the single source: the types are inferred
 * from them, and the tally comment's hidden metadata is validated with them when read back.
 */
import { z } from "zod";

export const METHODS = ["unanimous", "supermajority", "majority", "plurality", "ranked", "weighted"] as const;
export const methodSchema = z.enum(METHODS);
export type Method = z.infer<typeof methodSchema>;

/** Limits that keep one vote inside a GitHub comment (65,536 characters). */
export const LIMITS = {
  questionChars: 300,
  optionLabelChars: 100,
  /** Options are lettered A–Z. */
  maxOptions: 26,
  reasonChars: 300,
  maxVoters: 50,
  maxRounds: 10,
} as const;

const isoSchema = z.iso.datetime({ offset: true });

export const voterSchema = z
  .object({
    /** Agent name or GitHub login, lower-cased, without `@`. */
    id: z.string().min(1),
    kind: z.enum(["agent", "person"]),
  })
  .strict();
export type Voter = z.infer<typeof voterSchema>;

export const optionSchema = z
  .object({
    /** `A`, `B`, … in the order the proposal listed them. */
    id: z.string().regex(/^[A-Z]$/),
    label: z.string().min(1).max(LIMITS.optionLabelChars),
  })
  .strict();
export type VoteOption = z.infer<typeof optionSchema>;

/** A ranking of option ids, best first (a single choice is a ranking of one), or an abstention. */
export const choiceSchema = z.union([z.literal("abstain"), z.array(z.string().regex(/^[A-Z]$/)).min(1)]);
export type Choice = z.infer<typeof choiceSchema>;

export const ballotSchema = z
  .object({
    voter: voterSchema,
    choice: choiceSchema,
    reason: z.string().max(LIMITS.reasonChars).optional(),
    /** Deliberation round the ballot belongs to; 0 before the first agent round. */
    round: z.number().int().min(0),
    at: isoSchema,
    /** The comment that carried a person's ballot, so edits and deletions can find it. */
    sourceCommentId: z.number().int().positive().optional(),
    /**
     * An agent that gave no answer (failure, timeout, invalid output after its correction turn):
     * recorded so the round moves on and the tally can say so, with `choice: "abstain"`, but it is
     * not a ballot cast — it never counts toward quorum or participation, and it never replaces
     * an answer the agent gave earlier. A deliberate `abstain` has no such flag.
     */
    noAnswer: z.literal(true).optional(),
  })
  .strict();
export type Ballot = z.infer<typeof ballotSchema>;

export const voteSpecSchema = z
  .object({
    question: z.string().min(1).max(LIMITS.questionChars),
    options: z.array(optionSchema).min(2).max(LIMITS.maxOptions),
    method: methodSchema,
    /** Share an option needs under `supermajority` (met when ≥). Other methods ignore it. */
    threshold: z.number().gt(0.5).max(1),
    voters: z.array(voterSchema).min(1).max(LIMITS.maxVoters),
    /** Distinct voters who must cast a ballot (abstentions count; an agent that gave no answer does not). */
    quorum: z.number().int().min(1),
    /** Fraction of the eligible voters who must cast a ballot (abstentions count; no answer does not). */
    minParticipation: z.number().min(0).max(1),
    deadline: isoSchema,
    createdAt: isoSchema,
    /** Login of the person who opened the vote. */
    proposer: z.string().min(1),
    /** Deliberation rounds for agent voters before the vote is deadlocked. */
    maxRounds: z.number().int().min(1).max(LIMITS.maxRounds),
    /** Weight per voter key (`claude`, `@alice`), resolved for this vote's task type; missing means 1. */
    weights: z.record(z.string(), z.number().min(0).max(1000)),
    /** Agent asked for a compromise on deadlock; null means the first agent voter. */
    compromiseAgent: z.string().nullable(),
    /** Logins mentioned when a deadlock needs a person to decide. */
    maintainers: z.array(z.string()),
    target: z.enum(["issue", "pull-request"]),
    taskType: z.string().nullable(),
  })
  .strict();
export type VoteSpec = z.infer<typeof voteSpecSchema>;

const TIE_BREAK_RULES = ["earliest-round", "fewest-mentions", "option-order"] as const;

export const roundCountSchema = z
  .object({
    round: z.number().int().min(1),
    /** Votes (or weight, for `weighted`) behind each option still in the count. */
    tallies: z.record(z.string(), z.number()),
    /** Ranked ballots with no option left in the count. */
    exhausted: z.number().int().min(0).optional(),
    eliminated: z.array(z.string()).optional(),
    tieBreak: z.object({ among: z.array(z.string()), rule: z.enum(TIE_BREAK_RULES) }).strict().optional(),
  })
  .strict();
export type RoundCount = z.infer<typeof roundCountSchema>;

const VOTE_STATUSES = ["passed", "failed", "no-quorum", "pending", "deadlocked"] as const;
const closedStatusSchema = z.enum(["passed", "failed", "no-quorum"]);

export const participationSchema = z
  .object({
    eligible: z.number().int().min(0),
    /** Distinct eligible voters with a ballot, deliberate abstentions included, agents that gave no answer not. */
    cast: z.number().int().min(0),
    /** Deliberate abstentions among `cast`. */
    abstained: z.number().int().min(0),
    /** Agent voters whose standing record is "no answer" (not counted in `cast`); absent when none. */
    noAnswer: z.array(z.string()).optional(),
    quorum: z.number().int().min(1),
    quorumMet: z.boolean(),
    minParticipation: z.number().min(0).max(1),
    participationMet: z.boolean(),
  })
  .strict();
export type Participation = z.infer<typeof participationSchema>;

export const voteResultSchema = z
  .object({
    status: z.enum(VOTE_STATUSES),
    method: methodSchema,
    /** Winning option id; while pending, the option that would win if the vote closed now. */
    winner: z.string().optional(),
    /** Options tied for the win when a tie ended the count. */
    tie: z.array(z.string()).optional(),
    rounds: z.array(roundCountSchema),
    participation: participationSchema,
    /** While pending: what closing now would give. */
    provisional: closedStatusSchema.optional(),
    /** Why it passed or failed, in words a person can read. */
    reason: z.string(),
  })
  .strict();
export type VoteResult = z.infer<typeof voteResultSchema>;

export const deadlockSchema = z
  .object({
    afterRound: z.number().int().min(1),
    kind: z.enum(["max-rounds", "repeated-split"]),
    reason: z.string(),
  })
  .strict();
export type Deadlock = z.infer<typeof deadlockSchema>;

const deliberationSchema = z
  .object({
    deadlock: deadlockSchema.optional(),
    compromise: z
      .object({ optionId: z.string(), by: z.string(), reason: z.string(), afterRound: z.number().int().min(1) })
      .strict()
      .optional(),
    compromiseFailed: z.object({ by: z.string(), reason: z.string() }).strict().optional(),
    escalated: z.object({ afterRound: z.number().int().min(0), reason: z.string() }).strict().optional(),
  })
  .strict();

export const voteStateSchema = z
  .object({
    v: z.literal(1),
    /** Stable id chosen by the caller (e.g. issue number and creation time). */
    id: z.string().min(1),
    spec: voteSpecSchema,
    /** Every ballot still standing: a person's earlier ballots stay until their comment is deleted. */
    ballots: z.array(ballotSchema),
    phase: z.enum(["open", "closed", "cancelled"]),
    deliberation: deliberationSchema,
    /** Frozen when the vote closes. */
    result: voteResultSchema.optional(),
    closed: z
      .object({ at: isoSchema, by: z.string().nullable(), decidedBy: z.string().optional() })
      .strict()
      .optional(),
    cancelled: z.object({ at: isoSchema, by: z.string() }).strict().optional(),
  })
  .strict();
export type VoteState = z.infer<typeof voteStateSchema>;

/** Typed outcome for expected failures: nothing throws through to a handler. */
export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function err<E>(error: E): { ok: false; error: E } {
  return { ok: false, error };
}

/** An expected failure with a message a person can act on. */
export interface ConsensusError<C extends string = string> {
  code: C;
  message: string;
}

import { z } from "zod";
import { parseDuration } from "../domain/consensus/duration.js";
import { parseVoters } from "../domain/consensus/parse-proposal.js";
import { METHODS } from "../domain/consensus/types.js";
import { durationSchema } from "./common.js";

const weightSchema = z.union([
  z.number().min(0).max(1000),
  z
    .object({
      default: z.number().min(0).max(1000).default(1).describe("Weight for task types not listed."),
      byTaskType: z
        .record(z.string(), z.number().min(0).max(1000))
        .default({})
        .describe("Weight per task type (the `type:*` label), e.g. `{ research: 2 }`."),
    })
    .strict(),
]);

const voterListSchema = z
  .array(z.string())
  .superRefine((voters, ctx) => {
    if (voters.length === 0) return;
    const parsed = parseVoters(voters.join(","));
    if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.error.message });
  });

/** The `voting:` section of `.github/orkestra.yml`: defaults for `/propose` and the consensus rules. */
export const votingConfigSchema = z
  .object({
    defaultMethod: z
      .enum(METHODS)
      .default("majority")
      .describe("Method of a vote whose `/propose` names none: unanimous, supermajority, majority, plurality, ranked or weighted."),
    supermajorityThreshold: z
      .number()
      .gt(0.5)
      .max(1)
      .default(0.75)
      .describe("Share of the non-abstaining ballots a supermajority needs (met when equal or above), e.g. 0.75 or 0.667."),
    defaultDeadline: durationSchema
      .refine((text) => parseDuration(text).ok, "a positive duration of at most 90d")
      .default("48h")
      .describe("How long a vote stays open when `/propose` gives no `deadline=`: 30m, 48h, 2d, 1w (at most 90d)."),
    quorum: z
      .number()
      .int()
      .min(1)
      .default(1)
      .describe("Voters who must cast a ballot (abstentions count) for a vote to decide anything; capped at the number of voters."),
    minParticipation: z
      .number()
      .min(0)
      .max(1)
      .default(0.5)
      .describe("Share of the eligible voters who must cast a ballot (abstentions count), from 0 to 1, applied with the quorum."),
    maxRounds: z
      .number()
      .int()
      .min(1)
      .max(10)
      .default(3)
      .describe("Deliberation rounds for AI voters before a vote without a decision is deadlocked."),
    voters: voterListSchema
      .default([])
      .describe("Voters of a vote whose `/propose` names none: agent names (`claude`), people (`@alice`) and teams (`@org/team`)."),
    weights: z
      .record(z.string(), weightSchema)
      .default({})
      .describe(
        "Weights for the weighted method, keyed by agent name or `@login`: a number, or `{ default, byTaskType }`. Voters not listed weigh 1.",
      ),
    compromiseAgent: z
      .string()
      .nullable()
      .default(null)
      .describe("Agent asked for a compromise option when a vote deadlocks; null asks the vote's first agent voter."),
    openLabel: z
      .string()
      .min(1)
      .max(50)
      .default("orkestra:vote-open")
      .describe(
        "Label kept on an issue or pull request while a vote is open there, so the scheduled sweep finds due votes without reading every issue.",
      ),
  })
  .strict();


import { z } from "zod";
import { PLAN_METHODS } from "../domain/planning/index.js";
import { AUTONOMY_LEVELS } from "../domain/task/model.js";

export const autonomySchema = z
  .enum(AUTONOMY_LEVELS)
  .default("supervised")
  .describe(
    "How far agents go on their own (`/autonomy` changes it for one task): `full` creates an agreed plan without waiting and turns on GitHub's auto-merge for agents' pull requests once the review policy passes; `supervised` needs `/plan approve` and people merge; `manual` makes agents only recommend — plans, assignments and reviews are suggestions and nothing starts without a person's command.",
  );


/** The `planning:` section of `.github/orkestra.yml`: `/plan` and its deliberation. */
export const planningConfigSchema = z
  .object({
    planners: z
      .array(z.string().min(1))
      .default([])
      .describe("Agents asked by a `/plan` that names none; empty asks the agents that are on, in configuration order (at most `maxPlanners`)."),
    maxPlanners: z.number().int().min(1).max(6).default(3).describe("Most agents asked to plan one epic."),
    maxRounds: z
      .number()
      .int()
      .min(1)
      .max(6)
      .default(3)
      .describe("Rounds of proposals before the planners' remaining disagreement is settled by `method` and shown."),
    method: z
      .enum(PLAN_METHODS)
      .default("majority")
      .describe(
        "Which items and dependencies a plan keeps when the planners still differ after `maxRounds`: those proposed by all (`unanimous`), by `voting.supermajorityThreshold` of them (`supermajority`), or by more than half (`majority`).",
      ),
    maxItems: z
      .number()
      .int()
      .min(1)
      .max(50)
      .default(20)
      .describe("Most sub-issues one plan creates (GitHub allows 100 sub-issues per issue; each is also a dependency of the epic, so at most `tasks.maxDependencies`)."),
    maxTokens: z.number().int().min(1000).default(200_000).describe("Tokens one plan may use across all its rounds and planners; planning stops with a message when the next round would pass it."),
    maxCostUsd: z.number().min(0).default(2).describe("Estimated USD one plan may cost across all its rounds and planners."),
    label: z
      .string()
      .min(1)
      .max(50)
      .default("orkestra:planning")
      .describe("Label on an epic while its plan is open (deliberating, waiting for approval, or being created); the sweep resumes what a run left half done."),
  })
  .strict();

import { z } from "zod";
import { agentsConfigSchema, budgetsConfigSchema, pricesConfigSchema } from "./agents.js";
import { assignmentConfigSchema, sweepConfigSchema } from "./assignment.js";
import { commandsConfigSchema } from "./commands.js";
import { handleSchema } from "./common.js";
import { executionConfigSchema } from "./execution.js";
import { labelsConfigSchema } from "./labels.js";
import { autonomySchema, planningConfigSchema } from "./planning.js";
import { reviewConfigSchema } from "./review.js";
import { tasksConfigSchema } from "./tasks.js";
import { votingConfigSchema } from "./voting.js";

/** The whole of `.github/orkestra.yml`. Every section has defaults, so an empty file is valid. */
export const configSchema = z
  .object({
    tasks: tasksConfigSchema.prefault({}).describe("Which issues become tasks, and their types and defaults."),
    labels: labelsConfigSchema.prefault({}).describe("Names, colours and descriptions of the labels Orkestra uses."),
    commands: commandsConfigSchema.prefault({}).describe("Slash commands: which are enabled and who may use them."),
    agents: agentsConfigSchema.prefault({}).describe("The AI agents: providers, models, specialties, weights and budgets (keys come from the environment)."),
    budgets: budgetsConfigSchema.prefault({}).describe("Token and cost budgets per call, per run and per day."),
    prices: pricesConfigSchema.prefault({}).describe("Estimated USD prices per million tokens, by model, for cost reports and budgets."),
    assignment: assignmentConfigSchema.prefault({}).describe("Assigning tasks to agents: leases, limits, retries and backoff."),
    sweep: sweepConfigSchema.prefault({}).describe("The scheduled sweep: how often (app) and how much of the rate limit it may use."),
    voting: votingConfigSchema.prefault({}).describe("Votes: default method, deadline, quorum, voters and weights."),
    review: reviewConfigSchema.prefault({}).describe("Multi-agent pull-request reviews: when, by whom, budgets and policy."),
    execution: executionConfigSchema
      .prefault({})
      .describe(
        "Agents at work (docs/execution.md): an assigned task becomes the agent's pull request, reviewed by the other agents, or one result comment — written by Orkestra after its safe-output check, never by the agent.",
      ),
    autonomy: autonomySchema,
    planning: planningConfigSchema.prefault({}).describe("`/plan`: agents break an epic into sub-issues, deliberate until they agree, and people approve."),
    dashboard: z
      .object({
        enabled: z
          .boolean()
          .default(true)
          .describe("Keep the \"Orkestra dashboard\" issue (created by the first sweep that needs it, edited only when the board changed). False: no dashboard issue (nor the board in the job summary)."),
      })
      .strict()
      .prefault({})
      .describe("The dashboard issue (docs/dashboard.md): the whole board at a glance, with boxes people with write permission tick to act."),
    maintainers: z
      .array(handleSchema)
      .default([])
      .describe(
        "People or `org/team`s mentioned when Orkestra escalates (failed tasks, deadlocked votes, blockers); they may also close (`/close-vote`) and cancel (`/cancel-vote`) any vote.",
      ),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.planning.maxItems > config.tasks.maxDependencies) {
      ctx.addIssue({
        code: "custom",
        path: ["planning", "maxItems"],
        message: `is more than tasks.maxDependencies (${config.tasks.maxDependencies}): an epic depends on each of its sub-issues`,
      });
    }
    for (const type of Object.keys(config.labels.type)) {
      if (!config.tasks.types.includes(type)) {
        ctx.addIssue({
          code: "custom",
          path: ["labels", "type", type],
          message: `is not a task type (tasks.types: ${config.tasks.types.join(", ")})`,
        });
      }
    }
    // Checked only once execution is on: the defaults name the default task types, and a
    // repository with its own types should not have to touch a section it does not use.
    for (const key of config.execution.enabled ? (["types", "resultTypes"] as const) : []) {
      for (const [index, type] of config.execution[key].entries()) {
        if (!config.tasks.types.includes(type)) {
          ctx.addIssue({
            code: "custom",
            path: ["execution", key, index],
            message: `\`${type}\` is not a task type (tasks.types: ${config.tasks.types.join(", ")})`,
          });
        }
      }
    }
  });

export type Config = z.infer<typeof configSchema>;

export const CONFIG_PATH = ".github/orkestra.yml";

export function defaultConfig(): Config {
  return configSchema.parse({});
}

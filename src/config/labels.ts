import { z } from "zod";
import { DEFAULT_TYPES, PRIORITIES, STATUSES } from "../domain/task/model.js";

const colorSchema = z
  .string()
  .regex(/^#?[0-9a-fA-F]{6}$/, "a six-digit hex colour such as 0e8a16")
  .transform((value) => value.replace(/^#/, "").toLowerCase());

const labelOverrideSchema = z
  .object({
    name: z.string().min(1).max(50).optional().describe("Label name on GitHub (at most 50 characters)."),
    color: colorSchema.optional().describe("Six-digit hex colour, with or without `#`."),
    description: z.string().max(100).optional().describe("Label description (at most 100 characters)."),
  })
  .strict();

function overridesFor<const K extends readonly string[]>(keys: K, what: string) {
  const shape = Object.fromEntries(
    keys.map((key) => [key, labelOverrideSchema.optional().describe(`Label for ${what} \`${key}\`.`)]),
  ) as { [P in K[number]]: z.ZodOptional<typeof labelOverrideSchema> };
  return z.object(shape).strict();
}

export const labelsConfigSchema = z
  .object({
    task: labelOverrideSchema
      .prefault({})
      .describe("The label that marks an issue as an Orkestra task (default `orkestra:task`)."),
    prefixes: z
      .object({
        status: z.string().default("status:").describe("Prefix of status labels."),
        priority: z.string().default("priority:").describe("Prefix of priority labels."),
        type: z.string().default("type:").describe("Prefix of type labels."),
        agent: z.string().default("agent:").describe("Prefix of the label naming the agent that holds a task."),
      })
      .strict()
      .prefault({})
      .describe("Prefixes used to build label names, e.g. `status:` + `pending`."),
    status: overridesFor(STATUSES, "status")
      .prefault({})
      .describe("Per-status overrides of name, colour and description."),
    priority: overridesFor(PRIORITIES, "priority")
      .prefault({})
      .describe("Per-priority overrides of name, colour and description."),
    type: z
      .record(z.string(), labelOverrideSchema)
      .default({})
      .describe(`Per-type overrides, keyed by a task type from \`tasks.types\` (defaults: ${DEFAULT_TYPES.join(", ")}).`),
  })
  .strict();

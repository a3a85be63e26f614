import { z } from "zod";
import { DEFAULT_TYPES, PRIORITIES } from "../domain/task/model.js";

export const tasksConfigSchema = z
  .object({
    from: z
      .enum(["all", "label", "form"])
      .default("all")
      .describe(
        "Which new issues become tasks: `all` (every issue), `label` (issues carrying the task label), `form` (issues opened from the task issue form, or carrying the task label).",
      ),
    types: z
      .array(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "lower-case words joined by dashes"))
      .min(1)
      .default([...DEFAULT_TYPES])
      .describe("Task types; each gets a `type:*` label."),
    defaultType: z.string().default("technical").describe("Type of a task that names none."),
    defaultPriority: z.enum(PRIORITIES).default("medium").describe("Priority of a task that names none."),
    maxDependencies: z
      .number()
      .int()
      .min(1)
      .max(50)
      .default(20)
      .describe("Most dependencies one task may have; more are refused."),
  })
  .strict()
  .superRefine((tasks, ctx) => {
    if (!tasks.types.includes(tasks.defaultType)) {
      ctx.addIssue({
        code: "custom",
        path: ["defaultType"],
        message: `must be one of tasks.types (${tasks.types.join(", ")})`,
      });
    }
  });

import { z } from "zod";
import { COMMAND_NAMES } from "../domain/commands/names.js";
import { permissionLevelSchema } from "./common.js";

export const commandsConfigSchema = z
  .object({
    disabled: z
      .array(z.enum(COMMAND_NAMES))
      .default([])
      .describe("Commands switched off in this repository; `/help` does not list them."),
    permissions: z
      .partialRecord(z.enum(COMMAND_NAMES), permissionLevelSchema)
      .default({})
      .describe(
        "Raise or lower the repository permission a command needs (`read`, `triage`, `write`, `maintain`, `admin`).",
      ),
  })
  .strict();

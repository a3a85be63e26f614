/** The inputs a worker job receives from `workflow_dispatch`, checked before anything runs. */
import { z } from "zod";

/** Agent names as Orkestra's configuration spells them (`claude`, `gpt-5`, `my_agent`). */
const AGENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const workerInputsSchema = z.object({
  issue: z.coerce.number().int().positive(),
  agent: z.string().trim().regex(AGENT_NAME, "an agent name: letters, digits, `.`, `_` or `-`, at most 64 characters"),
  attempt: z.coerce.number().int().positive(),
  round: z.coerce.number().int().positive().default(1),
});

export type WorkerInputs = z.infer<typeof workerInputsSchema>;

type ReadInputs = { ok: true; inputs: WorkerInputs } | { ok: false; error: string };

/**
 * Reads the worker inputs through `getInput` (as `@actions/core` gives them: "" when absent).
 * The error names each bad input, so a misconfigured dispatch reads clearly in the job log.
 */
export function readWorkerInputs(getInput: (name: string) => string): ReadInputs {
  const raw: Record<string, string | undefined> = {};
  for (const name of ["issue", "agent", "attempt", "round"] as const) {
    const value = getInput(name).trim();
    // Empty means absent: `round` then takes its default, a required one is reported missing.
    raw[name] = value === "" ? undefined : value;
  }
  const parsed = workerInputsSchema.safeParse(raw);
  if (parsed.success) return { ok: true, inputs: parsed.data };
  const problems = parsed.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? "input");
    const given = raw[name];
    if (given === undefined) return `\`${name}\` is missing`;
    return `\`${name}\` is ${JSON.stringify(given)}, expected ${expected(name, issue.message)}`;
  });
  return { ok: false, error: `Invalid worker inputs: ${problems.join("; ")}.` };
}

function expected(name: string, message: string): string {
  return name === "agent" ? message : "a positive whole number";
}

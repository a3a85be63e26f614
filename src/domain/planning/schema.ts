/**
 * The zod schemas of planning: what a planner must answer (`proposalSchema`, whose messages are
 * written for the model, which gets them back once to correct its answer) and the plan state
 * kept in the plan comment's marker (`planStateSchema`, validated when read back).
 */
import { z } from "zod";
import { readMarker } from "../markers.js";
import { PRIORITIES } from "../task/model.js";
import type { PlanItem, PlanMethod, PlanState, Proposal } from "./types.js";

/** Marker kind of the plan comment on the epic. */
export const PLAN_KIND = "plan";
/** Marker kind in the body of a sub-issue created from a plan item. */
export const PLAN_ITEM_KIND = "plan-item";

/** How proposals that still differ after the last round become one plan (`planning.method`). */
export const PLAN_METHODS = ["unanimous", "supermajority", "majority"] as const satisfies readonly PlanMethod[];

/** Sizes a planner's answer must keep to (also what keeps the plan comment small enough). */
export const PLAN_LIMITS = {
  keyChars: 40,
  titleChars: 100,
  descriptionChars: 600,
  acceptanceEntries: 5,
  acceptanceChars: 160,
  reasonChars: 600,
  feedbackChars: 2000,
} as const;

const PLAN_KEY_RE = /^[a-z0-9][a-z0-9-]{0,39}$/;

interface ProposalSchemaOptions {
  /** The repository's task types. */
  types: readonly string[];
  /** Configured agents a planner may suggest for an item. */
  agents: readonly string[];
  maxItems: number;
}

function list(values: readonly string[]): string {
  return values.length === 0 ? "(none configured)" : values.map((value) => JSON.stringify(value)).join(", ");
}

/**
 * The schema a planner's answer is validated with. Whitespace around strings is trimmed;
 * nothing else is changed: every other problem is an error that says what to fix.
 */
export function proposalSchema(options: ProposalSchemaOptions): z.ZodType<Proposal> {
  const { types, agents, maxItems } = options;
  const item = z
    .object({
      key: z
        .string()
        .trim()
        .regex(PLAN_KEY_RE, {
          message: "a key is 1 to 40 characters of lower-case letters, digits and '-', starting with a letter or digit (e.g. \"api-schema\")",
        })
        .describe("Short slug naming this item within your proposal (lower-case letters, digits, '-'; at most 40), which dependsOn refers to."),
      title: z
        .string()
        .trim()
        .min(1, { message: "the title must not be empty" })
        .max(PLAN_LIMITS.titleChars, { message: `the title must be at most ${PLAN_LIMITS.titleChars} characters; shorten it` })
        .describe(`The sub-issue's title (at most ${PLAN_LIMITS.titleChars} characters).`),
      description: z
        .string()
        .trim()
        .max(PLAN_LIMITS.descriptionChars, {
          message: `the description must be at most ${PLAN_LIMITS.descriptionChars} characters; shorten it`,
        })
        .describe(`What the sub-task is, in a few sentences (at most ${PLAN_LIMITS.descriptionChars} characters).`),
      type: z
        .string()
        .trim()
        .refine((value) => types.includes(value), { message: `the type must be one of ${list(types)}` })
        .describe(`The task type: one of ${list(types)}.`),
      priority: z
        .enum(PRIORITIES, { message: `the priority must be one of ${list(PRIORITIES)}` })
        .describe("low, medium, high or critical."),
      acceptance: z
        .array(
          z
            .string()
            .trim()
            .min(1, { message: "an acceptance criterion must not be empty; remove it" })
            .max(PLAN_LIMITS.acceptanceChars, {
              message: `an acceptance criterion must be at most ${PLAN_LIMITS.acceptanceChars} characters; shorten it`,
            }),
        )
        .max(PLAN_LIMITS.acceptanceEntries, {
          message: `at most ${PLAN_LIMITS.acceptanceEntries} acceptance criteria per item; keep the most important`,
        })
        .describe(`What must be true for the sub-task to be done (at most ${PLAN_LIMITS.acceptanceEntries}, each at most ${PLAN_LIMITS.acceptanceChars} characters).`),
      dependsOn: z
        .array(z.string().trim())
        .describe("Keys of other items of this proposal that must be done before this one (no cycles)."),
      agent: z
        .string()
        .trim()
        .nullable()
        .refine((value) => value === null || agents.includes(value), {
          message: `the agent must be one of ${list(agents)}, or null for no suggestion`,
        })
        .describe(`The agent you suggest for the work: one of ${list(agents)}, or null.`),
    })
    .strict();
  return z
    .object({
      items: z
        .array(item)
        .min(1, { message: "propose at least one item" })
        .max(maxItems, { message: `propose at most ${maxItems} items; merge or drop the least important` })
        .describe(`The sub-tasks, 1 to ${maxItems}.`),
      reason: z
        .string()
        .trim()
        .max(PLAN_LIMITS.reasonChars, { message: `the reason must be at most ${PLAN_LIMITS.reasonChars} characters; shorten it` })
        .describe(
          `Why this breakdown, and from round 2 on what you changed after reading the other planners (at most ${PLAN_LIMITS.reasonChars} characters).`,
        ),
    })
    .strict()
    .superRefine((proposal, ctx) => {
      for (const problem of proposalProblems(proposal.items)) ctx.addIssue({ code: "custom", message: problem.message, path: problem.path });
    })
    .describe("A breakdown of an epic issue into sub-tasks.");
}

/** Key uniqueness, title distinctness, dependency references and cycles of a proposal's items. */
function proposalProblems(items: readonly PlanItem[]): { message: string; path: (string | number)[] }[] {
  const problems: { message: string; path: (string | number)[] }[] = [];
  const keys = new Map<string, number>();
  const titles = new Map<string, number>();
  items.forEach((item, index) => {
    const first = keys.get(item.key);
    if (first !== undefined) {
      problems.push({ message: `key "${item.key}" is already used by item ${first}; give every item its own key`, path: ["items", index, "key"] });
    } else keys.set(item.key, index);
    const title = normaliseTitle(item.title);
    const same = titles.get(title);
    if (same !== undefined && title !== "") {
      problems.push({
        message: `the title is the same as item ${same}'s; merge the two items or make the titles distinct`,
        path: ["items", index, "title"],
      });
    } else titles.set(title, index);
  });
  const valid = [...keys.keys()];
  items.forEach((item, index) => {
    const seen = new Set<string>();
    item.dependsOn.forEach((dep, depIndex) => {
      const path = ["items", index, "dependsOn", depIndex];
      if (dep === item.key) problems.push({ message: `item "${item.key}" cannot depend on itself; remove "${dep}"`, path });
      else if (!keys.has(dep)) {
        problems.push({ message: `"${dep}" is not a key of this proposal; use one of ${list(valid)} or remove it`, path });
      } else if (seen.has(dep)) problems.push({ message: `"${dep}" is listed twice; list each dependency once`, path });
      seen.add(dep);
    });
  });
  const cycle = findKeyCycle(items);
  if (cycle) {
    problems.push({
      message: `dependsOn forms a cycle: ${cycle.join(" → ")}; remove one of these dependencies`,
      path: ["items"],
    });
  }
  return problems;
}

/** A dependency cycle among the items (`[a, b, a]`), or null; unknown keys and self-references are ignored. */
function findKeyCycle(items: readonly PlanItem[]): string[] | null {
  const deps = new Map(items.map((item) => [item.key, item.dependsOn.filter((dep) => dep !== item.key)]));
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (key: string): string[] | null => {
    const mark = state.get(key);
    if (mark === "done") return null;
    if (mark === "visiting") return [...stack.slice(stack.indexOf(key)), key];
    state.set(key, "visiting");
    stack.push(key);
    for (const dep of deps.get(key) ?? []) {
      if (!deps.has(dep)) continue;
      const found = visit(dep);
      if (found) return found;
    }
    stack.pop();
    state.set(key, "done");
    return null;
  };
  for (const item of items) {
    const found = visit(item.key);
    if (found) return found;
  }
  return null;
}

/**
 * The form of a title items are matched by across planners: lower-case, punctuation dropped,
 * whitespace folded, and a leading article (a, an, the) dropped.
 */
export function normaliseTitle(title: string): string {
  return title
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim()
    .replace(/^(?:a|an|the) (?=\S)/, "");
}

// The plan state as stored in its marker (loose on agent text: it was validated when recorded).

const planItemStored = z.object({
  key: z.string(),
  title: z.string(),
  description: z.string(),
  type: z.string(),
  priority: z.enum(PRIORITIES),
  acceptance: z.array(z.string()),
  dependsOn: z.array(z.string()),
  agent: z.string().nullable(),
});

const answerStored = z.discriminatedUnion("ok", [
  z.object({
    agent: z.string(),
    round: z.number().int(),
    at: z.string(),
    ok: z.literal(true),
    proposal: z.object({ items: z.array(planItemStored), reason: z.string() }),
  }),
  z.object({ agent: z.string(), round: z.number().int(), at: z.string(), ok: z.literal(false), error: z.string() }),
]);

const spendStored = z.object({
  calls: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  costUsd: z.number(),
});

const planStateSchema: z.ZodType<PlanState> = z.object({
  v: z.literal(1),
  epic: z.number().int().positive(),
  id: z.string().min(1),
  status: z.enum(["deliberating", "proposed", "approved", "created", "rejected", "stopped"]),
  planners: z.array(z.string()),
  method: z.enum(PLAN_METHODS),
  maxRounds: z.number().int().min(1),
  rounds: z.array(
    z.object({
      round: z.number().int().min(1),
      answers: z.array(answerStored),
      summary: z
        .array(z.object({ agent: z.string(), ok: z.boolean(), keys: z.array(z.string()), count: z.number().int().optional() }))
        .optional(),
    }),
  ),
  feedback: z.array(z.object({ by: z.string(), at: z.string(), text: z.string(), round: z.number().int() })),
  plan: z
    .object({
      items: z.array(planItemStored.extend({ supporters: z.array(z.string()) })),
      agreed: z.boolean(),
      disagreements: z.array(z.string()),
    })
    .nullable(),
  decidedBy: z.object({ by: z.string(), at: z.string(), how: z.string() }).nullable(),
  created: z.array(z.object({ key: z.string(), number: z.number().int(), id: z.number().int() })),
  spend: z.record(z.string(), spendStored),
  stopped: z.string().nullable(),
});

/** The plan state in a plan comment; null when there is none or it does not validate. */
export function readPlanState(body: string | null | undefined): PlanState | null {
  return readMarker(body, PLAN_KIND, planStateSchema);
}

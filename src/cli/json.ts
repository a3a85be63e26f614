/**
 * The JSON each command prints with `--json`: exactly one document on stdout, in these shapes.
 * Scripts may rely on them; tests parse every command's output with them.
 */
import { z } from "zod";
import { ledgerEntrySchema } from "../domain/ledger/entry.js";

const nullableString = z.string().nullable();

export const taskRowSchema = z.object({
  number: z.number().int().positive(),
  title: z.string(),
  status: nullableString,
  priority: nullableString,
  type: nullableString,
  agent: nullableString,
  labels: z.array(z.string()),
});

export const tasksJsonSchema = z.object({
  repo: z.string(),
  tasks: z.array(taskRowSchema),
  /** True when `--limit` cut the listing short. */
  truncated: z.boolean(),
});

export const voteRowSchema = z.object({
  issue: z.number().int().positive(),
  title: z.string(),
  pullRequest: z.boolean(),
  question: z.string(),
  method: z.string(),
  /** ISO; when the vote closes by itself. */
  deadline: nullableString,
  ballots: z.number().int().min(0),
  voters: z.number().int().min(0),
  quorum: z.number().int().min(0),
  /** The option that would win if the vote closed now. */
  leading: nullableString,
});

export const votesJsonSchema = z.object({
  repo: z.string(),
  votes: z.array(voteRowSchema),
});

export const planRowSchema = z.object({
  issue: z.number().int().positive(),
  title: z.string(),
  /** `deliberating`, `proposed`, `approved`, … or null when the epic has no readable plan comment yet. */
  status: nullableString,
  rounds: z.number().int().min(0),
  planners: z.array(z.string()),
  items: z.number().int().min(0),
  agreed: z.boolean().nullable(),
  created: z.number().int().min(0),
});

export const plansJsonSchema = z.object({
  repo: z.string(),
  plans: z.array(planRowSchema),
});

export const agentRowSchema = z.object({
  name: z.string(),
  provider: z.string(),
  model: z.string(),
  /** Turned on in the configuration. */
  enabled: z.boolean(),
  /** Whether this shell has its key (the Action reads keys from secrets instead). */
  keyHere: z.boolean(),
  off: nullableString,
  calls: z.number().min(0),
  tokens: z.number().min(0),
  spentUsd: z.number().min(0),
  /** The agent's own daily budget, null when only the global one applies. */
  budgetUsd: z.number().nullable(),
  /** Health from the day's usage record, when it holds one. */
  health: z.unknown().optional(),
});

export const agentsJsonSchema = z.object({
  repo: z.string(),
  day: z.string(),
  agents: z.array(agentRowSchema),
  today: z.object({ calls: z.number(), tokens: z.number(), spentUsd: z.number(), budgetUsd: z.number().nullable() }),
});

export const auditJsonSchema = z.object({
  repo: z.string(),
  /** Newest first. */
  entries: z.array(ledgerEntrySchema),
  /** Ledger lines that could not be read. */
  invalid: z.number().int().min(0),
  pages: z.number().int().min(0),
});

export const sweepJsonSchema = z.object({
  repo: z.string(),
  dryRun: z.literal(true),
  /** "ran", or "not-due"; null when the sweep did not start (an invalid configuration). */
  sweep: nullableString,
  actions: z.array(z.string()),
  notes: z.array(z.string()),
  errors: z.array(z.string()),
  configErrors: z.array(z.object({ path: z.string(), message: z.string(), line: z.number().optional(), column: z.number().optional() })),
  coverage: z
    .object({
      fromPage: z.number(),
      pagesRead: z.number(),
      totalPages: z.number(),
      nextPage: z.number().nullable(),
      tasks: z.number(),
      requests: z.number(),
      allowance: z.number().nullable(),
      text: z.string(),
    })
    .nullable(),
  truncated: z.object({ reason: z.string(), notReached: z.array(z.string()) }).nullable(),
});

const configErrorSchema = z.object({
  path: z.string(),
  message: z.string(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
});

export const validateJsonSchema = z.object({
  file: z.string(),
  ok: z.boolean(),
  errors: z.array(configErrorSchema),
});

export const doctorCheckSchema = z.object({
  /** A stable id: `token`, `repository`, `permission:issues`, `config`, `labels`, `workflows`, … */
  id: z.string(),
  /** ok ✓, fail ✗ (the exit code is 1), warn (a note; not a failure), skip. */
  status: z.enum(["ok", "fail", "warn", "skip"]),
  summary: z.string(),
  /** What to do about it. */
  fix: z.string().optional(),
});

export const doctorJsonSchema = z.object({
  repo: z.string(),
  login: nullableString,
  ok: z.boolean(),
  checks: z.array(doctorCheckSchema),
});

/** `orkestra status --json` prints the dashboard model (src/domain/dashboard/model.ts) as it is. */
export const statusJsonSchema = z.looseObject({
  repo: z.string(),
  at: z.string(),
  paused: z.object({ by: z.string(), at: z.string(), why: z.string().nullable() }).nullable(),
  tasks: z.array(z.looseObject({ number: z.number(), title: z.string(), status: z.string().nullable(), agent: z.string().nullable() })),
  openTasks: z.number(),
  pulls: z.array(z.looseObject({ number: z.number(), title: z.string() })),
  votes: z.array(z.looseObject({ issue: z.number(), title: z.string(), deadline: z.string().nullable(), ballots: z.number() })),
  plans: z.array(z.looseObject({ issue: z.number(), title: z.string(), status: z.string() })),
  escalations: z.array(z.looseObject({ issue: z.number(), title: z.string(), why: z.string() })),
  agents: z.array(z.looseObject({ name: z.string() })),
  coverage: z.object({ text: z.string(), complete: z.boolean() }).nullable(),
});

/** What every command prints on stderr with `--json` when it fails: still one JSON document, on stdout. */
export const errorJsonSchema = z.object({
  error: z.object({ code: z.number().int(), message: z.string() }),
});

export type TaskRow = z.infer<typeof taskRowSchema>;
export type VoteRow = z.infer<typeof voteRowSchema>;
export type PlanRow = z.infer<typeof planRowSchema>;
export type AgentRow = z.infer<typeof agentRowSchema>;
export type DoctorCheck = z.infer<typeof doctorCheckSchema>;

/**
 * The example workflows as GitHub Actions reads them: which jobs an event starts (`on:` × each
 * job's `if:`, evaluated with GitHub's own expression library) and with which token permissions.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Evaluator, Lexer, Parser, data } from "@actions/expressions";
import { truthy } from "@actions/expressions/result";
import { parse } from "yaml";
import type { AccessLevel, IntegrationPermissions, PermissionScope } from "../../tools/sandbox/index.js";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

type Level = "read" | "write" | "none";

export interface Job {
  name: string;
  /** The job's `if:` (without `${{ }}`), or null when it has none. */
  if: string | null;
  /** The job's `permissions:`, as written (`pull-requests: write`); `{}` when it asks for none. */
  permissions: Record<string, Level>;
  steps: { uses?: string; with?: Record<string, unknown> }[];
  concurrency?: { group?: string; queue?: string; "cancel-in-progress"?: boolean };
}

export interface Workflow {
  /** Event name → its activity types (null: every type). */
  on: Map<string, string[] | null>;
  permissions: unknown;
  jobs: Job[];
}

export function readWorkflow(path: string): Workflow {
  const doc = parse(readFileSync(join(ROOT, path), "utf8")) as {
    on: Record<string, { types?: string[] } | null>;
    permissions?: unknown;
    jobs: Record<string, Omit<Job, "name" | "if" | "permissions"> & { if?: string; permissions?: Record<string, Level> }>;
  };
  const on = new Map(Object.entries(doc.on).map(([name, spec]) => [name, spec?.types ?? null] as const));
  const jobs = Object.entries(doc.jobs).map(([name, job]) => ({
    ...job,
    name,
    if: job.if === undefined ? null : job.if.replace(/^\s*\$\{\{([\s\S]*)\}\}\s*$/, "$1"),
    permissions: job.permissions ?? {},
  }));
  return { on, permissions: doc.permissions, jobs };
}

/** Evaluates an expression with GitHub's expression library against the `github` and `inputs` contexts. */
function evaluate(expression: string, github: Record<string, unknown>, inputs: Record<string, unknown> = {}): boolean {
  const lexed = new Lexer(expression).lex();
  const parsed = new Parser(lexed.tokens, ["github", "inputs"], []).parse();
  const context = JSON.parse(JSON.stringify({ github, inputs }), data.reviver) as data.Dictionary;
  return truthy(new Evaluator(parsed, context).evaluate());
}

/** The jobs GitHub starts for an event: the workflow listens to it (and its action), and the job's `if:` holds. */
export function jobsFor(workflow: Workflow, name: string, payload: Record<string, unknown>): Job[] {
  if (!workflow.on.has(name)) return [];
  const types = workflow.on.get(name);
  if (types && !types.includes(String(payload.action))) return [];
  const github = { event_name: name, event: payload, run_id: "1", repository: "octo-org/orkestra-demo" };
  return workflow.jobs.filter((job) => job.if === null || evaluate(job.if, github));
}

const SCOPES: Record<string, PermissionScope> = {
  issues: "issues",
  "pull-requests": "pull_requests",
  contents: "contents",
  checks: "checks",
  actions: "actions",
  statuses: "statuses",
};

/** A job's `permissions:` as the token GitHub gives the job has them (the sandbox's spelling; none left out). */
export function tokenPermissions(permissions: Record<string, Level>): IntegrationPermissions {
  const token: IntegrationPermissions = {};
  for (const [key, level] of Object.entries(permissions)) {
    const scope = SCOPES[key];
    if (!scope) throw new Error(`the test does not know the permission \`${key}\``);
    if (level !== "none") token[scope] = level satisfies AccessLevel;
  }
  return token;
}

/** One step down: write → read, read → none. */
export function lowered(level: Level): Level {
  return level === "write" ? "read" : "none";
}

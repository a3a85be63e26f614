/**
 * The outcome file: what the read-only `work` job hands to the `publish` job (as an artifact).
 * It is written by Orkestra after the CLI finished, but it lies in a job where agent code ran, so
 * the publish side reads it as untrusted data: a bounded size, a strict shape (no extra fields),
 * repository-relative paths, modes from git's set, content as strict base64 decoded here, and the
 * job it names must be the job being published.
 *
 * Format (version 1), JSON:
 *   { "version": 1, "job": { "issue", "agent", "attempt", "round" }, "usage": { "inputTokens", "outputTokens", "costUsd" },
 *     "ok": true, "baseSha": "<40 or 64 hex>", "summary": "…",
 *     "changes": [{ "path": "src/a.ts", "kind": "add" | "modify" | "delete", "mode": "100644" | "100755" | "120000" | "160000", "content": "<base64>" | null }] }
 *   or { "version": 1, "job": …, "usage": …, "ok": false, "reason": "…" }
 */
import { lstat, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { z } from "zod";
import type { FileChange } from "../../domain/execution/safe-outputs.js";
import type { WorkerJob, WorkerOutcome as PublishedOutcome } from "../../handlers/execution/worker.js";
import { asContent } from "./collect.js";
import type { WorkerOutcome as RunOutcome } from "./index.js";
import { workerInputsSchema } from "./inputs.js";

/** The whole file, read before parsing: far above any change set the safe-output check lets through. */
const MAX_OUTCOME_FILE_BYTES = 64 * 1024 * 1024;
/** Most changed paths one file may list (the configured limit, checked later, is lower). */
const MAX_CHANGES = 10_000;
/** One file's decoded content. */
const MAX_FILE_BYTES = 32 * 1024 * 1024;
const MAX_PATH_CHARS = 4_096;
const MAX_SUMMARY_CHARS = 65_536;
const MAX_REASON_CHARS = 8_000;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

const pathSchema = z
  .string()
  .min(1)
  .max(MAX_PATH_CHARS)
  .refine((path) => ![...path].some((char) => char.charCodeAt(0) < 0x20 || char === "\u007f"), "control characters are not allowed in a path")
  .refine((path) => !path.startsWith("/") && !path.includes("\\"), "a path is relative to the repository root and uses `/`")
  .refine((path) => path.split("/").every((part) => part !== "" && part !== "." && part !== ".."), "a path has no empty, `.` or `..` part")
  .refine((path) => path.split("/").every((part) => part.toLowerCase() !== ".git"), "a path never goes into `.git`");

const changeSchema = z
  .object({
    path: pathSchema,
    kind: z.enum(["add", "modify", "delete"]),
    mode: z.enum(["100644", "100755", "120000", "160000"]),
    content: z
      .string()
      .max(Math.ceil(MAX_FILE_BYTES / 3) * 4, `content is more than ${MAX_FILE_BYTES} bytes`)
      .regex(BASE64, "content is not base64")
      .nullable(),
  })
  .strict()
  .superRefine((change, ctx) => {
    const empty = change.kind === "delete" || change.mode === "160000";
    if (empty && change.content !== null) ctx.addIssue({ code: "custom", path: ["content"], message: "a deletion or a submodule has no content (null)" });
    if (!empty && change.content === null) ctx.addIssue({ code: "custom", path: ["content"], message: "an added or modified file needs its content" });
  });

const jobSchema = z
  .object({
    issue: z.number().int().positive(),
    agent: workerInputsSchema.shape.agent,
    attempt: z.number().int().positive(),
    round: z.number().int().positive(),
  })
  .strict();

const count = z.number().int().min(0).max(1e12);
const usageSchema = z.object({ inputTokens: count, outputTokens: count, costUsd: z.number().min(0).max(1e6).nullable() }).strict();

const outcomeFileSchema = z.discriminatedUnion("ok", [
  z
    .object({
      version: z.literal(1),
      job: jobSchema,
      usage: usageSchema,
      ok: z.literal(true),
      baseSha: z.string().regex(SHA, "a full commit sha"),
      summary: z.string().max(MAX_SUMMARY_CHARS),
      changes: z.array(changeSchema).max(MAX_CHANGES),
    })
    .strict(),
  z
    .object({ version: z.literal(1), job: jobSchema, usage: usageSchema, ok: z.literal(false), reason: z.string().min(1).max(MAX_REASON_CHARS) })
    .strict(),
]);

type OutcomeFile = z.infer<typeof outcomeFileSchema>;

const NO_USAGE = { inputTokens: 0, outputTokens: 0, costUsd: null };

/** The file for what `runWorker` produced (or a failure the worker step found itself). */
export function outcomeFile(job: WorkerJob, baseSha: string | null, outcome: RunOutcome | { ok: false; reason: string }): OutcomeFile {
  if (!outcome.ok || baseSha === null) {
    const reason = outcome.ok ? "no base commit" : outcome.reason;
    return { version: 1, job, usage: "usage" in outcome ? outcome.usage : NO_USAGE, ok: false, reason: clip(reason, MAX_REASON_CHARS) };
  }
  const file: OutcomeFile = {
    version: 1,
    job,
    usage: outcome.usage,
    ok: true,
    baseSha,
    summary: clip(outcome.summary, MAX_SUMMARY_CHARS),
    changes: outcome.changes.map((change) => ({ path: change.path, kind: change.kind, mode: change.mode, content: encode(change.content) })),
  };
  // What publish would refuse is a failed round already here, with the reason in the work job's log.
  const checked = outcomeFileSchema.safeParse(file);
  if (checked.success) return file;
  return { version: 1, job, usage: outcome.usage, ok: false, reason: clip(`the changes cannot be handed over: ${problems(checked.error)}`, MAX_REASON_CHARS) };
}

export async function writeOutcomeFile(path: string, file: OutcomeFile): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(file)}\n`, { mode: 0o600 });
}

type ReadOutcome = { ok: true; outcome: PublishedOutcome } | { ok: false; missing: true } | { ok: false; missing: false; error: string };

/** Reads and checks the handed-over file for `job`. Never throws. */
export async function readOutcomeFile(path: string, job: WorkerJob, maxFileBytes = MAX_OUTCOME_FILE_BYTES): Promise<ReadOutcome> {
  const refuse = (why: string): ReadOutcome => ({ ok: false, missing: false, error: `The worker's outcome file ${path} was refused: ${why}. Nothing was written.` });
  let text: string;
  try {
    const stat = await lstat(path);
    if (!stat.isFile()) return refuse("it is not a regular file");
    if (stat.size > maxFileBytes) return refuse(`it is ${stat.size} bytes, more than ${maxFileBytes}`);
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { ok: false, missing: true };
    return refuse(`it could not be read (${error instanceof Error ? error.message : String(error)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return refuse("it is not JSON");
  }
  const parsed = outcomeFileSchema.safeParse(json);
  if (!parsed.success) return refuse(problems(parsed.error));
  const file = parsed.data;
  const named = `#${file.job.issue} \`${file.job.agent}\` attempt ${file.job.attempt} round ${file.job.round}`;
  if (file.job.issue !== job.issue || file.job.agent !== job.agent || file.job.attempt !== job.attempt || file.job.round !== job.round) {
    return refuse(`it is for ${named}, and this run publishes #${job.issue} \`${job.agent}\` attempt ${job.attempt} round ${job.round}`);
  }
  if (!file.ok) return { ok: true, outcome: { ok: false, reason: file.reason, usage: file.usage } };
  const seen = new Set<string>();
  const changes: FileChange[] = [];
  for (const [index, change] of file.changes.entries()) {
    if (seen.has(change.path)) return refuse(`changes.${index}.path: ${JSON.stringify(change.path)} is listed twice`);
    seen.add(change.path);
    const bytes = change.content === null ? null : Buffer.from(change.content, "base64");
    if (bytes && bytes.length > MAX_FILE_BYTES) return refuse(`changes.${index}.content: more than ${MAX_FILE_BYTES} bytes`);
    changes.push({ path: change.path, kind: change.kind, mode: change.mode, content: bytes ? asContent(bytes) : null, size: bytes?.length ?? 0 });
  }
  return { ok: true, outcome: { ok: true, summary: file.summary, changes, baseSha: file.baseSha, usage: file.usage } };
}

function encode(content: FileChange["content"]): string | null {
  if (content === null) return null;
  return (typeof content === "string" ? Buffer.from(content, "utf8") : Buffer.from(content)).toString("base64");
}

/** The first few problems, each with where it is (`changes.0.path: …`). */
function problems(error: z.ZodError): string {
  const lines = error.issues.slice(0, 5).map((issue) => `${issue.path.length > 0 ? `${issue.path.join(".")}: ` : ""}${issue.message}`);
  const more = error.issues.length > 5 ? ` (and ${error.issues.length - 5} more)` : "";
  return `${lines.join("; ")}${more}`;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

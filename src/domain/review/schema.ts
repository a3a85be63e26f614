/**
 * The answer every review agent must give, validated with zod before anything uses it.
 *
 * `agentReviewSchema` is what providers are asked for (JSON Schema via `z.toJSONSchema`): every key
 * is required and optional concepts are `null`, which OpenAI's strict structured output needs and
 * Gemini and Anthropic accept. `parseAgentReview` is more forgiving on input (missing nullable keys,
 * lower-case sides) and returns a normalised `AgentReview` or a message that can be sent back to the
 * model for its one retry.
 */
import { z } from "zod";

export const VERDICTS = ["approve", "concern", "blocker"] as const;
export type Verdict = (typeof VERDICTS)[number];

/** `info`: worth knowing; `warning`: should be fixed; `blocker`: must be fixed before merging. */
export const SEVERITIES = ["info", "warning", "blocker"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const REVIEW_LIMITS = {
  summaryChars: 4000,
  messageChars: 2000,
  suggestionChars: 4000,
  pathChars: 1000,
  findings: 50,
} as const;

const side = z.enum(["LEFT", "RIGHT"]);

const findingSchema = z.object({
  file: z.string().min(1).max(REVIEW_LIMITS.pathChars).describe("Path of the file as shown in the diff header."),
  line: z.number().int().min(1).describe("Line number as shown in the diff (the last line for a range)."),
  startLine: z.number().int().min(1).nullable().describe("First line of a multi-line range, or null."),
  side: side.nullable().describe("RIGHT for added or unchanged lines (new numbers), LEFT for deleted lines; null means RIGHT."),
  severity: z.enum(SEVERITIES).describe("info: worth knowing; warning: should be fixed; blocker: must be fixed before merging."),
  message: z.string().min(1).max(REVIEW_LIMITS.messageChars).describe("What is wrong and why, in one short paragraph."),
  suggestion: z
    .string()
    .max(REVIEW_LIMITS.suggestionChars)
    .nullable()
    .describe("Replacement text for the line(s), or null. Only for RIGHT lines."),
});

export const agentReviewSchema = z.object({
  verdict: z.enum(VERDICTS).describe("approve: ready to merge; concern: questions or non-blocking problems; blocker: must not merge as is."),
  summary: z.string().min(1).max(REVIEW_LIMITS.summaryChars).describe("A short overall assessment in Markdown."),
  findings: z.array(findingSchema).max(REVIEW_LIMITS.findings).describe("Specific problems tied to a file and line."),
});

export type AgentReviewAnswer = z.infer<typeof agentReviewSchema>;

export interface Finding {
  file: string;
  line: number;
  startLine: number | null;
  side: "LEFT" | "RIGHT";
  severity: Severity;
  message: string;
  suggestion: string | null;
}

export interface AgentReview {
  verdict: Verdict;
  summary: string;
  findings: Finding[];
}

/** Input leniency: nullable keys may be missing, sides and enums may be lower case, text is trimmed. */
const upper = (value: unknown) => (typeof value === "string" ? value.trim().toUpperCase() : value);
const lower = (value: unknown) => (typeof value === "string" ? value.trim().toLowerCase() : value);
const trimmed = (schema: z.ZodString) => z.preprocess((value) => (typeof value === "string" ? value.trim() : value), schema);

const findingInput = z.object({
  file: trimmed(findingSchema.shape.file),
  line: findingSchema.shape.line,
  startLine: findingSchema.shape.startLine.optional(),
  side: z.preprocess(upper, side.nullable().optional()),
  severity: z.preprocess(lower, findingSchema.shape.severity),
  message: trimmed(findingSchema.shape.message),
  suggestion: findingSchema.shape.suggestion.optional(),
});

const reviewInput = z.object({
  verdict: z.preprocess(lower, agentReviewSchema.shape.verdict),
  summary: trimmed(agentReviewSchema.shape.summary),
  findings: z.array(findingInput).max(REVIEW_LIMITS.findings).optional(),
});

type ParseResult = { ok: true; review: AgentReview } | { ok: false; error: string };

/** Validates one agent's answer (already JSON-decoded) into a normalised review. */
export function parseAgentReview(input: unknown): ParseResult {
  const parsed = reviewInput.safeParse(input);
  if (!parsed.success) return { ok: false, error: z.prettifyError(parsed.error) };
  const { verdict, summary, findings = [] } = parsed.data;
  return {
    ok: true,
    review: {
      verdict,
      summary,
      findings: findings.map((finding) => ({
        file: finding.file,
        line: finding.line,
        startLine: finding.startLine ?? null,
        side: finding.side ?? "RIGHT",
        severity: finding.severity,
        message: finding.message,
        suggestion: finding.suggestion ?? null,
      })),
    },
  };
}

/** Parses a model's raw text: JSON, optionally wrapped in a ```json fence. */
export function parseAgentReviewText(text: string): ParseResult {
  const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n\s*```\s*$/.exec(text);
  try {
    return parseAgentReview(JSON.parse(fenced?.[1] ?? text) as unknown);
  } catch (error) {
    return { ok: false, error: `not valid JSON: ${(error as Error).message}` };
  }
}

/**
 * The verdict the policy counts: an agent that reports a blocker finding is a blocker even if it
 * said approve or concern (the finding is the evidence; the safer reading wins).
 */
export function effectiveVerdict(review: AgentReview): Verdict {
  if (review.verdict === "blocker" || review.findings.some((finding) => finding.severity === "blocker")) return "blocker";
  return review.verdict;
}

/**
 * Why an agent gave no verdict: the call failed, ran out of time, answered invalid JSON twice, or
 * was skipped because it is degraded (its circuit breaker is open; `error` then says until when).
 */
export type AbstentionStatus = "error" | "timeout" | "invalid" | "degraded";

/** One agent's result for a review run; anything but `ok` is an abstention. */
export type AgentOutcome =
  | { agent: string; status: "ok"; review: AgentReview }
  | { agent: string; status: AbstentionStatus; error: string };

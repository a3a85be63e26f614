/**
 * How far an agent's work on a task has come, as the task card shows it: a checklist in the manner
 * of the Copilot coding agent's pull requests (started, branch, commits, pull request, review
 * round, checks). The state is part of the card's metadata — the card stays the one record of a
 * task — so `executionStateSchema` is meant to be embedded in the card's schema, not read alone.
 */
import { z } from "zod";
import { formatTime } from "../markdown.js";
import { codeSpan, oneLine } from "../untrusted-text.js";
import { formatCount, formatUsage } from "./format.js";

export const executionStateSchema = z.object({
  mode: z.enum(["api", "cli"]),
  agent: z.string().min(1),
  /** 1 for the first attempt; a retry (another agent, or the same after a failure) counts up. */
  attempt: z.number().int().positive(),
  /** What the task ends in: a draft pull request, or one result comment (types that produce no files). */
  output: z.enum(["pull-request", "comment"]),
  startedAt: z.string(),
  /** The Actions run doing the work (CLI mode) or holding the agent's session; null until known. */
  run: z.object({ id: z.number().int().positive().nullable(), url: z.url({ protocol: /^https$/ }) }).nullable(),
  branch: z.string().min(1).nullable(),
  commits: z.number().int().min(0),
  pr: z.number().int().positive().nullable(),
  /** The result comment's id, for tasks that end in one. */
  comment: z.number().int().positive().nullable(),
  /** Review round of this attempt (1-based) and how many it may take. */
  round: z.number().int().positive(),
  maxRounds: z.number().int().positive(),
  review: z.enum(["waiting", "changes-requested", "approved"]).nullable(),
  /** `not-run`: the pull request was opened with a job's GITHUB_TOKEN, which starts no workflow. */
  checks: z.enum(["pending", "passing", "failing", "not-run"]).nullable(),
  usage: z.object({
    inputTokens: z.number().int().min(0),
    outputTokens: z.number().int().min(0),
    costUsd: z.number().min(0).nullable(),
  }),
  /** The summary of the last safe-output refusal in this attempt, if any. */
  lastRefusal: z.string().nullable(),
});
type ExecutionState = z.infer<typeof executionStateSchema>;

const REVIEW_TEXT: Record<NonNullable<ExecutionState["review"]>, string> = {
  waiting: "waiting for the reviewers",
  "changes-requested": "changes requested",
  approved: "approved",
};
const CHECKS_TEXT: Record<NonNullable<ExecutionState["checks"]>, string> = {
  pending: "running",
  passing: "passing",
  failing: "failing",
  "not-run": "not run (a job's `GITHUB_TOKEN` opened the pull request: close and reopen it to start them)",
};

/** The card's progress section: a heading line, the checklist, what was used, and the last refusal. */
export function renderProgress(state: ExecutionState): string {
  const lines = [`**Progress** · attempt ${state.attempt} by ${codeSpan(state.agent)} (${state.mode.toUpperCase()} mode)`, ""];
  const started = `Started ${formatTime(state.startedAt)}${state.run ? ` — [${state.mode === "cli" ? "worker run" : "agent session"}](${linkTarget(state.run.url)})` : ""}`;
  lines.push(item(true, started));
  if (state.output === "comment") {
    lines.push(item(state.comment !== null, state.comment !== null ? `[Result posted](#issuecomment-${state.comment})` : "Result comment"));
  } else {
    lines.push(item(state.branch !== null, state.branch !== null ? `Branch ${codeSpan(state.branch)}` : "Branch"));
    lines.push(item(state.commits > 0, state.commits > 0 ? `${formatCount(state.commits)} commit${state.commits === 1 ? "" : "s"}` : "Commits"));
    lines.push(item(state.pr !== null, state.pr !== null ? `Pull request #${state.pr}` : "Pull request"));
    const review = state.review ? ` — ${REVIEW_TEXT[state.review]}` : "";
    lines.push(item(state.review === "approved", `Review round ${state.round} of ${state.maxRounds}${review}`));
    lines.push(item(state.checks === "passing", `Checks${state.checks ? ` — ${CHECKS_TEXT[state.checks]}` : ""}`));
  }
  lines.push("", `<sub>Used so far: ${formatUsage(state.usage)}</sub>`);
  if (state.lastRefusal) lines.push("", `**Last refusal:** ${oneLine(state.lastRefusal, 300)}`);
  return lines.join("\n");
}

function item(done: boolean, text: string): string {
  return `- [${done ? "x" : " "}] ${text}`;
}

/** A link destination in angle brackets, which may hold parentheses but never `<`, `>` or spaces. */
function linkTarget(url: string): string {
  return `<${url.replace(/[<>\s]/g, (char) => encodeURIComponent(char))}>`;
}

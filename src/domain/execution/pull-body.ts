/**
 * What Orkestra writes for an agent's finished work: the draft pull request's body, or — for task
 * types that produce no files — one result comment on the issue. Both start with an `execution`
 * marker so Orkestra finds them again, carry the agent's own account as untrusted text, and stay
 * under GitHub's body limit whatever the agent wrote.
 */
import { z } from "zod";
import { readMarker, renderMarker } from "../markers.js";
import { GITHUB_BODY_LIMIT, boundedList, textSize, truncateMarkdown } from "../review/markdown.js";
import { codeSpan, defuseAgentText, oneLine } from "../untrusted-text.js";
import { formatCount, formatUsage, type Usage } from "./format.js";
import type { FileChange } from "./safe-outputs.js";

const MARKER_KIND = "execution";

const executionMarkerSchema = z.object({
  v: z.literal(1),
  issue: z.number().int().positive(),
  agent: z.string().min(1),
  attempt: z.number().int().positive(),
  /** The review round the pull request body describes; null for a result comment. */
  round: z.number().int().positive().nullable(),
  output: z.enum(["pull-request", "comment"]),
});
type ExecutionMarker = z.infer<typeof executionMarkerSchema>;

/** The marker of a pull request body or result comment Orkestra wrote for a task; null otherwise. */
export function readExecutionMarker(body: string | null | undefined): ExecutionMarker | null {
  return readMarker(body, MARKER_KIND, executionMarkerSchema);
}

interface ExecutionFacts {
  issue: number;
  agent: string;
  mode: "api" | "cli";
  attempt: number;
  usage: Usage;
  /** Defaults to GitHub's body limit; lower only in tests. */
  limit?: number;
}

interface PullBodyInput extends ExecutionFacts {
  round: number;
  /** The agent's account of what it changed and why (untrusted). */
  summary: string;
  files: readonly Pick<FileChange, "path" | "kind">[];
  /** From `acceptanceCriteria` (untrusted). */
  criteria: readonly string[];
  /**
   * True when the pull request is opened with an Actions job's GITHUB_TOKEN: GitHub starts no
   * workflow for events that token causes, so CI waits for a person.
   */
  openedWithJobToken: boolean;
}

const KIND_WORD: Record<FileChange["kind"], string> = { add: "added", modify: "modified", delete: "deleted" };
const CUT_NOTE = "…(cut to fit GitHub's size limit)";
/** Room kept for the line breaks between sections and a truncation note. */
const SLACK = 200;

/**
 * The draft pull request's body: marker, `Closes #<issue>` and the CI note before any untrusted
 * text (so nothing an agent writes can swallow them), then what changed and why, the files, the
 * acceptance criteria as a checklist, and the facts. Lists end with "… and N more" and the
 * summary is cut to what is left, so the body always fits `limit`.
 */
export function pullRequestBody(input: PullBodyInput): string {
  const head = [
    renderMarker(MARKER_KIND, { v: 1, issue: input.issue, agent: input.agent, attempt: input.attempt, round: input.round, output: "pull-request" }),
    `Closes #${input.issue}`,
  ];
  if (input.openedWithJobToken) {
    head.push(
      "",
      "> [!NOTE]",
      "> Orkestra opened this pull request with the workflow's `GITHUB_TOKEN`, and GitHub starts no workflows for events that token causes: CI has not run. Closing and reopening the pull request, or pushing a commit to its branch, starts the checks.",
    );
  }
  const facts = `<sub>🎼 ${factsLine(input)} · review round ${input.round}</sub>`;
  const headings = ["### What changed and why", `### Files changed (${formatCount(input.files.length)})`, "### Acceptance criteria"];
  const room = (input.limit ?? GITHUB_BODY_LIMIT) - textSize(head.join("\n")) - textSize(headings.join("\n")) - textSize(facts) - SLACK;

  const criteria =
    input.criteria.length > 0
      ? boundedList(
          input.criteria.map((text) => `- [ ] ${oneLine(breakSwallowingTags(defuseClosingKeywords(text)), 500)}`),
          Math.floor(room / 4),
        )
      : "_The issue names no acceptance criteria._";
  const files = boundedList(
    input.files.map((file) => `- ${KIND_WORD[file.kind]} ${codeSpan(file.path)}`),
    Math.floor(room / 4),
  );
  const summary = agentMarkdown(input.summary, room - textSize(criteria) - textSize(files));
  return [...head, "", headings[0], "", summary, "", headings[1], "", files, "", headings[2], "", criteria, "", "---", facts].join("\n");
}

interface ResultCommentInput extends ExecutionFacts {
  /** The agent's result: its research, draft or answer (untrusted). */
  result: string;
}

/** The one comment a task that produces no files ends in: the agent's result and the same facts. */
export function resultComment(input: ResultCommentInput): string {
  const marker = renderMarker(MARKER_KIND, { v: 1, issue: input.issue, agent: input.agent, attempt: input.attempt, round: null, output: "comment" });
  const heading = `### 🎼 Result from ${codeSpan(input.agent)}`;
  const facts = `<sub>🎼 ${factsLine(input)}</sub>`;
  const room = (input.limit ?? GITHUB_BODY_LIMIT) - textSize(marker) - textSize(heading) - textSize(facts) - SLACK;
  return [marker, heading, "", agentMarkdown(input.result, room), "", "---", facts].join("\n");
}

function factsLine(facts: ExecutionFacts): string {
  return `agent ${codeSpan(facts.agent)} (${facts.mode.toUpperCase()} mode) · attempt ${facts.attempt} · ${formatUsage(facts.usage)}`;
}

/**
 * An agent's Markdown made safe to place before Orkestra's own sections: defused (mentions,
 * marker look-alikes, slash commands), no closing keyword that would close another issue on
 * merge, no HTML element that swallows what follows, no fence left open, and cut to `max`.
 */
function agentMarkdown(text: string, max: number): string {
  const safe = breakSwallowingTags(defuseClosingKeywords(defuseAgentText(text.trim())));
  const body = safe === "" ? "_The agent gave no account._" : closeOpenFence(safe);
  if (textSize(body) <= max) return body;
  // truncateMarkdown cuts between lines: a line longer than half the room is shortened first, or it would be lost whole.
  const short = shortenLines(body, Math.floor(max / 2));
  return textSize(short) + textSize(CUT_NOTE) + 1 <= max ? `${short}\n${CUT_NOTE}` : truncateMarkdown(short, Math.max(0, max), CUT_NOTE);
}

function shortenLines(text: string, max: number): string {
  return text
    .split("\n")
    .map((line) => {
      if (textSize(line) <= max) return line;
      let kept = "";
      let size = 3; // the UTF-8 size of the "…" that ends it
      for (const char of line) {
        size += textSize(char);
        if (size > max) break;
        kept += char;
      }
      return `${kept}…`;
    })
    .join("\n");
}

/**
 * GitHub closes the issues a pull request body names after `closes`, `fixes` or `resolves` when it
 * merges; only the task's own `Closes #n`, written by Orkestra, may do that. A zero-width space
 * inside the keyword reads the same and closes nothing.
 */
function defuseClosingKeywords(text: string): string {
  return text.replace(
    /\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)(?=:?\s+(?:(?:[\w.-]+\/[\w.-]+)?#\d|gh-\d|https?:\/\/))/gi,
    (keyword) => `${keyword.slice(0, 1)}\u200b${keyword.slice(1)}`,
  );
}

/** Elements whose content runs to their end tag (or the end of the body): `<pre>` would hide `Closes`. */
function breakSwallowingTags(text: string): string {
  return text.replace(/<(?=\/?(?:pre|code|textarea|script|style|xmp|plaintext|listing|title|iframe|noscript|a)\b)/gi, "<\u200b");
}

/** Closes a code fence the text leaves open, so Orkestra's sections after it are not code. */
function closeOpenFence(text: string): string {
  let fence: string | null = null;
  for (const line of text.split("\n")) {
    const opener = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (!opener) continue;
    if (fence === null) fence = opener;
    else if (opener[0] === fence[0] && opener.length >= fence.length && line.trim() === opener) fence = null;
  }
  return fence === null ? text : `${text}\n${fence}`;
}

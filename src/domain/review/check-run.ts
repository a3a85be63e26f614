/**
 * The `orkestra/review` check run that branch protection can require: conclusion from the policy,
 * a summary that says how merge readiness was decided, and annotations on the head commit.
 * GitHub accepts at most 50 annotations per create/update request, so they come in chunks: send the
 * first with `checks.create` and each further chunk with `checks.update` (GitHub appends them).
 */
import type { CommentableIndex } from "./commentable.js";
import type { MergedFinding } from "./findings.js";
import { codeSpan, oneLine } from "../untrusted-text.js";
import { CHECK_TEXT_LIMIT, boundedList, textSize, truncateMarkdown } from "./markdown.js";
import type { PackResult } from "./pack.js";
import type { CheckConclusion, ReviewDecision } from "./policy.js";
import { SEVERITY_ICON, agreementNote, describeOmission } from "./render.js";
import type { Severity } from "./schema.js";

export const CHECK_RUN_NAME = "orkestra/review";
const ANNOTATIONS_PER_REQUEST = 50;

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: "notice" | "warning" | "failure";
  message: string;
  title?: string;
}

export interface CheckRunOutput {
  title: string;
  summary: string;
  text?: string;
  annotations: CheckAnnotation[];
}

export interface CheckRunPlan {
  name: string;
  conclusion: CheckConclusion;
  output: CheckRunOutput;
  /** Annotation chunks beyond the first, one `checks.update` each (same title and summary). */
  moreAnnotations: CheckAnnotation[][];
}

const LEVEL: Record<Severity, CheckAnnotation["annotation_level"]> = { info: "notice", warning: "warning", blocker: "failure" };

/**
 * Annotations for findings on head-side lines that are in the diff (so the path and line surely
 * exist in the head commit); LEFT-side findings have no head line and stay in the text.
 */
function findingAnnotations(findings: readonly MergedFinding[], index: CommentableIndex): CheckAnnotation[] {
  const annotations: CheckAnnotation[] = [];
  for (const finding of findings) {
    if (finding.side !== "RIGHT") continue;
    const placed = index.place({ path: finding.file, line: finding.line, side: "RIGHT", startLine: finding.startLine });
    if (!placed.ok) continue;
    annotations.push({
      path: placed.position.path,
      start_line: placed.position.start_line ?? placed.position.line,
      end_line: placed.position.line,
      annotation_level: LEVEL[finding.severity],
      title: `${finding.severity} · ${agreementNote(finding)}`.slice(0, 255),
      message: finding.message.slice(0, 4000),
    });
  }
  return annotations;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

function summaryText(decision: ReviewDecision): string {
  const { ready, explanation, method } = decision.mergeReadiness;
  const verdicts = decision.verdicts.map((entry) => `- **${entry.agent}**: ${entry.verdict}`);
  const missing = decision.missing.map((entry) =>
    entry.status === "degraded" ? `- ${oneLine(entry.error, 200)}` : `- **${entry.agent}**: no answer (${entry.status})`,
  );
  const how =
    method === "agents"
      ? "The conclusion follows the agents' decision alone."
      : `The conclusion follows merge readiness (method \`${method}\`): agents' verdicts combined with people's reviews and \`/vote approve|reject\` (each person's newest word).`;
  return truncateMarkdown(
    [
      decision.summary,
      `**Merge readiness:** ${ready ? "ready" : "not ready"} — ${oneLine(explanation, 1000)}`,
      how,
      [...verdicts, ...missing].join("\n"),
    ].join("\n\n"),
    CHECK_TEXT_LIMIT,
  );
}

function detailText(findings: readonly MergedFinding[], pack: PackResult | undefined): string {
  const sections: string[] = [];
  let used = 0;
  const room = () => CHECK_TEXT_LIMIT - used - 200;
  if (findings.length > 0) {
    const items = findings.map(
      (finding) =>
        `- ${SEVERITY_ICON[finding.severity]} ${codeSpan(finding.file)} line ${finding.line}${finding.side === "LEFT" ? " (old)" : ""} · ${agreementNote(finding)}: ${oneLine(finding.message, 500)}`,
    );
    const section = `### Findings\n${boundedList(items, room() - 20)}`;
    sections.push(section);
    used += textSize(section) + 2;
  }
  if (pack && pack.unreviewed.length > 0) {
    const items = pack.unreviewed.map((entry) => `- ${describeOmission(entry)}`);
    const section = `### Not reviewed by any agent\n${boundedList(items, room() - 40)}`;
    sections.push(section);
  }
  return truncateMarkdown(sections.join("\n\n"), CHECK_TEXT_LIMIT);
}

/**
 * The title and summary of a check run whose merge readiness was decided again (a person's review),
 * the findings and their annotations staying as the agents' review left them.
 */
export function readinessOutput(decision: ReviewDecision): { title: string; summary: string } {
  return { title: decision.title.slice(0, 255), summary: summaryText(decision) };
}

/** The check run to create for the PR's head commit. */
export function renderCheckRun(input: {
  decision: ReviewDecision;
  findings: readonly MergedFinding[];
  index: CommentableIndex;
  pack?: PackResult;
}): CheckRunPlan {
  const chunks = chunk(findingAnnotations(input.findings, input.index), ANNOTATIONS_PER_REQUEST);
  const text = detailText(input.findings, input.pack);
  return {
    name: CHECK_RUN_NAME,
    conclusion: input.decision.conclusion,
    output: {
      title: input.decision.title.slice(0, 255),
      summary: summaryText(input.decision),
      ...(text ? { text } : {}),
      annotations: chunks[0] ?? [],
    },
    moreAnnotations: chunks.slice(1),
  };
}

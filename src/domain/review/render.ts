/**
 * The Markdown people read: the review body (decision, verdicts, findings not placed inline, what
 * was not seen, merge readiness, cost) and the inline comment bodies. Bodies stay under GitHub's
 * size limit by giving each section what is left and ending long lists with "… and N more".
 */
import type { CommentPosition } from "./commentable.js";
import type { FindingPlacement, MergedFinding, UnplacedFinding } from "./findings.js";
import { codeSpan, defuse, fencedBlock, oneLine } from "../untrusted-text.js";
import { GITHUB_BODY_LIMIT, boundedList, textSize, truncateMarkdown } from "./markdown.js";
import type { OmittedFile, PackResult } from "./pack.js";
import type { ReviewDecision, ReviewOutcome } from "./policy.js";
import { renderReviewMarker } from "./review-marker.js";
import type { AgentOutcome, Severity, Verdict } from "./schema.js";
import type { PartRef } from "./units.js";

export interface AgentUsage {
  agent: string;
  inputTokens: number;
  outputTokens: number;
  /** From the provider's price list; null when unknown. */
  estimatedCostUsd: number | null;
}

interface ReviewBodyInput {
  pr: number;
  headSha: string;
  decision: ReviewDecision;
  outcomes: readonly AgentOutcome[];
  placement: FindingPlacement;
  pack?: PackResult;
  usage?: readonly AgentUsage[];
  /** The `orkestra/review` check run this review concludes (null in a dry run), kept in the marker. */
  checkRunId?: number | null;
  /** Defaults to GitHub's body limit. */
  limit?: number;
}

const OUTCOME_ICON: Record<ReviewOutcome, string> = {
  blocked: "🛑",
  "needs-clarification": "❓",
  concern: "⚠️",
  approved: "✅",
  "no-verdict": "⏸️",
};
const VERDICT_ICON: Record<Verdict, string> = { approve: "✅", concern: "⚠️", blocker: "🛑" };
export const SEVERITY_ICON: Record<Severity, string> = { info: "ℹ️", warning: "⚠️", blocker: "🛑" };
const ABSTENTION_TEXT: Record<Exclude<AgentOutcome["status"], "ok">, string> = {
  error: "error",
  timeout: "timed out",
  invalid: "invalid answer",
  degraded: "degraded",
};
const UNPLACED_REASON: Record<UnplacedFinding["reason"], string> = {
  "file-not-in-diff": "file not in this PR",
  "line-not-in-diff": "line not in the diff",
  "over-limit": "inline comment limit reached",
};

function formatCount(value: number): string {
  return Math.round(value)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

function formatCost(usd: number): string {
  return `$${usd < 0.01 && usd > 0 ? usd.toFixed(4) : usd.toFixed(2)}`;
}

/** "k of n agents (a, b)" when several agreed; empty for a single agent's finding. */
export function agreementNote(finding: MergedFinding): string {
  return finding.k > 1 ? `${finding.k} of ${finding.n} agents (${finding.agents.join(", ")})` : `${finding.agents.join(", ")}`;
}

/** Tokens and estimated cost per agent, and the total. */
export function renderCostLine(usage: readonly AgentUsage[]): string {
  if (usage.length === 0) return "";
  const parts = usage.map((entry) => {
    const cost = entry.estimatedCostUsd === null ? "cost unknown" : `≈ ${formatCost(entry.estimatedCostUsd)}`;
    return `${entry.agent} ${formatCount(entry.inputTokens)} in + ${formatCount(entry.outputTokens)} out tokens ${cost}`;
  });
  const known = usage.filter((entry) => entry.estimatedCostUsd !== null);
  const total = known.reduce((sum, entry) => sum + (entry.estimatedCostUsd ?? 0), 0);
  const suffix = known.length === usage.length ? `total ≈ ${formatCost(total)}` : `total ≥ ${formatCost(total)}`;
  return `<sub>Cost: ${parts.join(" · ")} · ${suffix}</sub>`;
}

function partRange(part: PartRef): string {
  if (part.newLines > 0) return part.newLines === 1 ? `line ${part.newStart}` : `lines ${part.newStart}–${part.newStart + part.newLines - 1}`;
  return part.oldLines === 1 ? `old line ${part.oldStart}` : `old lines ${part.oldStart}–${part.oldStart + part.oldLines - 1}`;
}

/** One line saying which file (or parts) was not seen and why. */
export function describeOmission(entry: OmittedFile): string {
  const lines = `${formatCount(entry.changedLines)} changed line${entry.changedLines === 1 ? "" : "s"}`;
  if (entry.reason === "budget") {
    if (!entry.parts) return `${codeSpan(entry.path)} (${lines})`;
    const ranges = entry.parts.slice(0, 4).map(partRange).join(", ") + (entry.parts.length > 4 ? `, +${entry.parts.length - 4} more` : "");
    return `${codeSpan(entry.path)} (${ranges}; ${lines})`;
  }
  const why = entry.reason === "no-patch" ? "no diff from GitHub" : entry.reason.replace(":", ": ");
  return `${codeSpan(entry.path)} — ${why}${entry.detail && entry.reason.startsWith("excluded") ? ` (${codeSpan(entry.detail)})` : ""}, ${lines}`;
}

function findingItem({ finding, reason }: UnplacedFinding): string {
  const side = finding.side === "LEFT" ? " (old)" : "";
  return `- ${SEVERITY_ICON[finding.severity]} **${finding.severity}** · ${codeSpan(finding.file)} line ${finding.line}${side} · ${agreementNote(finding)} · _${UNPLACED_REASON[reason]}_: ${oneLine(finding.message, 500)}`;
}

function verdictLines(input: ReviewBodyInput): string[] {
  return input.outcomes.map((outcome) => {
    // A degraded agent was not asked: its note is Orkestra's own words ("`claude` is degraded (skipped until 10:05 UTC)").
    if (outcome.status === "degraded") return `- ⏸️ ${oneLine(outcome.error, 200)}`;
    // The error text stays in the logs: provider messages can echo request details.
    if (outcome.status !== "ok") return `- ⏸️ **${outcome.agent}** — no answer (${ABSTENTION_TEXT[outcome.status]})`;
    const verdict = input.decision.verdicts.find((entry) => entry.agent === outcome.agent)?.verdict ?? outcome.review.verdict;
    const raised = verdict !== outcome.review.verdict ? ` (said ${outcome.review.verdict}, raised by a blocker finding)` : "";
    return `- ${VERDICT_ICON[verdict]} **${outcome.agent}** — ${verdict}${raised}: ${oneLine(outcome.review.summary, 200)}`;
  });
}

function findingsSection(placement: FindingPlacement, max: number): string {
  if (placement.summary.length === 0) return "";
  const heading = `### Findings not placed inline (${placement.summary.length})`;
  const list = boundedList(placement.summary.map(findingItem), max - textSize(heading) - 1);
  return list ? `${heading}\n${list}` : "";
}

function readinessSection(decision: ReviewDecision): string {
  const { ready, explanation, method } = decision.mergeReadiness;
  return `### Merge readiness\n${ready ? "✅ Ready to merge" : "⏳ Not ready to merge"} — ${oneLine(explanation, 600)} _(method: ${method})_`;
}

function coverageSection(pack: PackResult | undefined, max: number): string {
  if (!pack) return "";
  const { reviewableChangedLines: total, coveredChangedLines: covered } = pack.totals;
  const percent = total === 0 ? 100 : Math.floor((covered / total) * 100);
  // Groups are separated by blank lines: a line right after a list item would continue the item.
  const groups = [`### Coverage\nAgents saw ${formatCount(covered)} of ${formatCount(total)} reviewable changed lines (${percent}%).`];
  let used = textSize(groups[0] as string);
  const add = (title: string, items: string[]) => {
    if (items.length === 0 || used >= max) return;
    const list = boundedList(items, max - used - textSize(title) - 3);
    if (!list) return;
    groups.push(`${title}\n${list}`);
    used += textSize(title) + textSize(list) + 3;
  };
  add("**Not reviewed by any agent:**", pack.unreviewed.map((entry) => `- ${describeOmission(entry)}`));
  for (const packet of pack.packets) {
    const unseen = packet.omitted.filter((entry) => entry.reason === "budget");
    add(
      `**${packet.agent}** did not see (budget ${formatCount(packet.budgetTokens)} tokens, saw ${formatCount(packet.seenChangedLines)} of ${formatCount(packet.totalChangedLines)} lines):`,
      unseen.map((entry) => `- ${describeOmission(entry)}`),
    );
  }
  return groups.join("\n\n");
}

function summariesSection(outcomes: readonly AgentOutcome[], max: number): string {
  const answered = outcomes.filter((outcome) => outcome.status === "ok");
  if (answered.length === 0 || max < 200) return "";
  const open = "<details><summary>Agent summaries</summary>\n";
  const close = "\n</details>";
  const each = Math.floor((max - open.length - close.length) / answered.length) - 40;
  if (each < 100) return "";
  const parts = answered.map((outcome) => `\n#### ${outcome.agent} (${outcome.review.verdict})\n\n${truncateMarkdown(defuse(outcome.review.summary), each)}\n`);
  return `${open}${parts.join("")}${close}`;
}

/** The review body: marker first (so `parseMarker` finds it), then the sections, within `limit`. */
export function renderReviewBody(input: ReviewBodyInput): string {
  const limit = input.limit ?? GITHUB_BODY_LIMIT;
  const { decision } = input;
  const head = [
    renderReviewMarker({
      v: 1,
      pr: input.pr,
      headSha: input.headSha,
      agents: input.outcomes.map((outcome) => outcome.agent),
      outcome: decision.outcome,
      event: decision.event,
      verdicts: decision.verdicts,
      missing: decision.missing.map(({ agent, status }) => ({ agent, status })),
      ...(input.checkRunId ? { checkRun: input.checkRunId } : {}),
    }),
    `## ${OUTCOME_ICON[decision.outcome]} Orkestra review — ${decision.title}`,
    decision.summary,
    ...(decision.mention.length > 0 ? [`cc ${decision.mention.map((handle) => `@${handle}`).join(" ")}`] : []),
    `### Verdicts\n${verdictLines(input).join("\n")}`,
  ].join("\n\n");
  const tail = input.usage && input.usage.length > 0 ? `---\n${renderCostLine(input.usage)}` : "";

  const sections: string[] = [head];
  let used = textSize(head) + (tail ? textSize(tail) + 2 : 0);
  const room = () => limit - used - 2;
  const push = (section: string) => {
    if (!section || textSize(section) > room()) return;
    sections.push(section);
    used += textSize(section) + 2;
  };
  push(findingsSection(input.placement, room()));
  push(readinessSection(decision));
  push(coverageSection(input.pack, room()));
  push(summariesSection(input.outcomes, room()));
  if (tail) sections.push(tail);
  return truncateMarkdown(sections.join("\n\n"), limit);
}

/** The body of one inline comment: severity, agreement, message, suggestion, other wordings. */
export function renderInlineComment(finding: MergedFinding, position: CommentPosition): string {
  const parts = [`**${SEVERITY_ICON[finding.severity]} ${finding.severity}** · ${agreementNote(finding)}`, defuse(finding.message)];
  if (finding.suggestion !== null) {
    // A suggestion replaces exactly the commented lines; offer it as one only when they match.
    const exact = position.side === "RIGHT" && (finding.startLine === null || position.start_line === finding.startLine);
    parts.push(exact ? fencedBlock(finding.suggestion, "suggestion") : `Suggested change:\n${fencedBlock(finding.suggestion)}`);
  }
  if (finding.variants.length > 0) {
    const others = finding.variants.map((variant) => `- **${variant.agent}** (${variant.severity}, line ${variant.line}): ${oneLine(variant.message, 600)}`);
    parts.push(`<details><summary>Other agents' wording</summary>\n\n${others.join("\n")}\n</details>`);
  }
  return truncateMarkdown(parts.join("\n\n"), GITHUB_BODY_LIMIT);
}

/** The `comments` array for `pulls.createReview`. */
export function renderReviewComments(placement: FindingPlacement): Array<CommentPosition & { body: string }> {
  return placement.inline.map(({ finding, position }) => ({ ...position, body: renderInlineComment(finding, position) }));
}

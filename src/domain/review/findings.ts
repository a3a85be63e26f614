/**
 * Findings from several agents: merge the ones they agree on ("k of n agents"), then place each
 * merged finding inline where GitHub accepts a review comment, or in the review body otherwise.
 *
 * Agreement (documented in docs/review.md): two findings from *different* agents agree when they
 * name the same file and side, their lines are at most `window` apart (default 3), and either their
 * messages are similar (word overlap ≥ 0.3 or edit similarity ≥ 0.6) or they are on the same line
 * with the same severity. A merged finding takes the highest severity of its members and the
 * wording, line and suggestion of its most severe member; the others' wording is kept.
 */
import { distance } from "fastest-levenshtein";
import type { CommentPosition, CommentableIndex } from "./commentable.js";
import type { Side } from "./diff.js";
import type { AgentOutcome, Finding, Severity } from "./schema.js";

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, blocker: 2 };

export interface FindingVariant {
  agent: string;
  severity: Severity;
  line: number;
  message: string;
}

export interface MergedFinding {
  file: string;
  side: Side;
  line: number;
  startLine: number | null;
  severity: Severity;
  message: string;
  suggestion: string | null;
  /** Agents that reported it, in the order the outcomes were given. */
  agents: string[];
  /** k of n: `agents.length` of the agents that answered. */
  k: number;
  n: number;
  /** The other agents' own wording. */
  variants: FindingVariant[];
}

interface MergeOptions {
  /** Lines apart that still count as the same place (default 3). */
  window?: number;
}

const STOP_WORDS = new Set("the and for this that with are not but can should could would from into than then there here its use used when will".split(" "));

function words(text: string): Set<string> {
  return new Set(
    text
      .toLowerCase()
      .split(/[^a-z0-9_]+/)
      .filter((word) => word.length >= 3 && !STOP_WORDS.has(word)),
  );
}

function similarityParts(a: string, b: string): { jaccard: number; edit: number } {
  const left = words(a);
  const right = words(b);
  let shared = 0;
  for (const word of left) if (right.has(word)) shared++;
  const union = left.size + right.size - shared;
  const x = a.toLowerCase().replace(/\s+/g, " ").trim().slice(0, 300);
  const y = b.toLowerCase().replace(/\s+/g, " ").trim().slice(0, 300);
  const longest = Math.max(x.length, y.length);
  return { jaccard: union === 0 ? 0 : shared / union, edit: longest === 0 ? 0 : 1 - distance(x, y) / longest };
}

/** Similarity of two messages in [0, 1]: the better of word overlap (Jaccard) and edit similarity. */
export function messageSimilarity(a: string, b: string): number {
  const { jaccard, edit } = similarityParts(a, b);
  return Math.max(jaccard, edit);
}

/** Similar enough to be the same remark: word overlap ≥ 0.3 or edit similarity ≥ 0.6. */
function messagesSimilar(a: string, b: string): boolean {
  const { jaccard, edit } = similarityParts(a, b);
  return jaccard >= 0.3 || edit >= 0.6;
}

function normalizeFindingPath(path: string): string {
  return path.trim().replace(/^\.?\/+/, "");
}

interface Candidate extends Finding {
  agent: string;
  agentIndex: number;
}

/** Whether two findings (from different agents) report the same thing; see the module comment. */
export function findingsAgree(a: Finding, b: Finding, window = 3): boolean {
  if (normalizeFindingPath(a.file) !== normalizeFindingPath(b.file) || a.side !== b.side) return false;
  const apart = Math.abs(a.line - b.line);
  if (apart > window) return false;
  return messagesSimilar(a.message, b.message) || (apart === 0 && a.severity === b.severity);
}

function representative(members: Candidate[]): Candidate {
  return members.reduce((best, member) => {
    const byRank = SEVERITY_RANK[member.severity] - SEVERITY_RANK[best.severity];
    return byRank > 0 || (byRank === 0 && member.agentIndex < best.agentIndex) ? member : best;
  });
}

/** Merges the answering agents' findings; most severe and most agreed first. */
export function mergeFindings(outcomes: readonly AgentOutcome[], options: MergeOptions = {}): MergedFinding[] {
  const window = options.window ?? 3;
  const answered = outcomes.filter((outcome) => outcome.status === "ok");
  const candidates: Candidate[] = answered.flatMap((outcome, agentIndex) =>
    outcome.review.findings.map((finding) => ({ ...finding, file: normalizeFindingPath(finding.file), agent: outcome.agent, agentIndex })),
  );
  candidates.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.side.localeCompare(b.side) || a.line - b.line || a.agentIndex - b.agentIndex);

  const clusters: Candidate[][] = [];
  for (const finding of candidates) {
    const home = clusters.find(
      (cluster) => !cluster.some((member) => member.agent === finding.agent) && cluster.some((member) => findingsAgree(member, finding, window)),
    );
    if (home) {
      home.push(finding);
      continue;
    }
    clusters.push([finding]);
  }

  const merged = clusters.map((members): MergedFinding => {
    const lead = representative(members);
    const ordered = [...members].sort((a, b) => a.agentIndex - b.agentIndex);
    return {
      file: lead.file,
      side: lead.side,
      line: lead.line,
      startLine: lead.startLine,
      severity: lead.severity,
      message: lead.message,
      suggestion: lead.suggestion,
      agents: ordered.map((member) => member.agent),
      k: members.length,
      n: answered.length,
      variants: ordered.filter((member) => member !== lead).map(({ agent, severity, line, message }) => ({ agent, severity, line, message })),
    };
  });
  return merged.sort(
    (a, b) =>
      SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || b.k - a.k || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line,
  );
}

export interface PlacedFinding {
  finding: MergedFinding;
  position: CommentPosition;
}

export interface UnplacedFinding {
  finding: MergedFinding;
  reason: "file-not-in-diff" | "line-not-in-diff" | "over-limit";
}

export interface FindingPlacement {
  inline: PlacedFinding[];
  summary: UnplacedFinding[];
}

/**
 * Inline where (file, line, side) is commentable, at most `maxInline` comments (most severe first);
 * everything else goes to the review body with the reason. Never yields a position GitHub rejects.
 */
export function placeFindings(merged: readonly MergedFinding[], index: CommentableIndex, options: { maxInline?: number } = {}): FindingPlacement {
  const maxInline = options.maxInline ?? 30;
  const placement: FindingPlacement = { inline: [], summary: [] };
  for (const finding of merged) {
    const placed = index.place({ path: finding.file, line: finding.line, side: finding.side, startLine: finding.startLine });
    if (!placed.ok) placement.summary.push({ finding, reason: placed.reason });
    else if (placement.inline.length >= maxInline) placement.summary.push({ finding, reason: "over-limit" });
    else placement.inline.push({ finding, position: placed.position });
  }
  return placement;
}

/**
 * The two pure steps a review handler needs, around the I/O it does itself:
 *   prepareReview: diff → exclusions → one packet per agent (then the handler calls the agents)
 *   concludeReview: agents' outcomes → merged findings → decision → review body, comments, check run
 */
import { CommentableIndex } from "./commentable.js";
import type { CommentPosition } from "./commentable.js";
import { renderCheckRun } from "./check-run.js";
import type { CheckRunPlan } from "./check-run.js";
import type { DiffFile } from "./diff.js";
import { filterFiles } from "./filter.js";
import type { FilterOptions, FilterResult } from "./filter.js";
import { mergeFindings, placeFindings } from "./findings.js";
import type { FindingPlacement, MergedFinding } from "./findings.js";
import { packReview } from "./pack.js";
import type { PackAgent, PackOptions, PackResult } from "./pack.js";
import { decideReview } from "./policy.js";
import type { CombineReadiness, PersonVote, PolicyOptions, ReviewDecision, ReviewEvent } from "./policy.js";
import { renderReviewBody, renderReviewComments } from "./render.js";
import type { AgentUsage } from "./render.js";
import type { AgentOutcome } from "./schema.js";

export interface PreparedReview {
  filtered: FilterResult;
  pack: PackResult;
}

export function prepareReview(files: readonly DiffFile[], agents: readonly PackAgent[], options: { exclude?: FilterOptions; pack?: PackOptions } = {}): PreparedReview {
  const filtered = filterFiles(files, options.exclude);
  return { filtered, pack: packReview(filtered, agents, options.pack) };
}

interface ConcludeInput {
  pr: number;
  headSha: string;
  /** All files of the PR diff (excluded ones too: comments on them are still accepted). */
  files: readonly DiffFile[];
  outcomes: readonly AgentOutcome[];
  pack?: PackResult;
  usage?: readonly AgentUsage[];
  policy: PolicyOptions;
  findings?: { agreementWindow?: number; maxInline?: number };
  votes?: readonly PersonVote[];
  combine?: CombineReadiness;
  /** The check run the review concludes, recorded in the review's marker. */
  checkRunId?: number | null;
}

export interface ConcludedReview {
  decision: ReviewDecision;
  findings: MergedFinding[];
  placement: FindingPlacement;
  /** Arguments for `pulls.createReview` (with `commit_id: headSha`). */
  review: { event: ReviewEvent; body: string; comments: Array<CommentPosition & { body: string }> };
  checkRun: CheckRunPlan;
}

export function concludeReview(input: ConcludeInput): ConcludedReview {
  const index = new CommentableIndex(input.files);
  const findings = mergeFindings(input.outcomes, { window: input.findings?.agreementWindow ?? 3 });
  const placement = placeFindings(findings, index, { maxInline: input.findings?.maxInline ?? 30 });
  const decision = decideReview(input.outcomes, input.policy, { votes: input.votes ?? [], ...(input.combine ? { combine: input.combine } : {}) });
  const body = renderReviewBody({
    pr: input.pr,
    headSha: input.headSha,
    decision,
    outcomes: input.outcomes,
    placement,
    ...(input.pack ? { pack: input.pack } : {}),
    ...(input.usage ? { usage: input.usage } : {}),
    ...(input.checkRunId ? { checkRunId: input.checkRunId } : {}),
  });
  return {
    decision,
    findings,
    placement,
    review: { event: decision.event, body, comments: renderReviewComments(placement) },
    checkRun: renderCheckRun({ decision, findings, index, ...(input.pack ? { pack: input.pack } : {}) }),
  };
}

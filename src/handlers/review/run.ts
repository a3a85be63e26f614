/**
 * One review of a pull request's head: trigger rules, the diff, one packet per agent, the agents
 * in parallel, the policy, then one PR review and the `orkestra/review` check run. Reviews are
 * idempotent per head commit, and a push that lands while the agents work supersedes the run.
 */
import { changedLinesOf } from "../../domain/review/diff.js";
import { GITHUB_BODY_LIMIT, truncateMarkdown } from "../../domain/review/markdown.js";
import type { ReviewPacket } from "../../domain/review/pack.js";
import { concludeReview, prepareReview, type ConcludedReview, type PreparedReview } from "../../domain/review/pipeline.js";
import type { ReviewDecision } from "../../domain/review/policy.js";
import { agentBudgets, selectAgents, type AgentSelection } from "../../domain/review/select.js";
import { readExecutionMarker } from "../../domain/execution/pull-body.js";
import { isOrkestra, JOB_TOKEN_LOGIN, type PullDetails } from "../../github/port.js";
import type { RunContext } from "../../runtime/context.js";
import { askAgents, promptTokens, type AgentAnswer } from "./ask.js";
import { asSuggestion, autoMergeIfPassed, reviewAutonomy } from "./autonomy.js";
import { endCheckRun, startCheckRun, type ReviewCheck } from "./check-run.js";
import type { PullDiff } from "./gather.js";
import { orkestraReviews, standingReviews, type OrkestraReview } from "./previous.js";
import { publishReview } from "./publish.js";
import { readinessInput } from "./readiness.js";
import { noAgentReason, triggerDecision, type ReviewTrigger } from "./trigger.js";

export type ReviewResult =
  /** `findings`: the review's body, which an author agent gets in its next round. */
  | { status: "reviewed"; decision: ReviewDecision; unknown: string[]; findings: string }
  /** Nothing to do, and nobody to tell but the run report (trigger rules, already reviewed). */
  | { status: "skipped"; reason: string }
  /** `/review` cannot be done; the reason is the command's answer. */
  | { status: "refused"; reason: string };

const short = (sha: string) => sha.slice(0, 7);

export async function reviewPull(ctx: RunContext, pr: PullDetails, trigger: ReviewTrigger, diff: () => Promise<PullDiff>): Promise<ReviewResult> {
  const decision = await triggerDecision(ctx, pr, trigger);
  const automatic = trigger.kind !== "command";
  if (!decision.review) return { status: automatic ? "skipped" : "refused", reason: decision.reason };
  const mine = orkestraReviews(await ctx.github.listReviews(pr.number));
  // A redelivered event finds its review; `/review` asks for a fresh one, once per command.
  const answers = (submittedAt: string | null) => automatic || Date.parse(submittedAt ?? "") >= Date.parse(trigger.since);
  if (mine.some(({ marker, review }) => marker.headSha === pr.headSha && answers(review.submittedAt))) {
    return { status: "skipped", reason: `${short(pr.headSha)} is reviewed already` };
  }
  if (ctx.agents.agents.length === 0) return { status: automatic ? "skipped" : "refused", reason: await noAgentReason(ctx, pr, trigger) };
  // An agent does not review its own work: the author of an agent's pull request is left out.
  const self = await ctx.github.login();
  const author = trigger.kind === "execution" ? trigger.author : authorAgent(self, pr);
  const available = ctx.agents.agents.map((agent) => agent.name).filter((name) => name !== author);
  if (available.length === 0) return { status: automatic ? "skipped" : "refused", reason: `no agent but the author \`${author}\` is enabled` };

  const gathered = await diff();
  ctx.report.notes.push(...gathered.notes);
  const selection = selectAgents(ctx.config.review.agents, {
    available,
    changedPaths: gathered.files.map((file) => file.path),
    changedLines: gathered.files.reduce((sum, file) => sum + changedLinesOf(file), 0),
    requested: trigger.kind === "command" ? trigger.requested : [],
  });
  if (selection.agents.length === 0) return { status: "refused", reason: noneSelected(ctx, selection) };
  const prepared = prepareReview(gathered.files, packAgents(ctx, selection.agents), { exclude: ctx.config.review.exclude });
  // A dry run calls no agent (they cost money): it says whom it would ask, and publishes nothing.
  if (ctx.dryRun) return reportWouldAsk(ctx, pr, prepared.pack.packets);

  const check = await startCheckRun(ctx, pr.number, pr.headSha);
  try {
    return await reviewWith(ctx, { pr, gathered, prepared, selection, check, standing: standingReviews(mine) });
  } catch (error) {
    // The run must not stay "in progress" for ever; the error itself is reported by the caller.
    if (check.id !== null && !check.completed) {
      await endCheckRun(ctx, check, "neutral", "Review failed", "Orkestra could not finish this review; run `/review` to try again.").catch(() => undefined);
    }
    throw error;
  }
}

interface ReviewJob {
  pr: PullDetails;
  gathered: PullDiff;
  prepared: PreparedReview;
  selection: AgentSelection;
  check: ReviewCheck;
  standing: OrkestraReview[];
}

async function reviewWith(ctx: RunContext, job: ReviewJob): Promise<ReviewResult> {
  const { pr, gathered, prepared, selection, check } = job;
  const settings = ctx.config.review;
  const answers = await askAgents(ctx, pr, prepared.pack.packets);

  const current = (await ctx.github.getPull(pr.number)) ?? pr;
  if (current.headSha !== pr.headSha) {
    await endCheckRun(ctx, check, "skipped", `Superseded by ${short(current.headSha)}`, "A newer push arrived while the agents were reviewing; its own review replaces this one.");
    return { status: "skipped", reason: `superseded by ${short(current.headSha)} while the agents were reviewing` };
  }
  // People's reviews read again, not the listing above: the agents may have taken minutes, and a
  // review a person submitted meanwhile must count (no request with `mergeReadiness: agents`).
  const readiness = await readinessInput(ctx, pr.number);
  const conclude = (plain: boolean): ConcludedReview => {
    const concluded = concludeReview({
      pr: pr.number,
      headSha: pr.headSha,
      files: gathered.files,
      outcomes: answers.map((answer) => answer.outcome),
      pack: prepared.pack,
      usage: answers.map((answer) => answer.usage),
      policy: { ...settings, allowApprove: settings.allowApprove && !plain, maintainers: ctx.config.maintainers },
      findings: { ...settings.findings, ...(plain ? { maxInline: 0 } : {}) },
      votes: readiness.votes,
      ...(readiness.combine ? { combine: readiness.combine } : {}),
      checkRunId: check.id,
    });
    const whole = gathered.unlisted > 0 ? withUnlistedWarning(concluded, gathered.unlisted) : concluded;
    // GitHub lets nobody approve or request changes on their own pull request (422), Orkestra
    // included: on an agent's pull request the review is a comment, and the check run and the
    // decision (which starts the agent's next round) carry the verdict. A refused review's second
    // chance is a comment too.
    const shaped = ownPull || plain ? { ...whole, review: { ...whole.review, event: "COMMENT" as const } } : whole;
    // Autonomy `manual` (docs/autonomy.md): a suggestion — comment, neutral check, no round by itself.
    return autonomy.level === "manual" ? asSuggestion(shaped) : shaped;
  };
  const ownPull = authorAgent(await ctx.github.login(), pr) !== null;
  const autonomy = await reviewAutonomy(ctx, pr, ownPull);
  const concluded = conclude(false);
  await publishReview(ctx, { pr: current, concluded, plain: () => conclude(true), standing: job.standing, check });
  if (autonomy.level === "full") await autoMergeIfPassed(ctx, current, autonomy.meta, concluded.decision);
  report(ctx, pr, concluded.decision, answers);
  return { status: "reviewed", decision: concluded.decision, unknown: selection.unknown, findings: concluded.review.body };
}

/** The agent whose work an Orkestra pull request carries (its body's marker), or null. */
export function authorAgent(self: string | undefined, pr: PullDetails): string | null {
  return isOrkestra(pr.author, self) || pr.author.login === JOB_TOKEN_LOGIN ? (readExecutionMarker(pr.body)?.agent ?? null) : null;
}

function reportWouldAsk(ctx: RunContext, pr: PullDetails, packets: readonly ReviewPacket[]): ReviewResult {
  for (const packet of packets) {
    const files = `${packet.files.length} file${packet.files.length === 1 ? "" : "s"}`;
    ctx.skippedInDryRun(`#${pr.number}: would ask \`${packet.agent}\` to review ${short(pr.headSha)}: ~${promptTokens(pr, packet)} prompt tokens, ${files} (dry run: not asked)`);
  }
  return { status: "skipped", reason: "dry run: no agent was asked" };
}

/** Each agent's budget, capped by the largest prompt one call may send (`budgets.perCall.maxInputTokens`). */
function packAgents(ctx: RunContext, names: readonly string[]) {
  const cap = ctx.config.budgets.perCall.maxInputTokens;
  return agentBudgets(names, ctx.config.review.budget).map((agent) => ({ ...agent, budgetTokens: Math.min(agent.budgetTokens, cap) }));
}

function noneSelected(ctx: RunContext, selection: AgentSelection): string {
  const enabled = ctx.agents.agents.map((agent) => `\`${agent.name}\``).join(", ");
  if (selection.unknown.length > 0) return `no enabled agent named ${selection.unknown.map((name) => `\`${name}\``).join(", ")} (enabled: ${enabled})`;
  return `no agent is selected for this pull request by \`review.agents\` (enabled: ${enabled})`;
}

/** GitHub lists at most 3,000 files and refuses bigger diffs: say so in the review itself. */
function withUnlistedWarning(concluded: ConcludedReview, unlisted: number): ConcludedReview {
  const warning = `> ⚠️ ${unlisted} more changed file(s) are beyond what GitHub lists (3,000 files) and were not reviewed by any agent.`;
  const body = concluded.review.body.replace(/\n## [^\n]*\n/, (heading) => `${heading}\n${warning}\n`);
  return { ...concluded, review: { ...concluded.review, body: truncateMarkdown(body, GITHUB_BODY_LIMIT) } };
}

function report(ctx: RunContext, pr: PullDetails, decision: ReviewDecision, answers: readonly AgentAnswer[]): void {
  const asked = answers.map((answer) => answer.outcome.agent).join(", ");
  ctx.report.notes.push(`#${pr.number}: reviewed ${short(pr.headSha)} with ${asked}: ${decision.title} → ${decision.event}, check ${decision.conclusion}`);
  const cost = answers.map(({ usage }) => `${usage.agent} ${usage.inputTokens}+${usage.outputTokens} tokens $${(usage.estimatedCostUsd ?? 0).toFixed(4)}`);
  const total = ctx.agents.usage().run.total;
  ctx.report.notes.push(`#${pr.number}: review cost: ${cost.join(", ")}; run total ${total.tokens} tokens ≈ $${total.costUsd.toFixed(4)}`);
}


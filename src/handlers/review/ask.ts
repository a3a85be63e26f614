import { defuseAgentText } from "../../domain/untrusted-text.js";
import { degradedNote, type AgentResult, type DataBlock } from "../../agents/index.js";
import { coverageNote, packetText, type ReviewPacket } from "../../domain/review/pack.js";
import type { AgentUsage } from "../../domain/review/render.js";
import { agentReviewSchema, parseAgentReview, type AgentOutcome, type AgentReview, type AgentReviewAnswer } from "../../domain/review/schema.js";
import { PACKET_FORMAT_NOTE } from "../../domain/review/units.js";
import { estimateTokens } from "../../domain/tokens.js";
import type { PullDetails } from "../../github/port.js";
import type { RunContext } from "../../runtime/context.js";

export const REVIEW_TASK = "review";
/** Room for up to 50 findings; the agents layer caps it at `budgets.perCall.maxOutputTokens`. */
const REVIEW_OUTPUT_TOKENS = 4096;
/** The PR description is context, not the subject: kept short so the diff gets the budget. */
const DESCRIPTION_CHARS = 3000;

const REVIEW_INSTRUCTIONS = [
  "Review this pull request together with other agents; Orkestra merges the answers and decides the outcome by a fixed policy.",
  "Verdict: `approve` when it is ready to merge, `concern` for questions or problems that should not block it, `blocker` when it must not be merged as it is.",
  "Findings: specific problems, each on one line of the diff (or a range within one hunk) with a severity: `info`, `warning`, or `blocker` (must be fixed before merging; it makes your verdict a blocker).",
  "Cite the line number shown in front of the line and its side. Review only what you were shown; the coverage block lists what other agents read instead.",
  "Give a `suggestion` only as the exact replacement text for the cited lines. Keep the summary short and concrete.",
  "",
  PACKET_FORMAT_NOTE,
].join("\n");

export interface AgentAnswer {
  outcome: AgentOutcome;
  usage: AgentUsage;
}

/** Asks every agent at once, each about its own packet; failures come back as abstentions. */
export function askAgents(ctx: RunContext, pr: PullDetails, packets: readonly ReviewPacket[]): Promise<AgentAnswer[]> {
  return Promise.all(packets.map((packet) => askOne(ctx, pr, packet)));
}

/** About how many tokens the prompt for this packet is: the instructions and every data block. */
export function promptTokens(pr: PullDetails, packet: ReviewPacket): number {
  return estimateTokens([REVIEW_INSTRUCTIONS, ...dataBlocks(pr, packet).map((block) => `${block.label}\n${block.content}`)].join("\n"));
}

function dataBlocks(pr: PullDetails, packet: ReviewPacket): DataBlock[] {
  const description = pr.body.length > DESCRIPTION_CHARS ? `${pr.body.slice(0, DESCRIPTION_CHARS)}\n…[description shortened]` : pr.body;
  return [
    { label: `pull request #${pr.number}`, content: `Title: ${pr.title}\n\n${description || "(no description)"}` },
    { label: "coverage", content: coverageNote(packet) },
    { label: "diff", content: packetText(packet) },
  ];
}

async function askOne(ctx: RunContext, pr: PullDetails, packet: ReviewPacket): Promise<AgentAnswer> {
  const agent = ctx.agents.get(packet.agent);
  const result: AgentResult<AgentReviewAnswer> = agent
    ? await agent.call({
        task: REVIEW_TASK,
        instructions: REVIEW_INSTRUCTIONS,
        data: dataBlocks(pr, packet),
        schema: agentReviewSchema,
        maxOutputTokens: REVIEW_OUTPUT_TOKENS,
      })
    : { ok: false, error: { kind: "disabled", message: `${packet.agent} is not configured` }, attempts: 0 };
  const usage: AgentUsage = {
    agent: packet.agent,
    inputTokens: result.usage?.inputTokens ?? 0,
    outputTokens: result.usage?.outputTokens ?? 0,
    estimatedCostUsd: result.usage?.costUsd ?? 0,
  };
  return { outcome: toOutcome(ctx, packet.agent, result), usage };
}

function toOutcome(ctx: RunContext, agent: string, result: AgentResult<AgentReviewAnswer>): AgentOutcome {
  if (!result.ok) {
    ctx.log.warn(`review: ${result.error.message}`);
    const degraded = degradedNote(agent, result.error);
    if (degraded) return { agent, status: "degraded", error: degraded };
    const status = result.error.kind === "timeout" ? "timeout" : result.error.kind === "invalid-output" ? "invalid" : "error";
    return { agent, status, error: result.error.message };
  }
  const parsed = parseAgentReview(result.value);
  if (!parsed.ok) return { agent, status: "invalid", error: parsed.error };
  return { agent, status: "ok", review: sanitized(parsed.review) };
}

/** Agent prose cannot run commands, mention people or forge markers; suggestions are code and stay as written (fenced). */
function sanitized(review: AgentReview): AgentReview {
  return {
    ...review,
    summary: defuseAgentText(review.summary),
    findings: review.findings.map((finding) => ({ ...finding, message: defuseAgentText(finding.message) })),
  };
}

import type { RestEndpointMethodTypes } from "@octokit/rest";
import { describe, expect, it } from "vitest";
import { reviewConfigSchema } from "../../src/config/review.js";
import { estimateTokens } from "../../src/domain/tokens.js";
import { CommentableIndex } from "../../src/domain/review/commentable.js";
import { parsePullRequestFiles } from "../../src/domain/review/diff.js";
import { GITHUB_BODY_LIMIT, textSize } from "../../src/domain/review/markdown.js";
import { packetText } from "../../src/domain/review/pack.js";
import { concludeReview, prepareReview } from "../../src/domain/review/pipeline.js";
import { readReviewMarker } from "../../src/domain/review/review-marker.js";
import type { AgentOutcome } from "../../src/domain/review/schema.js";
import { agentBudgets } from "../../src/domain/review/select.js";
import { PR_FILES, abstain, diffEntry, finding, ok, syntheticPatch } from "./fixtures.js";

const HEAD = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
const config = { ...reviewConfigSchema.parse({ labels: { approved: "review:approved" } }), maintainers: ["octocat"] };

function conclude(files: ReturnType<typeof parsePullRequestFiles>["files"], outcomes: AgentOutcome[], pack = prepareReview(files, agentBudgets(["claude", "gemini"], config.budget)).pack) {
  return concludeReview({
    pr: 2,
    headSha: HEAD,
    files,
    outcomes,
    pack,
    usage: outcomes.map((outcome) => ({ agent: outcome.agent, inputTokens: 1000, outputTokens: 100, estimatedCostUsd: 0.01 })),
    policy: config,
    findings: config.findings,
  });
}

describe("a review from diff to GitHub calls", () => {
  const files = parsePullRequestFiles(PR_FILES).files;
  const outcomes = [
    ok("claude", "concern", [
      finding({ file: "src/server.ts", line: 3, startLine: 2, message: "`verify` is imported but unused" }),
      finding({ file: "src/server.ts", line: 99, message: "start() ignores the port range" }),
    ]),
    ok("gemini", "approve", [finding({ file: "src/server.ts", line: 2, severity: "info", message: "verify is imported but never used" })]),
    abstain("grok", "invalid"),
  ];
  const result = conclude(files, outcomes);

  it("produces arguments Octokit accepts for createReview and checks.create", () => {
    const review: RestEndpointMethodTypes["pulls"]["createReview"]["parameters"] = {
      owner: "Codertocat",
      repo: "Hello-World",
      pull_number: 2,
      commit_id: HEAD,
      event: result.review.event,
      body: result.review.body,
      comments: result.review.comments,
    };
    const check: RestEndpointMethodTypes["checks"]["create"]["parameters"] = {
      owner: "Codertocat",
      repo: "Hello-World",
      name: result.checkRun.name,
      head_sha: HEAD,
      conclusion: result.checkRun.conclusion,
      output: result.checkRun.output,
    };
    expect(review.event).toBe("COMMENT");
    expect(check.conclusion).toBe("neutral");
  });

  it("merges the agreeing findings and places only commentable ones inline", () => {
    expect(result.review.comments).toHaveLength(1);
    expect(result.review.comments[0]).toMatchObject({ path: "src/server.ts", line: 3, start_line: 2, side: "RIGHT" });
    expect(result.review.comments[0]!.body).toContain("2 of 2 agents (claude, gemini)");
    const index = new CommentableIndex(files);
    for (const comment of result.review.comments) expect(index.isCommentable(comment.path, comment.side, comment.line)).toBe(true);
    expect(result.review.body).toContain("`src/server.ts` line 99");
    expect(result.review.body).toContain("no answer (invalid answer)");
    expect(readReviewMarker(result.review.body)).toMatchObject({ outcome: "concern", headSha: HEAD });
  });

  it("approves only where allowed, labels otherwise as configured", () => {
    const approved = conclude(files, [ok("claude", "approve"), ok("gemini", "approve")]);
    expect(approved.review.event).toBe("COMMENT");
    expect(approved.decision.labelsToAdd).toEqual(["review:approved"]);
    expect(approved.checkRun.conclusion).toBe("success");
  });
});

describe("a 50,000-line pull request", () => {
  it("packs within every agent's budget and concludes with bodies under GitHub's limits", () => {
    const entries = Array.from({ length: 1_000 }, (_, i) =>
      diffEntry({ filename: `src/pkg${i % 40}/file${i}.ts`, status: "modified", additions: 34, deletions: 16, patch: syntheticPatch(2, 25, i) }),
    );
    const files = parsePullRequestFiles(entries).files;
    const agents = agentBudgets(["claude", "gemini", "grok"], reviewConfigSchema.parse({ budget: { perAgent: { gemini: 1_000_000 } } }).budget);
    const { pack } = prepareReview(files, agents);
    expect(pack.totals.reviewableChangedLines).toBe(50_000);
    for (const packet of pack.packets) {
      const agent = agents.find((entry) => entry.name === packet.agent)!;
      expect(estimateTokens(packetText(packet)) + agent.reserveTokens).toBeLessThanOrEqual(agent.budgetTokens);
    }
    const outcomes = pack.packets.map((packet, i) =>
      ok(
        packet.agent,
        i === 0 ? "blocker" : "concern",
        packet.files.slice(0, 50).map((file) => finding({ file: file.path, line: file.parts[0]!.newStart + 1, severity: i === 0 ? "blocker" : "warning" })),
      ),
    );
    const result = conclude(files, outcomes, pack);
    expect(result.decision.outcome).toBe("blocked");
    expect(textSize(result.review.body)).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    expect(result.review.comments.length).toBeLessThanOrEqual(config.findings.maxInline);
    expect(result.checkRun.output.annotations.length).toBeLessThanOrEqual(50);
    expect(result.checkRun.moreAnnotations.every((chunk) => chunk.length <= 50)).toBe(true);
    expect(result.review.body).toContain("did not see");
  });
});

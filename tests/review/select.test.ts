import { createRequire } from "node:module";
import type { WebhookDefinition } from "@octokit/webhooks-examples";
import { describe, expect, it } from "vitest";
import { reviewConfigSchema } from "../../src/config/review.js";
import { agentBudgets, selectAgents, shouldReview } from "../../src/domain/review/select.js";
import type { ReviewTrigger } from "../../src/domain/review/select.js";

const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as WebhookDefinition[];
const pullRequestExamples = examples.find((definition) => definition.name === "pull_request")!.examples as Array<{
  action: string;
  pull_request: { draft: boolean; author_association: string };
}>;

function eventTrigger(action: string, overrides: Partial<{ draft: boolean; authorAssociation: string }> = {}): ReviewTrigger {
  const payload = pullRequestExamples.find((example) => example.action === action)!;
  return { kind: "event", action, draft: payload.pull_request.draft, authorAssociation: payload.pull_request.author_association, ...overrides };
}

const config = reviewConfigSchema.parse({});

describe("shouldReview", () => {
  it.each(["opened", "synchronize", "reopened", "ready_for_review"])("reviews the recorded `%s` event of a repository owner", (action) => {
    expect(shouldReview(config, eventTrigger(action))).toEqual({ review: true });
  });

  it("skips other actions, drafts and disabled reviews with a reason", () => {
    expect(shouldReview(config, eventTrigger("labeled"))).toMatchObject({ review: false, reason: expect.stringContaining("labeled") });
    expect(shouldReview(config, eventTrigger("opened", { draft: true }))).toMatchObject({ review: false, reason: expect.stringContaining("draft") });
    expect(shouldReview({ ...config, drafts: true }, eventTrigger("opened", { draft: true }))).toEqual({ review: true });
    expect(shouldReview({ ...config, enabled: false }, eventTrigger("opened"))).toMatchObject({ review: false });
  });

  it("waits for a maintainer's /review on PRs from authors without write access", () => {
    const outsider = eventTrigger("opened", { authorAssociation: "FIRST_TIME_CONTRIBUTOR" });
    expect(shouldReview(config, outsider)).toMatchObject({ review: false, reason: expect.stringContaining("/review") });
    expect(shouldReview(config, { kind: "command", draft: false, authorAssociation: "FIRST_TIME_CONTRIBUTOR" })).toEqual({ review: true });
    expect(shouldReview({ ...config, untrustedAuthors: "review" }, outsider)).toEqual({ review: true });
    expect(shouldReview({ ...config, untrustedAuthors: "skip" }, { kind: "command", draft: false, authorAssociation: "NONE" })).toMatchObject({ review: false });
  });

  it("lets /review run on drafts and when automatic reviews are off", () => {
    expect(shouldReview({ ...config, enabled: false }, { kind: "command", draft: true, authorAssociation: "MEMBER" })).toEqual({ review: true });
  });
});

describe("selectAgents", () => {
  const available = ["claude", "gemini", "grok"];

  it("takes the agents named in /review, reporting unknown names", () => {
    expect(selectAgents(config.agents, { available, changedPaths: [], changedLines: 1, requested: ["gemini", "gpt9", "gemini"] })).toEqual({
      agents: ["gemini"],
      unknown: ["gpt9"],
    });
  });

  it("uses all, a list, or path and size rules", () => {
    expect(selectAgents(config.agents, { available, changedPaths: ["a.ts"], changedLines: 1 }).agents).toEqual(available);
    expect(selectAgents({ ...config.agents, mode: "list", list: ["grok"] }, { available, changedPaths: [], changedLines: 1 }).agents).toEqual(["grok"]);
    const rules = reviewConfigSchema.parse({
      agents: {
        mode: "rules",
        list: ["claude"],
        rules: [
          { paths: [".github/workflows/**", "src/auth/**"], agents: ["claude", "gemini"] },
          { minChangedLines: 1000, agents: ["gemini"] },
          { paths: ["*.md"], maxChangedLines: 20, agents: ["grok"] },
        ],
      },
    }).agents;
    expect(selectAgents(rules, { available, changedPaths: ["src/auth/jwt.ts"], changedLines: 10 }).agents).toEqual(["claude", "gemini"]);
    expect(selectAgents(rules, { available, changedPaths: ["src/x.ts"], changedLines: 5000 }).agents).toEqual(["gemini"]);
    expect(selectAgents(rules, { available, changedPaths: ["docs/a.md"], changedLines: 10 }).agents).toEqual(["grok"]);
    expect(selectAgents(rules, { available, changedPaths: ["docs/a.md"], changedLines: 50 }).agents).toEqual(["claude"]);
  });
});

describe("agentBudgets", () => {
  it("applies per-agent overrides", () => {
    const budget = reviewConfigSchema.parse({ budget: { perAgent: { gemini: 900_000 } } }).budget;
    expect(agentBudgets(["claude", "gemini"], budget)).toEqual([
      { name: "claude", budgetTokens: 100_000, reserveTokens: 8_000 },
      { name: "gemini", budgetTokens: 900_000, reserveTokens: 8_000 },
    ]);
  });
});

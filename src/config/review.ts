/**
 * The `review:` section of `.github/orkestra.yml`: automatic multi-agent PR reviews.
 * Always read from the base branch, never from the PR under review. An empty section yields a full
 * valid configuration. A blocker mentions the top-level `maintainers` (one list for the product).
 */
import { z } from "zod";

const agentName = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, "agent names are letters, digits, '.', '_' or '-'");
const labelName = z.string().min(1).max(50);

const REVIEW_TRIGGER_ACTIONS = ["opened", "synchronize", "reopened", "ready_for_review"] as const;

const agentRuleSchema = z
  .object({
    paths: z.array(z.string().min(1)).min(1).default(["**"]).describe("Globs; the rule applies when any changed file matches one."),
    minChangedLines: z.number().int().min(0).default(0).describe("The rule applies only when the PR changes at least this many lines."),
    maxChangedLines: z.number().int().min(0).nullable().default(null).describe("The rule applies only up to this many changed lines (null: no limit)."),
    agents: z.array(agentName).min(1).describe("Agents that review when the rule applies."),
  })
  .strict();

const agentsSchema = z
  .object({
    mode: z
      .enum(["all", "list", "rules"])
      .default("all")
      .describe("`all`: every enabled agent; `list`: the agents in `list`; `rules`: the union of the agents of the rules that apply."),
    list: z.array(agentName).default([]).describe("Agents for `mode: list`, and the fallback when no rule applies (empty: all enabled agents)."),
    rules: z.array(agentRuleSchema).default([]).describe("Path and size rules for `mode: rules`."),
  })
  .strict();

const budgetSchema = z
  .object({
    tokens: z.number().int().min(1000).default(100_000).describe("Default prompt budget per agent, in estimated tokens."),
    reserveTokens: z
      .number()
      .int()
      .min(0)
      .default(8_000)
      .describe("Part of each budget kept for instructions and the answer; the diff gets the rest."),
    perAgent: z.record(agentName, z.number().int().min(1000)).default({}).describe("Budgets for particular agents, overriding `tokens`."),
  })
  .strict();

const excludeSchema = z
  .object({
    builtIn: z.boolean().default(true).describe("Skip lock files, generated and minified files, build output and vendored code."),
    paths: z.array(z.string().min(1)).default([]).describe("More globs to skip (a glob without `/` matches the file name anywhere)."),
    keep: z.array(z.string().min(1)).default([]).describe("Globs always reviewed, even when another rule skips them."),
  })
  .strict();

const labelsSchema = z
  .object({
    blocked: labelName.default("review:blocked").describe("Label set when an agent finds a blocker."),
    needsClarification: labelName.default("review:needs-clarification").describe("Label set when a majority of agents have concerns."),
    approved: z.string().max(50).default("").describe("Label set when all agents approve (empty: none)."),
    overlap: labelName.default("conflict:overlap").describe("Label set while a PR overlaps another open PR."),
  })
  .strict();

const findingsSchema = z
  .object({
    maxInline: z.number().int().min(0).max(100).default(30).describe("At most this many inline comments per review; the rest go in the review body."),
    agreementWindow: z
      .number()
      .int()
      .min(0)
      .max(50)
      .default(3)
      .describe("Findings of different agents at most this many lines apart can be merged as one."),
  })
  .strict();

const overlapSchema = z
  .object({
    enabled: z.boolean().default(true).describe("Compare each PR's changed lines with other open PRs and flag overlaps."),
    window: z.number().int().min(0).max(200).default(3).describe("Changed ranges at most this many lines apart count as overlapping."),
  })
  .strict();

export const reviewConfigSchema = z
  .object({
    enabled: z.boolean().default(true).describe("Review pull requests automatically."),
    events: z
      .array(z.enum(REVIEW_TRIGGER_ACTIONS))
      .default([...REVIEW_TRIGGER_ACTIONS])
      .describe("`pull_request` actions that start a review; `/review` always can."),
    drafts: z.boolean().default(false).describe("Also review draft pull requests automatically."),
    untrustedAuthors: z
      .enum(["require-command", "review", "skip"])
      .default("require-command")
      .describe(
        "PRs from authors without write access (forks, first-time contributors): wait for a maintainer's `/review`, review automatically, or never review.",
      ),
    agents: agentsSchema.prefault({}).describe("Which agents review."),
    budget: budgetSchema.prefault({}).describe("Token budgets for the diff each agent reads."),
    exclude: excludeSchema.prefault({}).describe("Files agents do not read (listed in the review as not reviewed)."),
    allowApprove: z
      .boolean()
      .default(false)
      .describe(
        "Let the bot submit APPROVE when all agents approve; otherwise it comments. Off by default: a bot approval is easy to mistake for a person's, and GITHUB_TOKEN may not approve unless the repository allows it.",
      ),
    quorum: z.number().int().min(1).default(1).describe("Agents that must answer for a verdict other than blocked."),
    noVerdictConclusion: z
      .enum(["neutral", "action_required"])
      .default("neutral")
      .describe("Check-run conclusion when too few agents answered (`neutral` passes branch protection, `action_required` does not)."),
    labels: labelsSchema.prefault({}).describe("Label names the review sets and clears."),
    mergeReadiness: z
      .enum(["agents", "agents-and-people", "consensus"])
      .default("agents")
      .describe(
        "How the check run decides merge readiness: the agents alone; agents plus people's reviews (approve / request changes, by people with write access) and `/vote approve|reject` by the built-in rule; or the voting consensus method over both.",
      ),
    findings: findingsSchema.prefault({}).describe("How findings are merged and placed."),
    overlap: overlapSchema.prefault({}).describe("Detection of open PRs that change the same lines."),
  })
  .strict();

export type ReviewConfig = z.infer<typeof reviewConfigSchema>;

/**
 * Whether a pull request event starts a review, and which agents review it.
 * Safe by default: drafts wait, and PRs from authors without write access wait for a maintainer's
 * `/review` (the command layer checks the commenter's permission) so nobody can spend the
 * repository's LLM budget by opening PRs.
 */
import { globMatcher } from "./filter.js";

/** `author_association` values of people with write access to the repository. */
const TRUSTED_ASSOCIATIONS = new Set(["OWNER", "MEMBER", "COLLABORATOR"]);

export interface TriggerSettings {
  enabled: boolean;
  events: readonly string[];
  drafts: boolean;
  untrustedAuthors: "require-command" | "review" | "skip";
}

export type ReviewTrigger =
  | { kind: "event"; action: string; draft: boolean; authorAssociation: string }
  | { kind: "command"; draft: boolean; authorAssociation: string };

export type TriggerDecision = { review: true } | { review: false; reason: string };

export function shouldReview(settings: TriggerSettings, trigger: ReviewTrigger): TriggerDecision {
  const trusted = TRUSTED_ASSOCIATIONS.has(trigger.authorAssociation);
  if (!trusted && settings.untrustedAuthors === "skip") return { review: false, reason: "reviews of PRs from authors without write access are turned off" };
  if (trigger.kind === "command") return { review: true };
  if (!settings.enabled) return { review: false, reason: "automatic reviews are turned off" };
  if (!settings.events.includes(trigger.action)) return { review: false, reason: `the \`${trigger.action}\` action does not start a review` };
  if (trigger.draft && !settings.drafts) return { review: false, reason: "draft PRs are reviewed when marked ready (or with `/review`)" };
  if (!trusted && settings.untrustedAuthors === "require-command") return { review: false, reason: "the author has no write access: a maintainer can start the review with `/review`" };
  return { review: true };
}

export interface AgentRule {
  paths: readonly string[];
  minChangedLines: number;
  maxChangedLines: number | null;
  agents: readonly string[];
}

export interface AgentSelectionSettings {
  mode: "all" | "list" | "rules";
  list: readonly string[];
  rules: readonly AgentRule[];
}

export interface AgentSelection {
  agents: string[];
  /** Names that were asked for (in config or `/review a b`) but are not enabled. */
  unknown: string[];
}

function known(names: readonly string[], available: readonly string[]): AgentSelection {
  const unique = [...new Set(names)];
  return { agents: unique.filter((name) => available.includes(name)), unknown: unique.filter((name) => !available.includes(name)) };
}

/**
 * The reviewing agents: the ones named in `/review a b` when given, else by `settings.mode`.
 * `rules` takes the union of the agents of every rule whose paths match a changed file and whose
 * size bounds hold; when none applies, `list` (or all agents when `list` is empty).
 */
export function selectAgents(
  settings: AgentSelectionSettings,
  context: { available: readonly string[]; changedPaths: readonly string[]; changedLines: number; requested?: readonly string[] },
): AgentSelection {
  if (context.requested && context.requested.length > 0) return known(context.requested, context.available);
  if (settings.mode === "all") return { agents: [...context.available], unknown: [] };
  const fallback = settings.list.length > 0 ? known(settings.list, context.available) : { agents: [...context.available], unknown: [] };
  if (settings.mode === "list") return fallback;
  const chosen: string[] = [];
  for (const rule of settings.rules) {
    if (context.changedLines < rule.minChangedLines) continue;
    if (rule.maxChangedLines !== null && context.changedLines > rule.maxChangedLines) continue;
    const matchers = rule.paths.map(globMatcher);
    if (context.changedPaths.some((path) => matchers.some((match) => match(path)))) chosen.push(...rule.agents);
  }
  return chosen.length > 0 ? known(chosen, context.available) : fallback;
}

/** Each agent's budget: its own override, else the default. */
export function agentBudgets(
  agents: readonly string[],
  budget: { tokens: number; reserveTokens: number; perAgent: Readonly<Record<string, number>> },
): Array<{ name: string; budgetTokens: number; reserveTokens: number }> {
  return agents.map((name) => ({ name, budgetTokens: budget.perAgent[name] ?? budget.tokens, reserveTokens: budget.reserveTokens }));
}

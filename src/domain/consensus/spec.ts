/**
 * From a parsed `/propose` and the repository's voting config to a complete VoteSpec.
 * Teams are expanded by the caller (that is I/O): `teamsToResolve` says which to fetch and
 * the members come back in `SpecContext.teams`.
 */
import { closest } from "fastest-levenshtein";
import { MAX_DEADLINE_MS, parseDuration } from "./duration.js";
import { APPROVE_REJECT_LABELS, YES_NO_LABELS, makeOptions } from "./options.js";
import { parseVoters } from "./parse-proposal.js";
import type { Proposal, VoterRef } from "./parse-proposal.js";
import { LIMITS, err, ok } from "./types.js";
import type { ConsensusError, Method, Result, Voter, VoteSpec } from "./types.js";
import { voterKey } from "./voters.js";

/** A voter's weight: one number, or a default with overrides per task type. */
export type WeightSetting = number | { default: number; byTaskType: Record<string, number> };

/** What building a spec needs from the voting config (src/config/voting.ts satisfies it). */
export interface VotingDefaults {
  defaultMethod: Method;
  supermajorityThreshold: number;
  defaultDeadline: string;
  quorum: number;
  minParticipation: number;
  maxRounds: number;
  /** Voters as written in `voters=`: `claude`, `@alice`, `@org/team`. */
  voters: string[];
  weights: Record<string, WeightSetting>;
  compromiseAgent: string | null;
  maintainers: string[];
}

export interface SpecContext {
  config: VotingDefaults;
  now: Date;
  /** Login of the person who wrote `/propose`. */
  proposer: string;
  target: "issue" | "pull-request";
  /** Names of the configured agents; a bare voter name must be one of them. */
  knownAgents: readonly string[];
  /** Members of the teams named, keyed `org/slug` (lower-case). */
  teams?: Readonly<Record<string, readonly string[]>>;
  /** The task's type (from its `type:*` label), for per-type weights. */
  taskType?: string | null;
  /** Used when the voting config names no maintainers (e.g. the top-level `maintainers`). */
  fallbackMaintainers?: readonly string[];
}

type SpecErrorCode =
  | "bad-config"
  | "no-voters"
  | "too-many-voters"
  | "unknown-agent"
  | "unknown-team"
  | "bad-deadline"
  | "threshold-without-supermajority"
  | "quorum-too-high";
type SpecError = ConsensusError<SpecErrorCode>;

/** The teams a proposal (or the default voters) names, which the caller must expand. */
export function teamsToResolve(proposal: Proposal, config: VotingDefaults): Array<{ org: string; slug: string }> {
  const refs = proposal.voters ?? defaultVoterRefs(config);
  return refs.flatMap((ref) => (ref.kind === "team" ? [{ org: ref.org, slug: ref.slug }] : []));
}

function defaultVoterRefs(config: VotingDefaults): VoterRef[] {
  if (config.voters.length === 0) return [];
  const parsed = parseVoters(config.voters.join(","));
  return parsed.ok ? parsed.value : [];
}

export function buildVoteSpec(proposal: Proposal, ctx: SpecContext): Result<VoteSpec, SpecError> {
  const { config } = ctx;
  const method = proposal.method ?? config.defaultMethod;
  if (proposal.threshold !== undefined && method !== "supermajority") {
    return err({
      code: "threshold-without-supermajority",
      message: `threshold= applies to supermajority votes; this one uses ${method}. Add method=supermajority or drop threshold=.`,
    });
  }
  const voters = resolveVoters(proposal, ctx);
  if (!voters.ok) return voters;
  const deadline = resolveDeadline(proposal, ctx);
  if (!deadline.ok) return deadline;
  const quorum = proposal.quorum ?? Math.min(config.quorum, voters.value.length);
  if (quorum > voters.value.length) {
    return err({
      code: "quorum-too-high",
      message: `quorum=${quorum} is more than the ${voters.value.length} voters; lower it or add voters.`,
    });
  }
  const labels = proposal.options.length > 0 ? proposal.options : defaultLabels(ctx.target);
  return ok({
    question: proposal.question,
    options: makeOptions(labels),
    method,
    threshold: proposal.threshold ?? config.supermajorityThreshold,
    voters: voters.value,
    quorum,
    minParticipation: proposal.minParticipation ?? config.minParticipation,
    deadline: deadline.value,
    createdAt: ctx.now.toISOString(),
    proposer: ctx.proposer.replace(/^@/, "").toLowerCase(),
    maxRounds: proposal.maxRounds ?? config.maxRounds,
    weights: resolveWeights(voters.value, config.weights, ctx.taskType ?? null),
    compromiseAgent: resolveCompromiseAgent(config.compromiseAgent, ctx.knownAgents),
    maintainers: (config.maintainers.length > 0 ? config.maintainers : (ctx.fallbackMaintainers ?? [])).map((m) =>
      m.replace(/^@/, ""),
    ),
    target: ctx.target,
    taskType: ctx.taskType ?? null,
  });
}

function defaultLabels(target: SpecContext["target"]): string[] {
  return target === "pull-request" ? [...APPROVE_REJECT_LABELS] : [...YES_NO_LABELS];
}

function resolveVoters(proposal: Proposal, ctx: SpecContext): Result<Voter[], SpecError> {
  let refs = proposal.voters;
  if (!refs) {
    const parsed = ctx.config.voters.length > 0 ? parseVoters(ctx.config.voters.join(",")) : null;
    if (parsed && !parsed.ok) {
      return err({ code: "bad-config", message: `voting.voters in the config: ${parsed.error.message}` });
    }
    refs = parsed?.value ?? [];
  }
  const known = ctx.knownAgents.map((name) => name.toLowerCase());
  const voters = new Map<string, Voter>();
  for (const ref of refs) {
    const expanded = expandRef(ref, known, ctx.teams ?? {});
    if (!expanded.ok) return expanded;
    for (const voter of expanded.value) voters.set(voterKey(voter), voter);
  }
  if (voters.size === 0) {
    return err({
      code: "no-voters",
      message: "Nobody would vote: name voters with voters=claude,@alice,@org/team or set voting.voters in .github/orkestra.yml.",
    });
  }
  if (voters.size > LIMITS.maxVoters) {
    const message = `${voters.size} voters is more than the ${LIMITS.maxVoters} a vote can have.`;
    return err({ code: "too-many-voters", message });
  }
  return ok([...voters.values()]);
}

function expandRef(
  ref: VoterRef,
  knownAgents: readonly string[],
  teams: Readonly<Record<string, readonly string[]>>,
): Result<Voter[], SpecError> {
  if (ref.kind === "person") return ok([{ id: ref.id, kind: "person" }]);
  if (ref.kind === "agent") {
    if (knownAgents.includes(ref.id)) return ok([{ id: ref.id, kind: "agent" }]);
    const hint = knownAgents.length > 0 ? ` Did you mean “${closest(ref.id, [...knownAgents])}”?` : "";
    return err({
      code: "unknown-agent",
      message: `“${ref.id}” is not a configured agent.${hint} People are written with @ (@${ref.id}).`,
    });
  }
  const members = teams[`${ref.org}/${ref.slug}`];
  if (!members || members.length === 0) {
    const message = `Team @${ref.org}/${ref.slug} is unknown or has no members Orkestra can see.`;
    return err({ code: "unknown-team", message });
  }
  return ok(members.map((login) => ({ id: login.replace(/^@/, "").toLowerCase(), kind: "person" as const })));
}

function resolveDeadline(proposal: Proposal, ctx: SpecContext): Result<string, SpecError> {
  const now = ctx.now.getTime();
  const arg = proposal.deadline;
  if (!arg) {
    const fallback = parseDuration(ctx.config.defaultDeadline);
    if (!fallback.ok) return err({ code: "bad-config", message: `voting.defaultDeadline: ${fallback.error.message}` });
    return ok(new Date(now + fallback.value).toISOString());
  }
  if (arg.kind === "in") return ok(new Date(now + arg.ms).toISOString());
  const at = Date.parse(arg.iso);
  if (at <= now) return err({ code: "bad-deadline", message: `The deadline ${arg.iso} has already passed.` });
  if (at - now > MAX_DEADLINE_MS) {
    return err({ code: "bad-deadline", message: `The deadline ${arg.iso} is more than 90 days away.` });
  }
  return ok(arg.iso);
}

/** Snapshots each voter's weight for this vote, so later config edits do not change a running count. */
function resolveWeights(
  voters: readonly Voter[],
  weights: Readonly<Record<string, WeightSetting>>,
  taskType: string | null,
): Record<string, number> {
  const normalized = new Map(Object.entries(weights).map(([key, value]) => [key.toLowerCase(), value]));
  const resolved: Record<string, number> = {};
  for (const voter of voters) {
    const key = voterKey(voter);
    const setting = normalized.get(key);
    if (setting === undefined) continue;
    const byType = typeof setting === "number" || taskType === null ? undefined : setting.byTaskType[taskType];
    resolved[key] = typeof setting === "number" ? setting : (byType ?? setting.default);
  }
  return resolved;
}

function resolveCompromiseAgent(configured: string | null, knownAgents: readonly string[]): string | null {
  if (configured === null) return null;
  const name = configured.toLowerCase();
  return knownAgents.some((agent) => agent.toLowerCase() === name) ? name : null;
}

/**
 * The sticky tally comment: what people read, with the vote's whole state in a hidden
 * `<!-- orkestra:vote {...} -->` marker so any run can pick it up (parseVoteComment).
 * Text from people and agents is escaped for tables, and `@names` are defused: only
 * `renderEscalation` mentions anyone, on purpose.
 */
import { formatTime, maintainerMentions } from "../markdown.js";
import { readMarker, renderMarker } from "../markers.js";
import { escapeInline } from "../untrusted-text.js";
import { methodRule } from "./briefs.js";
import { describeTallies } from "./methods/common.js";
import { count } from "./methods/index.js";
import { optionLabel } from "./options.js";
import { compactState } from "./compact.js";
import { currentRound } from "./state.js";
import { resolveBallots, runningResult } from "./tally.js";
import { voteStateSchema } from "./types.js";
import type { Ballot, Method, RoundCount, Voter, VoteResult, VoteSpec, VoteState } from "./types.js";
import { sameVoter } from "./voters.js";

export const VOTE_MARKER_KIND = "vote";
const REASON_CELL_CHARS = 140;

export const METHOD_NAMES: Readonly<Record<Method, string>> = {
  unanimous: "Unanimous",
  supermajority: "Supermajority",
  majority: "Majority",
  plurality: "Plurality",
  ranked: "Ranked choice (instant run-off)",
  weighted: "Weighted majority",
};

/** Reads the vote state back from a tally comment; null when there is none or it is invalid. */
export function parseVoteComment(body: string | null | undefined): VoteState | null {
  return readMarker(body, VOTE_MARKER_KIND, voteStateSchema);
}

/**
 * The tally comment for `state`. The marker holds `compactState(state)`, which is `state`
 * itself unless the vote has grown close to GitHub's comment size limit.
 */
export function renderTally(state: VoteState): string {
  const { spec } = state;
  const result = state.result ?? runningResult(spec, state.ballots);
  return [
    renderMarker(VOTE_MARKER_KIND, compactState(state)),
    `### 🗳️ Vote: ${escapeInline(spec.question)}`,
    "",
    statusLine(state),
    "",
    "| | Option |",
    "|:-:|---|",
    ...spec.options.map((option) => `| **${option.id}** | ${escapeInline(option.label)} |`),
    "",
    `**Method:** ${METHOD_NAMES[spec.method]} — ${methodRule(spec)}.`,
    `**Voters:** ${spec.voters.map(voterCell).join(", ")}`,
    participationLine(result),
    `**Deadline:** ${formatTime(spec.deadline)}`,
    "",
    ...ballotsSection(state),
    "",
    ...resultSection(state, result),
    ...deliberationSection(state),
    ...(state.phase === "open" ? ["", footer(spec)] : []),
  ].join("\n");
}

function statusLine(state: VoteState): string {
  if (state.phase === "cancelled" && state.cancelled) {
    return `**Cancelled** by ${person(state.cancelled.by)} on ${formatTime(state.cancelled.at)}.`;
  }
  if (state.phase === "closed" && state.closed) {
    const by = state.closed.by === null ? "at the deadline" : `by ${person(state.closed.by)}`;
    return `**Closed** ${by} on ${formatTime(state.closed.at)}. This tally is final.`;
  }
  return `**Open** until ${formatTime(state.spec.deadline)}; proposed by ${person(state.spec.proposer)}.`;
}

function participationLine(result: VoteResult): string {
  const p = result.participation;
  const met = p.quorumMet && p.participationMet;
  const share = p.minParticipation > 0 ? ` and ${Math.round(p.minParticipation * 100)}% of the voters` : "";
  const abstained = p.abstained > 0 ? ` (${p.abstained} abstained)` : "";
  const silent = p.noAnswer && p.noAnswer.length > 0 ? `; no answer from ${p.noAnswer.map((id) => escapeInline(id)).join(", ")} (not counted)` : "";
  return `**Participation:** ${p.cast} of ${p.eligible} voted${abstained}${silent}; quorum ${p.quorum}${share} ${met ? "✅ met" : "⏳ not met"}`;
}

function ballotsSection(state: VoteState): string[] {
  const { spec } = state;
  const { effective } = resolveBallots(spec, state.ballots);
  const waiting = spec.voters.filter((voter) => !effective.some((ballot) => sameVoter(ballot.voter, voter)));
  const lines = ["#### Ballots"];
  if (effective.length === 0) lines.push("_No ballots yet._");
  else {
    lines.push("| Voter | Ballot | Reason |", "|---|---|---|");
    for (const ballot of effective) {
      lines.push(`| ${voterCell(ballot.voter)} | ${choiceCell(spec, ballot)} | ${reasonCell(ballot.reason)} |`);
    }
  }
  if (waiting.length > 0 && state.phase === "open") {
    lines.push("", `Not voted yet: ${waiting.map(voterCell).join(", ")}`);
  }
  return lines;
}

function resultSection(state: VoteState, result: VoteResult): string[] {
  const { spec } = state;
  if (state.phase === "cancelled") return ["#### Result", "_None: the vote was cancelled._"];
  const heading = state.phase === "closed" ? "#### Result (final)" : "#### Result (running)";
  const lines = [heading, `**${headline(spec, result)}** ${escapeInline(result.reason)}`];
  if (spec.method === "ranked" && result.rounds.length > 1) lines.push("", ...roundsTable(spec, result.rounds));
  return lines;
}

function headline(spec: VoteSpec, result: VoteResult): string {
  const winner = result.winner === undefined ? "" : escapeInline(optionLabel(spec.options, result.winner));
  switch (result.status) {
    case "passed":
      return `Passed: ${winner}.`;
    case "failed":
      return "Failed: no decision.";
    case "no-quorum":
      return "Failed: not enough participation.";
    case "deadlocked":
      return "Deadlocked: a maintainer decides.";
    case "pending":
      if (result.provisional === "passed") return `If it closed now: passed, ${winner}.`;
      if (result.provisional === "no-quorum") return "If it closed now: not enough participation.";
      return "If it closed now: no decision.";
  }
}

/** One row per option, one column per instant run-off round; ✖ marks the round an option was eliminated in. */
function roundsTable(spec: VoteSpec, rounds: readonly RoundCount[]): string[] {
  const header = `| Option | ${rounds.map((round) => `Round ${round.round}`).join(" | ")} |`;
  const rule = `|---|${rounds.map(() => "--:").join("|")}|`;
  const rows = spec.options.map((option) => {
    const cells = rounds.map((round) => {
      const votes = round.tallies[option.id];
      if (votes === undefined) return "";
      return round.eliminated?.includes(option.id) ? `${votes} ✖` : String(votes);
    });
    return `| ${option.id} ${escapeInline(option.label)} | ${cells.join(" | ")} |`;
  });
  const exhausted = `| _exhausted_ | ${rounds.map((round) => String(round.exhausted ?? 0)).join(" | ")} |`;
  const notes = rounds.flatMap((round) =>
    round.tieBreak
      ? [`Round ${round.round}: tie for fewest between ${round.tieBreak.among.join(", ")}, broken by ${round.tieBreak.rule}.`]
      : [],
  );
  return [header, rule, ...rows, exhausted, ...(notes.length > 0 ? ["", ...notes] : [])];
}

function deliberationSection(state: VoteState): string[] {
  const last = currentRound(state);
  const { deadlock, compromise, compromiseFailed, escalated } = state.deliberation;
  if (last === 0 && !deadlock) return [];
  const { spec } = state;
  const lines = ["", "#### Deliberation"];
  for (let round = 1; round <= last; round++) {
    const standing = resolveBallots(spec, state.ballots, { upToRound: round }).effective;
    const tallies = count(spec, standing).rounds[0]?.tallies ?? {};
    lines.push(`- Round ${round} of ${spec.maxRounds}: ${escapeInline(describeTallies(spec, tallies))}`);
  }
  if (deadlock) lines.push(`- Deadlocked after round ${deadlock.afterRound}: ${escapeInline(deadlock.reason)}`);
  if (compromise) {
    const label = escapeInline(optionLabel(spec.options, compromise.optionId));
    lines.push(`- Compromise by ${escapeInline(compromise.by)}: **${compromise.optionId} ${label}** — ${escapeInline(compromise.reason)}`);
  }
  if (compromiseFailed) lines.push(`- No compromise from ${escapeInline(compromiseFailed.by)}: ${escapeInline(compromiseFailed.reason)}`);
  if (escalated) lines.push(`- Escalated to the maintainers: ${escapeInline(escalated.reason)}`);
  return lines;
}

function footer(spec: VoteSpec): string {
  const how =
    spec.method === "ranked"
      ? `\`/vote ${spec.options.map((option) => option.id).join(" > ")}\` (best first)`
      : "`/vote <option>` (label, letter or number)";
  return `<sub>Vote with ${how} or \`/vote abstain\`, a reason after \` -- \`; your latest ballot counts. Maintainers: \`/close-vote\`. Proposer or maintainers: \`/cancel-vote\`.</sub>`;
}

function voterCell(voter: Voter): string {
  return voter.kind === "person" ? person(voter.id) : `${escapeInline(voter.id)} (agent)`;
}

/** A login shown without notifying its owner. */
function person(login: string): string {
  return escapeInline(`@${login}`);
}

function choiceCell(spec: VoteSpec, ballot: Ballot): string {
  if (ballot.noAnswer === true) return "_no answer_";
  if (ballot.choice === "abstain") return "_abstain_";
  return ballot.choice.map((id) => `${id} ${escapeInline(optionLabel(spec.options, id))}`).join(" > ");
}

function reasonCell(reason: string | undefined): string {
  if (!reason) return "";
  return escapeInline(reason, REASON_CELL_CHARS);
}

/** `2026-11-23 12:00 UTC`. */
export { formatTime };

/**
 * The comment that asks the maintainers to decide a deadlocked vote. It is the one place
 * that mentions people on purpose.
 */
export function renderEscalation(state: VoteState, reason: string): string {
  const who = maintainerMentions(state.spec.maintainers);
  return [
    `${who}: the vote “${escapeInline(state.spec.question)}” is deadlocked. ${escapeInline(reason)}`,
    "",
    "Decide with `/close-vote <option>`, or close it as counted with `/close-vote`.",
  ].join("\n");
}

/** The `decision:*` label for a closed vote; null for a cancelled or open one. */
export function decisionLabel(state: VoteState): string | null {
  const result = state.result;
  if (state.phase !== "closed" || !result) return null;
  if (result.status === "passed" && result.winner !== undefined) {
    const slug = slugify(optionLabel(state.spec.options, result.winner));
    return `decision:${slug === "" ? `option-${result.winner.toLowerCase()}` : slug}`;
  }
  if (result.status === "no-quorum") return "decision:no-quorum";
  if (result.status === "deadlocked") return "decision:deadlocked";
  return "decision:none";
}

function slugify(label: string): string {
  return label
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
}

/** One line for the task card's audit trail (markdown, escaped). */
export function auditLine(state: VoteState): string {
  const question = escapeInline(state.spec.question, 80);
  if (state.phase === "cancelled") return `Vote “${question}” cancelled by ${person(state.cancelled?.by ?? "unknown")}.`;
  const result = state.result;
  if (state.phase !== "closed" || !result) return `Vote “${question}” is open until ${formatTime(state.spec.deadline)}.`;
  const winner =
    result.winner === undefined ? "" : ` — ${escapeInline(optionLabel(state.spec.options, result.winner))}`;
  const p = result.participation;
  return `Vote “${question}” closed: ${result.status}${winner} (${state.spec.method}, ${p.cast} of ${p.eligible} voted).`;
}

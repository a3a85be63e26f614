/**
 * The `/vote` grammar (see docs/consensus.md):
 *
 *   /vote <choice> [-- reason]
 *   [reason on the next line]
 *
 * where <choice> is `abstain`, one option (label, unique label prefix, letter or number) or,
 * for ranked votes, options separated by `>` (best first): `/vote B > A > C`.
 * The same choice grammar serves AI answers and `/close-vote <option>`.
 */
import { describeOptions, optionLabel, resolveOption } from "./options.js";
import type { OptionErrorCode } from "./options.js";
import { LIMITS, err, ok } from "./types.js";
import type { Choice, ConsensusError, Result, VoteSpec } from "./types.js";

type ChoiceErrorCode = OptionErrorCode | "ranked-not-allowed" | "duplicate-choice" | "abstain-in-ranking";
type ChoiceError = ConsensusError<ChoiceErrorCode>;

export interface ParsedBallot {
  choice: Choice;
  reason?: string;
}

const REASON_SEPARATOR_RE = /\s+(?:--|—|–)\s*/;

/** Parses `/vote` arguments and the lines after it (a reason) against the vote's options. */
export function parseVoteArgs(
  args: string,
  block: readonly string[],
  spec: Pick<VoteSpec, "options" | "method">,
): Result<ParsedBallot, ChoiceError> {
  const [choiceText = "", ...inlineReason] = ` ${args}`.split(REASON_SEPARATOR_RE);
  const choice = parseChoice(choiceText, spec);
  if (!choice.ok) return choice;
  const reason = oneLineReason([inlineReason.join(" — "), ...block].join(" "));
  return ok(reason === undefined ? { choice: choice.value } : { choice: choice.value, reason });
}

/** `abstain`, one option, or a `>`-separated ranking (ranked votes only). */
export function parseChoice(text: string, spec: Pick<VoteSpec, "options" | "method">): Result<Choice, ChoiceError> {
  const trimmed = text.trim();
  if (trimmed === "") {
    return err({ code: "missing-choice", message: `${voteUsage(spec)}` });
  }
  if (trimmed.toLowerCase() === "abstain") return ok("abstain");
  const parts = trimmed.split(">").map((part) => part.trim());
  if (parts.length > 1 && spec.method !== "ranked") {
    return err({
      code: "ranked-not-allowed",
      message: `This vote uses ${spec.method}, so a ballot names one option; rankings (A > B) are for ranked votes.`,
    });
  }
  const ids: string[] = [];
  for (const part of parts) {
    if (part.toLowerCase() === "abstain") {
      return err({ code: "abstain-in-ranking", message: "Abstain on its own (`/vote abstain`), not inside a ranking." });
    }
    if (part === "") {
      return err({ code: "missing-choice", message: "A ranking has an empty place; write `/vote B > A > C`." });
    }
    const id = resolveOption(spec.options, part);
    if (!id.ok) return id;
    if (ids.includes(id.value)) {
      return err({
        code: "duplicate-choice",
        message: `“${optionLabel(spec.options, id.value)}” appears twice in the ranking; rank each option once.`,
      });
    }
    ids.push(id.value);
  }
  return ok(ids);
}

/** What to answer a bare `/vote`: how to vote in this vote. */
function voteUsage(spec: Pick<VoteSpec, "options" | "method">): string {
  const first = spec.options[0]?.label ?? "A";
  const example =
    spec.method === "ranked"
      ? `\`/vote ${spec.options.map((option) => option.id).join(" > ")}\` (best first)`
      : `\`/vote ${first}\``;
  return `Vote with ${example} or \`/vote abstain\`; add a reason after \` -- \`. Options: ${describeOptions(spec.options)}.`;
}

/** A reason reduced to one line of at most the allowed length. */
export function oneLineReason(text: string): string | undefined {
  const line = text.replace(/\s+/g, " ").trim();
  if (line === "") return undefined;
  return line.length <= LIMITS.reasonChars ? line : `${line.slice(0, LIMITS.reasonChars - 1)}…`;
}

/** The answer to `/vote` when there is no open vote on the issue or pull request. */
export const NO_OPEN_VOTE_MESSAGE =
  "There is no open vote here. Open one with `/propose <question>` followed by one `- option` per line (none for yes/no).";

import { decisionLabel, optionLabel, type VoteState } from "../../domain/consensus/index.js";
import type { LabelSpec } from "../../domain/task/labels.js";
import type { RunContext } from "../../runtime/context.js";

export const DECISION_PREFIX = "decision:";

/** The label that marks an open vote, so the sweep lists due votes instead of reading every issue. */
export function openVoteLabel(ctx: RunContext): LabelSpec {
  return { name: ctx.config.voting.openLabel, color: "fbca04", description: "An Orkestra vote is open here" };
}

/** The `decision:*` label of a closed vote, with a colour and description saying what it means. */
export function decisionLabelSpec(state: VoteState): LabelSpec | null {
  const name = decisionLabel(state);
  const result = state.result;
  if (!name || !result) return null;
  switch (result.status) {
    case "passed":
      return { name, color: "0e8a16", description: clip(`Vote decided: ${optionLabel(state.spec.options, result.winner ?? "")}`) };
    case "no-quorum":
      return { name, color: "cfd3d7", description: "Vote closed without enough participation" };
    case "deadlocked":
      return { name, color: "b60205", description: "Vote deadlocked: a maintainer decides" };
    default:
      return { name, color: "d93f0b", description: "Vote closed without a decision" };
  }
}

function clip(text: string): string {
  return text.length <= 100 ? text : `${text.slice(0, 99)}…`;
}

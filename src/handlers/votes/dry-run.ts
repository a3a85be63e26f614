import type { NextStep } from "../../domain/consensus/index.js";
import type { RunContext } from "../../runtime/context.js";

/**
 * A dry run calls no agent (they cost money). Instead it says, in the run report, whom the
 * deliberation's next step would ask; true when `step` was such a question.
 */
export function reportWouldAsk(ctx: RunContext, issue: number, step: NextStep): boolean {
  let what: string;
  if (step.kind === "ask-round") {
    what = `${step.voters.map((voter) => `\`${voter.id}\``).join(", ")} for their ballot${step.voters.length === 1 ? "" : "s"} in round ${step.round}`;
  } else if (step.kind === "ask-compromise") {
    what = `\`${step.agent.id}\` for a compromise option after round ${step.round}`;
  } else {
    return false;
  }
  ctx.skippedInDryRun(`#${issue}: would ask ${what} (dry run: not asked)`);
  return true;
}

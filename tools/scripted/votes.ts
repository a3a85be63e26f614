/**
 * How the offline `scripted` agents vote, so the demo and scenario tests show a real
 * deliberation without any network: each agent starts from an option its seed picks, and in
 * later rounds most agents move to the option leading after the previous round. Everything
 * they write says "[scripted]". Tests register their own responders over these.
 */
import type { DataBlock } from "../../src/agents/index.js";
import type { CompromiseBrief, RoundBrief, VoteOption } from "../../src/domain/consensus/index.js";
import { SCRIPTED_LABEL, type ScriptedContext, type ScriptedResponder } from "./provider.js";

function brief<T>(data: readonly DataBlock[], label: string): T | null {
  const block = data.find((item) => item.label === label);
  if (!block) return null;
  try {
    return JSON.parse(block.content) as T;
  } catch {
    return null;
  }
}

function leading(view: RoundBrief): string | null {
  const counts = new Map<string, number>();
  for (const ballot of view.previousRound?.ballots ?? []) {
    if (ballot.choice !== "abstain" && ballot.choice[0]) counts.set(ballot.choice[0], (counts.get(ballot.choice[0]) ?? 0) + 1);
  }
  const best = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
  return best?.[0] ?? null;
}

function scriptedBallot(view: RoundBrief, ctx: ScriptedContext): { choice: string; reason: string } {
  const options: VoteOption[] = view.compromise ? [view.compromise.option, ...view.options.filter((o) => o.id !== view.compromise?.option.id)] : view.options;
  const own = options[Math.floor(ctx.seed * options.length)] ?? options[0]!;
  const lead = leading(view);
  // From round 2 most agents are persuaded by the leading option; a compromise wins them all.
  const persuaded = view.compromise ? view.compromise.option.label : lead && ctx.seed < 0.7 ? lead : null;
  const first = persuaded ?? own.label;
  const ranked = [first, ...options.map((option) => option.label).filter((label) => label !== first)];
  const reason = persuaded
    ? `${SCRIPTED_LABEL} ${ctx.agent} joins "${first}" after reading the other ballots.`
    : `${SCRIPTED_LABEL} ${ctx.agent} prefers "${first}" for this question.`;
  return { choice: view.ranked ? ranked.join(" > ") : first, reason };
}

export const ballotResponder: ScriptedResponder = (call, ctx) => {
  const view = brief<RoundBrief>(call.data, "vote");
  if (!view) return { choice: "abstain", reason: `${SCRIPTED_LABEL} no vote to read` };
  return scriptedBallot(view, ctx);
};

export const compromiseResponder: ScriptedResponder = (call, ctx) => {
  const view = brief<CompromiseBrief>(call.data, "deliberation");
  const [a, b] = view?.options ?? [];
  const option = a && b ? `Start with ${a.label}, keep ${b.label} possible` : "A smaller first step";
  return { option: option.slice(0, 100), reason: `${SCRIPTED_LABEL} ${ctx.agent} proposes a middle way both sides named.` };
};

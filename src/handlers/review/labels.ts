import type { LabelSpec } from "../../domain/task/labels.js";
import type { RunContext } from "../../runtime/context.js";

/** Colours and descriptions for the labels the review sets (GitHub creates them on first use). */
export function reviewLabelSpec(ctx: RunContext, name: string): LabelSpec {
  const { labels } = ctx.config.review;
  if (name === labels.blocked) return { name, color: "b60205", description: "Orkestra review: an agent found a blocker" };
  if (name === labels.needsClarification) return { name, color: "fbca04", description: "Orkestra review: most agents have concerns" };
  if (name === labels.overlap) return { name, color: "d93f0b", description: "Changes the same code as another open pull request" };
  return { name, color: "0e8a16", description: "Orkestra review: every agent approves" };
}

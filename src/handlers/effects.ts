import type { LabelSpec } from "../domain/task/labels.js";
import type { ReactionContent } from "../github/port.js";

/**
 * A write Orkestra wants to make. Handlers decide on effects; `applyEffects` is the one
 * place that performs them, so a dry run, a job summary and an audit of "what and why"
 * all come from the same list.
 */
export type Effect =
  | { kind: "add-labels"; issue: number; labels: LabelSpec[]; why: string }
  | { kind: "remove-labels"; issue: number; names: string[]; why: string }
  | { kind: "create-comment"; issue: number; body: string; why: string }
  | { kind: "update-comment"; issue: number; commentId: number; body: string; why: string }
  | { kind: "delete-comment"; issue: number; commentId: number; why: string }
  | { kind: "react"; issue: number; commentId: number; content: ReactionContent; why: string }
  | { kind: "set-state"; issue: number; state: "open" | "closed"; reason?: "completed" | "not_planned"; why: string }
  | { kind: "add-blocked-by"; issue: number; blocker: { number: number; id: number }; why: string; bestEffort: true }
  | { kind: "remove-blocked-by"; issue: number; blocker: { number: number; id: number }; why: string; bestEffort: true }
  | { kind: "delete-ref"; issue: number; ref: string; why: string };

/** One line for logs and job summaries, prefixed with the issue number. */
export function describeEffect(effect: Effect): string {
  const what = (() => {
    switch (effect.kind) {
      case "add-labels":
        return `add labels ${effect.labels.map((label) => `\`${label.name}\``).join(", ")}`;
      case "remove-labels":
        return `remove labels ${effect.names.map((name) => `\`${name}\``).join(", ")}`;
      case "create-comment":
        return "post a comment";
      case "update-comment":
        return `edit comment ${effect.commentId}`;
      case "delete-comment":
        return `delete duplicate comment ${effect.commentId}`;
      case "react":
        return `react ${effect.content}`;
      case "set-state":
        return effect.state === "closed" ? `close as ${effect.reason ?? "completed"}` : "reopen";
      case "add-blocked-by":
        return `mark blocked by #${effect.blocker.number}`;
      case "remove-blocked-by":
        return `unmark blocked by #${effect.blocker.number}`;
      case "delete-ref":
        return `release lock \`${effect.ref}\``;
    }
  })();
  return `#${effect.issue}: ${what} — ${effect.why}`;
}

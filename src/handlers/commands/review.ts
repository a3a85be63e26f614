import { reviewOnCommand } from "../review/index.js";
import { refuse, type CommandSpec } from "./types.js";

export const reviewCommand: CommandSpec = {
  name: "review",
  usage: "/review [agent …]",
  summary:
    "Review this pull request's current head now, with the configured agents or the ones named; the new review replaces Orkestra's earlier one. Drafts and PRs from authors without write access too.",
  examples: ["/review", "/review claude gemini"],
  // It spends the repository's LLM budget, so not everybody who can comment may start it.
  permission: "write",
  scope: "pull-request",
  async run(ctx, command) {
    const requested = command.args
      .split(/[\s,]+/)
      .map((name) => name.replace(/^@/, "").toLowerCase())
      .filter(Boolean);
    const outcome = await reviewOnCommand(ctx, ctx.issue.number, requested, ctx.comment.createdAt);
    if (!outcome.ok) return refuse(outcome.reason);
    return { ok: true, effects: [], ...(outcome.reply ? { reply: outcome.reply } : {}) };
  },
};

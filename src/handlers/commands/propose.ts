import { parseProposal } from "../../domain/consensus/index.js";
import { deliberate, openVoteIn, voteId, votesIn } from "../votes/index.js";
import { postVote, specFor } from "../votes/open.js";
import { refuse, type CommandSpec } from "./types.js";

export const proposeCommand: CommandSpec = {
  name: "propose",
  usage: "/propose <question> [method=… deadline=… quorum=… voters=…]",
  summary:
    "Open a vote: options one per following line (`- option`; none means yes/no, approve/reject on a pull request). Agent voters deliberate at once.",
  examples: ["/propose Ship on Friday? quorum=2", "/propose Which database? method=ranked voters=claude,gemini,@alice"],
  permission: "triage",
  scope: "issue-or-pull-request",
  async run(ctx, command) {
    const number = ctx.issue.number;
    const comments = await ctx.github.listComments(number);
    const id = voteId(number, ctx.comment.id);
    const open = openVoteIn(comments);
    if (open && open.state.id !== id) {
      return refuse(
        `a vote is already open here (“${open.state.spec.question}”); close it with \`/close-vote\` or cancel it with \`/cancel-vote\` first`,
      );
    }
    // A redelivered `/propose` resumes its own vote (a deliberation cut short) and opens nothing new.
    if (open) {
      await deliberate(ctx, ctx.issue, id, comments);
      return { ok: true, effects: [] };
    }
    if (votesIn(comments).some((vote) => vote.state.id === id)) return { ok: true, effects: [] };
    const proposal = parseProposal(command.args, command.block);
    if (!proposal.ok) return refuse(proposal.error.message);
    const spec = await specFor(ctx, ctx.issue, ctx.author, proposal.value);
    if (!spec.ok) return refuse(spec.reason);
    const opened = await postVote(ctx, ctx.issue, id, spec.spec);
    if (!opened.ok) return refuse(opened.reason);
    if (ctx.dryRun) return { ok: true, effects: [], reply: "Dry run: the vote was not opened, so no agent was asked." };
    await deliberate(ctx, ctx.issue, id, opened.comments);
    return { ok: true, effects: [] };
  },
};

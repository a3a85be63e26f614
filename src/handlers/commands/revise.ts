import { reviseWork, taskOfPull } from "../execution/index.js";
import { refuse, type CommandSpec } from "./types.js";

export const reviseCommand: CommandSpec = {
  name: "revise",
  usage: "/revise <what to change>",
  summary: "Give the agent whose pull request is in review another round, with what to change (on the pull request or its task).",
  examples: ["/revise handle an empty list too", "/revise the tests are missing"],
  permission: "write",
  scope: "issue-or-pull-request",
  async run(ctx, command) {
    const what = command.args.trim();
    if (!what) return refuse("say what to change, e.g. `/revise handle an empty list too`");
    let number = ctx.issue.number;
    if (ctx.issue.isPullRequest) {
      const pr = await ctx.github.getPull(number);
      const task = pr ? taskOfPull(pr) : null;
      if (task === null) return refuse("this pull request is not an agent's work for a task");
      number = task;
    }
    const findings = `A person with write permission (@${ctx.author}) asks for these changes:\n\n${what}`;
    const revision = await reviseWork(ctx, number, findings, `\`/revise\` by @${ctx.author}`);
    if (!revision.ok) return refuse(revision.reason);
    return { ok: true, effects: [], afterwards: revision.run };
  },
};

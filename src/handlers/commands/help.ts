import { describePause, repoPause } from "../pause.js";
import type { CommandSpec } from "./types.js";
import { enabledCommands, requiredPermission } from "./registry.js";

export const helpCommand: CommandSpec = {
  name: "help",
  usage: "/help",
  summary: "List the commands enabled in this repository.",
  examples: ["/help"],
  permission: "read",
  scope: "issue-or-pull-request",
  async run(ctx) {
    // While paused every reply says so; only `/pause`, `/resume` and `/help` work.
    const pause = await repoPause(ctx.github, ctx.report);
    const rows = enabledCommands(ctx.config).map(
      (spec) => `| \`${spec.usage}\` | ${spec.summary} | ${requiredPermission(spec, ctx.config)} |`,
    );
    const reply = [
      "**Orkestra commands** — write them at the start of a line in a comment.",
      "",
      "| Command | What it does | Who may use it |",
      "|---|---|---|",
      ...rows,
      ...(pause ? ["", `⏸️ ${describePause(pause)}: until a maintainer's \`/resume\`, only \`/pause\`, \`/resume\` and \`/help\` work.`] : []),
    ].join("\n");
    return { ok: true, effects: [], reply };
  },
};

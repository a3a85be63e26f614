import { refuse, type CommandSpec } from "./types.js";

// Placeholder: being built (issue 14).
export const pauseCommand: CommandSpec = {
  name: "pause",
  usage: "/pause [here]",
  summary: "Not available yet.",
  examples: ["/pause"],
  permission: "maintain",
  scope: "issue-or-pull-request",
  async run() {
    return refuse("not available yet");
  },
};

import { refuse, type CommandSpec } from "./types.js";

// Placeholder: being built (issue 14).
export const resumeCommand: CommandSpec = {
  name: "resume",
  usage: "/resume [here]",
  summary: "Not available yet.",
  examples: ["/resume"],
  permission: "maintain",
  scope: "issue-or-pull-request",
  async run() {
    return refuse("not available yet");
  },
};

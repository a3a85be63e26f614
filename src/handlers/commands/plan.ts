import { refuse, type CommandSpec } from "./types.js";

// Placeholder: being built (issue 14).
export const planCommand: CommandSpec = {
  name: "plan",
  usage: "/plan [agents…] · /plan revise <feedback> · /plan approve · /plan reject",
  summary: "Not available yet.",
  examples: ["/plan"],
  permission: "triage",
  scope: "task",
  async run() {
    return refuse("not available yet");
  },
};

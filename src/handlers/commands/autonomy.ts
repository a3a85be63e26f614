import { refuse, type CommandSpec } from "./types.js";

// Placeholder: being built (issue 14).
export const autonomyCommand: CommandSpec = {
  name: "autonomy",
  usage: "/autonomy full|supervised|manual",
  summary: "Not available yet.",
  examples: ["/autonomy"],
  permission: "maintain",
  scope: "task",
  async run() {
    return refuse("not available yet");
  },
};

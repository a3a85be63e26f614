/**
 * Every command Orkestra knows. The registry of command modules must match this list
 * (a test checks it); config refers to commands by these names.
 */
export const COMMAND_NAMES = ["help", "status", "priority", "depends-on", "assign", "unassign", "propose", "vote", "close-vote", "cancel-vote", "review", "start", "stop", "revise", "plan", "autonomy", "pause", "resume"] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

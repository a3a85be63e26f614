import type { Config } from "../../config/schema.js";
import type { PermissionLevel } from "../../config/common.js";
import { assignCommand } from "./assign.js";
import { autonomyCommand } from "./autonomy.js";
import { cancelVoteCommand } from "./cancel-vote.js";
import { closeVoteCommand } from "./close-vote.js";
import { dependsOnCommand } from "./depends-on.js";
import { helpCommand } from "./help.js";
import { pauseCommand } from "./pause.js";
import { planCommand } from "./plan.js";
import { priorityCommand } from "./priority.js";
import { proposeCommand } from "./propose.js";
import { reviewCommand } from "./review.js";
import { resumeCommand } from "./resume.js";
import { reviseCommand } from "./revise.js";
import { startCommand } from "./start.js";
import { stopCommand } from "./stop.js";
import { statusCommand } from "./status.js";
import { unassignCommand } from "./unassign.js";
import { voteCommand } from "./vote.js";
import type { CommandSpec } from "./types.js";

/** Every command module. Adding a command = writing its module and listing it here. */
export const COMMANDS: readonly CommandSpec[] = [
  helpCommand,
  statusCommand,
  priorityCommand,
  dependsOnCommand,
  assignCommand,
  unassignCommand,
  proposeCommand,
  voteCommand,
  closeVoteCommand,
  cancelVoteCommand,
  reviewCommand,
  startCommand,
  stopCommand,
  reviseCommand,
  planCommand,
  autonomyCommand,
  pauseCommand,
  resumeCommand,
];

export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((spec) => spec.name === name);
}

export function enabledCommands(config: Config): CommandSpec[] {
  return COMMANDS.filter((spec) => !config.commands.disabled.includes(spec.name));
}

export function requiredPermission(spec: CommandSpec, config: Config): PermissionLevel {
  return config.commands.permissions[spec.name] ?? spec.permission;
}

import { codeSpan } from "../../domain/untrusted-text.js";
import { AUTONOMY_LEVELS, type Autonomy } from "../../domain/task/model.js";
import { applyTaskRequest, commandTask, NOT_A_TASK } from "./task-command.js";
import { refuse, type CommandSpec } from "./types.js";

const WORDS = [...AUTONOMY_LEVELS, "default"] as const;

const isAutonomy = (value: string): value is Autonomy => (AUTONOMY_LEVELS as readonly string[]).includes(value);

const MEANING: Record<Autonomy, string> = {
  full: "agents' pull requests get GitHub's auto-merge once the review policy passes",
  supervised: "people approve plans and merge",
  manual: "agents only recommend: nothing starts without a person's command, and reviews are suggestions",
};

/** `/autonomy full|supervised|manual` sets this task's level; `/autonomy default` follows the repository's again. */
export const autonomyCommand: CommandSpec = {
  name: "autonomy",
  usage: "/autonomy full|supervised|manual|default",
  summary: "Set how far agents go on their own for this task (`default` follows the repository's `autonomy`).",
  examples: ["/autonomy manual", "/autonomy default"],
  permission: "maintain",
  scope: "task",
  async run(ctx, command) {
    const wanted = command.args.trim().toLowerCase();
    if (!isAutonomy(wanted) && wanted !== "default") {
      return refuse(`${codeSpan(command.args || "(nothing)")} is not an autonomy level; use one of ${WORDS.map((word) => `\`${word}\``).join(", ")}`);
    }
    const task = await commandTask(ctx);
    if (!task?.meta) return refuse(NOT_A_TASK);
    const level = wanted === "default" ? null : wanted;
    const outcome = await applyTaskRequest(ctx, task, { autonomy: level, how: `\`/autonomy ${wanted}\`` });
    if (!outcome.ok) return outcome;
    const effective = level ?? ctx.config.autonomy;
    const reply =
      level === null
        ? `This task follows the repository's autonomy again: \`${effective}\` (${MEANING[effective]}).`
        : `Autonomy for this task is now \`${level}\`: ${MEANING[level]}.`;
    return { ...outcome, reply };
  },
};

import { parseDependencyArgs, parseDependencyRefs } from "../../domain/task/dependencies.js";
import { formatRefs } from "../../domain/task/state-machine.js";
import { syncTask } from "../task-sync.js";
import { commandTask, NOT_A_TASK } from "./task-command.js";
import { refuse, type CommandSpec } from "./types.js";

export const dependsOnCommand: CommandSpec = {
  name: "depends-on",
  usage: "/depends-on #N …",
  summary: "Add dependencies to the task (`-#N` removes one added this way).",
  examples: ["/depends-on #12", "/depends-on #3 #4", "/depends-on -#3"],
  permission: "triage",
  scope: "task",
  async run(ctx, command) {
    const removals = command.args.split(/[\s,]+/).filter((token) => token.startsWith("-"));
    const additions = command.args.split(/[\s,]+/).filter((token) => token && !token.startsWith("-"));
    const add = additions.length > 0 ? parseDependencyArgs(additions.join(" "), ctx.github.repo) : [];
    const remove = removals.length > 0 ? parseDependencyArgs(removals.map((t) => t.slice(1)).join(" "), ctx.github.repo) : [];
    if (!add || !remove || add.length + remove.length === 0) {
      return refuse("name the issues as `#12` (or `-#12` to remove one you added with this command)");
    }
    const task = await commandTask(ctx);
    if (!task?.meta) return refuse(NOT_A_TASK);
    const fromBody = parseDependencyRefs(task.issue.body, ctx.github.repo);
    const stuck = remove.filter((number) => fromBody.includes(number));
    if (stuck.length > 0) return refuse(`${formatRefs(stuck)} ${stuck.length === 1 ? "comes" : "come"} from the issue text: edit the issue to remove ${stuck.length === 1 ? "it" : "them"}`);
    const extraDeps = [...new Set([...task.meta.extraDeps, ...add])].filter((number) => !remove.includes(number));
    const how = `\`/depends-on ${command.args}\``;
    const result = await syncTask(ctx, task, { actor: ctx.author, extraDeps, ownProblems: add, request: { how } });
    const refused = result.problems.filter((problem) => add.includes(problem.number));
    if (refused.length > 0) return refuse(refused.map((problem) => `#${problem.number}: ${problem.why}`).join("; "));
    return { ok: true, effects: result.effects };
  },
};

/**
 * The checks Orkestra makes before an agent starts work on a task, in the order people would ask
 * them. Each failure names the check and gives the line the task card shows, so a person knows
 * what to fix; the first failure wins (later checks may depend on earlier ones).
 */
import { formatRefs } from "../task/state-machine.js";

export type Output = "pull-request" | "comment";
export type Mode = "api" | "cli";

interface PreTaskFacts {
  task: { number: number; type: string; status: string; agent: string | null; openDeps: readonly number[] };
  /** `execution.types`, `execution.resultTypes`. */
  types: readonly string[];
  resultTypes: readonly string[];
  /** Who the task's lock names, or null when there is no lock. */
  lockHolder: string | null;
  /**
   * Whether someone with write permission stands behind the work: the author or the person
   * who assigned it. Null when `execution.trustedAuthorsOnly` is off.
   */
  trust: { trusted: boolean; author: string; assigner: string } | null;
  /** Orkestra's branch for the task when its latest commit is someone else's (a new attempt would replace it). */
  foreignBranch?: string | null;
  /** Open pull requests that name the task but are not on Orkestra's branch for it. */
  otherPulls: readonly number[];
  /** Why the agent may not spend now (a budget reached), or null. */
  budget: string | null;
  /** How the agent works, or why it cannot work here. */
  mode: { ok: true; mode: Mode } | { ok: false; reason: string };
}

type PreTaskCheck =
  | { ok: true; output: Output; mode: Mode }
  | { ok: false; check: "type" | "status" | "trust" | "dependencies" | "lock" | "pull-request" | "branch" | "budget" | "mode"; line: string };

export function preTaskChecks(facts: PreTaskFacts): PreTaskCheck {
  const { task } = facts;
  const output: Output | null = facts.types.includes(task.type) ? "pull-request" : facts.resultTypes.includes(task.type) ? "comment" : null;
  if (output === null) {
    return fail("type", `agents do not work on \`${task.type}\` tasks (execution.types: ${list(facts.types)}; execution.resultTypes: ${list(facts.resultTypes)})`);
  }
  if (!task.agent || (task.status !== "assigned" && task.status !== "in-progress")) {
    return fail("status", `the task is \`${task.status}\`${task.agent ? "" : " with no agent"}: assign it first`);
  }
  if (facts.trust && !facts.trust.trusted) {
    const { author, assigner } = facts.trust;
    // One person (the author assigned it, or the sweep did): "@x has …" would say the opposite.
    const who = author === assigner ? `@${author} does not have` : `neither @${author} (the issue's author) nor @${assigner} (who assigned it) has`;
    return fail("trust", `${who} write permission on the repository (execution.trustedAuthorsOnly): a maintainer can start it with \`/start\``);
  }
  if (task.openDeps.length > 0) return fail("dependencies", `${formatRefs([...task.openDeps])} ${task.openDeps.length === 1 ? "is" : "are"} still open`);
  if (facts.lockHolder !== task.agent) {
    return fail("lock", facts.lockHolder ? `the lock is held by \`${facts.lockHolder}\`, not \`${task.agent}\`` : `\`${task.agent}\` holds no lock on the task (the sweep will sort it out)`);
  }
  if (facts.otherPulls.length > 0) {
    return fail("pull-request", `${formatRefs([...facts.otherPulls])} already ${facts.otherPulls.length === 1 ? "works" : "work"} on this task: close ${facts.otherPulls.length === 1 ? "it" : "them"} or unlink the issue first`);
  }
  if (output === "pull-request" && facts.foreignBranch) {
    return fail("branch", `the latest commit on \`${facts.foreignBranch}\` is not Orkestra's: continue that work by hand, or delete the branch and \`/start\` again`);
  }
  if (facts.budget) return fail("budget", `no budget left for \`${task.agent}\`: ${facts.budget}`);
  if (!facts.mode.ok) return fail("mode", facts.mode.reason);
  return { ok: true, output, mode: facts.mode.mode };
}

function fail(check: Extract<PreTaskCheck, { ok: false }>["check"], line: string): PreTaskCheck {
  return { ok: false, check, line };
}

function list(items: readonly string[]): string {
  return items.length > 0 ? items.map((item) => `\`${item}\``).join(", ") : "none";
}

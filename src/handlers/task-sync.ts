import { lockRef } from "../domain/assignment/lock.js";
import type { DepState, TaskMeta } from "../domain/task/card.js";
import { findCycle, parseDependencyRefs } from "../domain/task/dependencies.js";
import { reconcileTask, type TaskRequest } from "../domain/task/reconcile.js";
import { formatRefs } from "../domain/task/state-machine.js";
import { same } from "../domain/task/labels.js";
import { renderMarker } from "../domain/markers.js";
import type { IssueData } from "../github/port.js";
import { configFixedEffects, configPathOf } from "./config.js";
import type { RunContext } from "../runtime/context.js";
import type { Effect } from "../runtime/effects.js";
import { resolveSticky, upsertSticky } from "./sticky.js";
import { cardEffects, type StoredTask } from "./task-store.js";

interface DepProblem {
  number: number;
  why: string;
}

export interface SyncOptions {
  /** Login of the person whose action led here, or "orkestra". */
  actor: string;
  request?: TaskRequest;
  /** Replaces the card's `/depends-on` list (a command adding or removing dependencies). */
  extraDeps?: number[];
  /** Dependencies the caller reports itself (a command's reply); the rest go to the problems comment. */
  ownProblems?: readonly number[];
  /**
   * The issue was created in this run (a plan's sub-issue): it has no native links yet and nothing
   * depends on it, so no cycle can pass through it — neither is read.
   */
  created?: boolean;
  /** Issues this run has just read or made (a plan's sub-issues): a dependency among them is not read again. */
  known?: ReadonlyMap<number, IssueData>;
  /** GitHub's "blocked by" list changed (a relation added or removed in the sidebar): read it whatever else says. */
  linksChanged?: boolean;
}

interface SyncResult {
  meta: TaskMeta;
  effects: Effect[];
  problems: DepProblem[];
}

const PROBLEMS_KIND = "dependency-problems";
/** Most issues read while looking for a dependency cycle. */
const CYCLE_SEARCH_LIMIT = 30;

/**
 * Brings a task's labels, card and native dependency links in line with its issue: the
 * body's dependencies plus those added by command, validated (exists, not itself, no cycle),
 * plus the blockers a person linked on GitHub (the sidebar's "Blocked by").
 */
export async function syncTask(ctx: RunContext, task: StoredTask, options: SyncOptions): Promise<SyncResult> {
  const extraDeps = options.extraDeps ?? task.meta?.extraDeps ?? [];
  const declared = unique([...parseDependencyRefs(task.issue.body, ctx.github.repo), ...extraDeps]);
  const mirrored = task.meta?.mirrored ?? [];
  const native = mayHaveLinks(task, declared, mirrored, options) ? await nativeBlockers(ctx, task.issue.number) : new Map<number, IssueData>();
  // A link Orkestra did not make for a declared dependency is a person's: it counts like one in the body.
  const linked = [...(native?.keys() ?? [])].filter((number) => !declared.includes(number) && !mirrored.some((item) => item.number === number));
  const wanted = [...declared, ...linked];
  const { deps, blockers, problems } = await resolveDeps(ctx, task.issue, wanted, native ?? new Map(), options);
  const { meta, labels, notices } = reconcileTask({
    issue: task.issue,
    card: task.meta,
    deps,
    extraDeps: extraDeps.filter((number) => deps.some((dep) => dep.number === number)),
    // Only links standing for declared dependencies are Orkestra's to keep or remove; a person's stay theirs.
    mirrored: [...blockers.values()].filter((issue) => declared.includes(issue.number)).map((issue) => ({ number: issue.number, id: issue.id })),
    request: options.request,
    actor: options.actor,
    defaults: ctx.config.tasks,
    scheme: ctx.scheme,
    now: ctx.clock.now(),
  });
  const number = task.issue.number;
  const why = meta.history.at(-1)?.why ?? "task state";
  const effects: Effect[] = [];
  // An epic whose last sub-issue closed is done: its issue is closed first, like `/status done`.
  if (meta.epic && meta.status === "done" && task.issue.state === "open") {
    effects.push({ kind: "set-state", issue: number, state: "closed", reason: "completed", why: "every sub-issue of the epic is closed" });
  }
  if (labels.remove.length > 0) effects.push({ kind: "remove-labels", issue: number, names: labels.remove, why });
  if (labels.add.length > 0) effects.push({ kind: "add-labels", issue: number, labels: labels.add, why });
  effects.push(...cardEffects(task, meta, why));
  if (task.meta?.agent && !meta.agent) {
    effects.push({ kind: "delete-ref", issue: number, ref: lockRef(number), why: `released by ${task.meta.agent.name}` });
  }
  for (const notice of notices) effects.push({ kind: "create-comment", issue: number, body: notice, why });
  effects.push(...problemEffects(task, problems.filter((problem) => !options.ownProblems?.includes(problem.number))));
  if (native) effects.push(...mirrorEffects(number, blockers, native, mirrored));
  effects.push(...configFixedEffects(number, task.comments, configPathOf(ctx)));
  return { meta, effects, problems };
}

/**
 * Whether GitHub's "blocked by" list is worth a read: there are dependencies to mirror, or links may
 * be there — GitHub's count on the issue says so, else what the card last saw (or a claim is asked).
 */
function mayHaveLinks(task: StoredTask, declared: readonly number[], mirrored: readonly unknown[], options: SyncOptions): boolean {
  if (options.created) return false;
  if (declared.length > 0 || mirrored.length > 0 || options.linksChanged) return true;
  if (task.issue.blockers) return task.issue.blockers.total > 0;
  return (task.meta?.deps.length ?? 0) > 0 || options.request?.agent !== undefined;
}

/**
 * The issues GitHub's native "blocked by" lists for this task, with their states — or null when
 * the repository does not offer the API (then nothing is mirrored and every dependency is read).
 */
async function nativeBlockers(ctx: RunContext, issue: number): Promise<Map<number, IssueData> | null> {
  try {
    return new Map((await ctx.github.blockedBy(issue)).map((blocker) => [blocker.number, blocker]));
  } catch (error) {
    ctx.log.warn(`#${issue}: GitHub's issue dependencies are not available (${String(error)}); dependencies are not mirrored`);
    return null;
  }
}

async function resolveDeps(
  ctx: RunContext,
  issue: IssueData,
  wanted: number[],
  native: ReadonlyMap<number, IssueData>,
  { created = false, known }: Pick<SyncOptions, "created" | "known">,
): Promise<{ deps: DepState[]; blockers: Map<number, IssueData>; problems: DepProblem[] }> {
  const problems: DepProblem[] = [];
  const limit = ctx.config.tasks.maxDependencies;
  for (const number of wanted.slice(limit)) {
    problems.push({ number, why: `more than ${limit} dependencies (tasks.maxDependencies)` });
  }
  const found = new Map<number, IssueData>();
  const fresh = new Map<number, IssueData>();
  for (const number of wanted.slice(0, limit)) {
    if (number === issue.number) {
      problems.push({ number, why: "a task cannot depend on itself" });
      continue;
    }
    // A dependency already linked natively comes with its state; only new ones are read.
    const linked = native.get(number);
    const dep = linked ?? known?.get(number) ?? (await ctx.github.getIssue(number));
    if (!dep) problems.push({ number, why: `#${number} does not exist` });
    else if (linked) found.set(number, dep);
    else fresh.set(number, dep);
  }
  // Linked dependencies were checked for cycles when they were added; new ones are checked now.
  if (!created) await refuseCycles(ctx, issue.number, fresh, problems);
  for (const [number, dep] of fresh) found.set(number, dep);
  const deps = wanted.filter((number) => found.has(number)).map((number) => ({ number, state: found.get(number)!.state }));
  return { deps, blockers: found, problems };
}

/** Drops dependencies that would close a cycle, walking GitHub's native dependency graph. */
async function refuseCycles(
  ctx: RunContext,
  task: number,
  found: Map<number, IssueData>,
  problems: DepProblem[],
): Promise<void> {
  const open = [...found.values()].filter((dep) => dep.state === "open").map((dep) => dep.number);
  if (open.length === 0) return;
  const edges = new Map<number, number[]>();
  const queue = [...open];
  while (queue.length > 0 && edges.size < CYCLE_SEARCH_LIMIT) {
    const node = queue.shift()!;
    if (edges.has(node) || node === task) continue;
    const next = await blockersOf(ctx, node);
    edges.set(node, next);
    queue.push(...next);
  }
  let candidates = open;
  for (let cycle = findCycle(task, candidates, edges); cycle; cycle = findCycle(task, candidates, edges)) {
    const culprit = cycle[1]!;
    problems.push({ number: culprit, why: `would make a cycle: ${cycle.map((n) => `#${n}`).join(" → ")}` });
    found.delete(culprit);
    candidates = candidates.filter((number) => number !== culprit);
  }
}

async function blockersOf(ctx: RunContext, issue: number): Promise<number[]> {
  try {
    return (await ctx.github.blockedBy(issue)).filter((dep) => dep.state === "open").map((dep) => dep.number);
  } catch (error) {
    ctx.log.warn(`#${issue}: could not read native dependencies (${String(error)}); cycle check is partial`);
    return [];
  }
}

function problemEffects(task: StoredTask, problems: DepProblem[]): Effect[] {
  const why = "dependencies in the issue body";
  if (problems.length === 0) return resolveSticky(task.issue.number, task.comments, PROBLEMS_KIND, "The dependency problems reported here are fixed.", why);
  return upsertSticky(task.issue.number, task.comments, PROBLEMS_KIND, problemsText(problems), why);
}

function problemsText(problems: DepProblem[]): string {
  return [
    renderMarker(PROBLEMS_KIND, {}),
    `⚠️ Orkestra did not record ${problems.length === 1 ? "this dependency" : "these dependencies"} from the issue:`,
    "",
    ...problems.map((problem) => `- #${problem.number}: ${problem.why}`),
    "",
    "Edit the issue to fix the references; the other dependencies are tracked.",
  ].join("\n");
}

/**
 * Keeps GitHub's native "blocked by" links in line with the task's dependencies, judged from
 * the links that exist (so a link whose creation failed is tried again) and removing only links
 * Orkestra made itself (`mirrored`), never one a person added.
 */
function mirrorEffects(
  number: number,
  blockers: ReadonlyMap<number, IssueData>,
  native: ReadonlyMap<number, IssueData>,
  mirrored: readonly { number: number; id: number }[],
): Effect[] {
  const effects: Effect[] = [];
  for (const blocker of blockers.values()) {
    if (!native.has(blocker.number)) {
      const why = `dependency on ${formatRefs([blocker.number])}`;
      effects.push({ kind: "add-blocked-by", issue: number, blocker: { number: blocker.number, id: blocker.id }, why, bestEffort: true });
    }
  }
  for (const item of mirrored) {
    if (!blockers.has(item.number) && native.has(item.number)) {
      const why = `no longer depends on #${item.number}`;
      effects.push({ kind: "remove-blocked-by", issue: number, blocker: item, why, bestEffort: true });
    }
  }
  return effects;
}

/**
 * The task as it is once `effects` are written — its labels and Orkestra's comments — so a next
 * step in the same run can go on from it without reading it again (and without writing twice).
 */
export function taskAfter(task: StoredTask, effects: readonly Effect[], meta: TaskMeta): StoredTask & { meta: TaskMeta } {
  const edited = new Map(effects.flatMap((effect) => (effect.kind === "update-comment" ? [[effect.commentId, effect.body] as const] : [])));
  const comments = task.comments.map((comment) => (edited.has(comment.id) ? { ...comment, body: edited.get(comment.id)! } : comment));
  return { ...task, issue: { ...task.issue, labels: labelsAfter(task.issue.labels, effects) }, comments, meta };
}

/** The issue's labels once the effects are written. */
function labelsAfter(labels: readonly string[], effects: readonly Effect[]): string[] {
  let after = [...labels];
  for (const effect of effects) {
    if (effect.kind === "remove-labels") after = after.filter((name) => !effect.names.some((removed) => same(removed, name)));
    if (effect.kind === "add-labels") after.push(...effect.labels.map((label) => label.name).filter((name) => !after.some((have) => same(have, name))));
  }
  return after;
}

function unique(numbers: number[]): number[] {
  return [...new Set(numbers)];
}

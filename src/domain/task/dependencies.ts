import { visibleLines } from "../markdown.js";
import { parseIssueForm } from "./form.js";

export interface RepoRef {
  owner: string;
  repo: string;
}

const KEYWORD_RE = /\b(?:depends?\s+on|blocked\s+by|requires)\s*:?\s*((?:(?:#\d+|https:\/\/\S+)(?:\s*(?:,|and|&)?\s*))+)/gi;
const TASK_ITEM_RE = /^\s*[-*+]\s+\[[ xX]\]\s+(#\d+|https:\/\/\S+)/;
const REF_RE = /#(\d+)|https:\/\/github\.com\/([\w.-]+)\/([\w.-]+)\/(?:issues|pull)\/(\d+)/g;

/**
 * Issue numbers a task body says it depends on: "depends on #12", "blocked by #3, #4",
 * "requires #5", task-list items whose first word is a reference (`- [ ] #7`), and the
 * task form's Dependencies field. Quoted text is ignored; references to other
 * repositories are not dependencies Orkestra can track and are left out.
 */
export function parseDependencyRefs(body: string, repo: RepoRef): number[] {
  const refs: number[] = [];
  const add = (text: string) => {
    for (const number of refsIn(text, repo)) if (!refs.includes(number)) refs.push(number);
  };
  for (const { text } of visibleLines(body)) {
    for (const match of text.matchAll(KEYWORD_RE)) add(match[1] ?? "");
    const item = TASK_ITEM_RE.exec(text);
    if (item?.[1]) add(item[1]);
  }
  const field = parseIssueForm(body).dependencies;
  if (field) add(field);
  return refs;
}

function refsIn(text: string, repo: RepoRef): number[] {
  const numbers: number[] = [];
  for (const match of text.matchAll(REF_RE)) {
    if (match[1]) numbers.push(Number(match[1]));
    else if (sameRepo(match[2], match[3], repo)) numbers.push(Number(match[4]));
  }
  return numbers.filter((number) => Number.isSafeInteger(number) && number > 0);
}

function sameRepo(owner: string | undefined, name: string | undefined, repo: RepoRef): boolean {
  return owner?.toLowerCase() === repo.owner.toLowerCase() && name?.toLowerCase() === repo.repo.toLowerCase();
}

/** Parses the arguments of `/depends-on #3 #4` (or `/depends-on 3, 4`). */
export function parseDependencyArgs(args: string, repo: RepoRef): number[] | null {
  const tokens = args.split(/[\s,]+/).filter(Boolean);
  if (tokens.length === 0) return null;
  const numbers: number[] = [];
  for (const token of tokens) {
    if (/^#?\d+$/.test(token)) numbers.push(Number(token.replace("#", "")));
    else {
      const [ref] = refsIn(token, repo);
      if (ref === undefined) return null;
      numbers.push(ref);
    }
  }
  return [...new Set(numbers)];
}

/**
 * Finds a dependency cycle that adding `deps` to `task` would close, given what is known
 * of other issues' dependencies. Returns the path `[task, …, task]` or null.
 */
export function findCycle(task: number, deps: readonly number[], edges: ReadonlyMap<number, readonly number[]>): number[] | null {
  const parent = new Map<number, number>();
  const queue: number[] = [];
  for (const dep of deps) {
    if (dep === task) return [task, task];
    if (!parent.has(dep)) {
      parent.set(dep, task);
      queue.push(dep);
    }
  }
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const next of edges.get(node) ?? []) {
      if (next === task) return [...pathTo(node, parent, task), task];
      if (!parent.has(next)) {
        parent.set(next, node);
        queue.push(next);
      }
    }
  }
  return null;
}

function pathTo(node: number, parent: ReadonlyMap<number, number>, root: number): number[] {
  const path = [node];
  let current = node;
  while (current !== root) {
    current = parent.get(current)!;
    path.unshift(current);
  }
  return path;
}

/**
 * How the planners' proposals of one round become one plan. Items match across planners by
 * normalised title; when the planners do not all propose the same items and dependencies, the
 * plan keeps what the method supports, and every difference becomes one line for people.
 */
import { normaliseTitle } from "./schema.js";
import type { MergedItem, MergedPlan, PlanItem, PlanMethod, Proposal } from "./types.js";

export interface MergeOptions {
  /** Share of planners an item needs under `supermajority` (`voting.supermajorityThreshold`). */
  supermajorityThreshold: number;
  maxItems: number;
}

interface Version {
  agent: string;
  item: PlanItem;
}

interface Group {
  norm: string;
  /** Order of first appearance (planner order, then item order). */
  index: number;
  versions: Version[];
}

interface Edge {
  /** `from` depends on `to` (group indexes). */
  from: number;
  to: number;
  index: number;
  agents: string[];
}

const METHOD_WORD: Record<PlanMethod, string> = { unanimous: "unanimous", supermajority: "supermajority", majority: "majority" };

/** The key items are matched by across planners. */
function matchKey(item: Pick<PlanItem, "title" | "key">): string {
  return normaliseTitle(item.title) || `key:${item.key}`;
}

/** True when `support` of `total` planners meets `method`. */
function meetsMethod(method: PlanMethod, support: number, total: number, threshold: number): boolean {
  if (total <= 0 || support <= 0) return false;
  if (method === "unanimous") return support >= total;
  if (method === "supermajority") return support / total >= threshold;
  return support / total > 0.5;
}

export function mergeProposals(
  proposals: readonly { agent: string; proposal: Proposal }[],
  method: PlanMethod,
  options: MergeOptions,
): MergedPlan {
  const n = proposals.length;
  if (n === 0) return { items: [], agreed: false, disagreements: [] };
  const groups: Group[] = [];
  const byNorm = new Map<string, Group>();
  const edges: Edge[] = [];
  const byEdge = new Map<string, Edge>();
  const itemSets: Set<number>[] = [];
  const edgeSets: Set<string>[] = [];

  for (const { agent, proposal } of proposals) {
    const keyToGroup = new Map<string, number>();
    const mine = new Set<number>();
    for (const item of proposal.items) {
      const norm = matchKey(item);
      let group = byNorm.get(norm);
      if (!group) {
        group = { norm, index: groups.length, versions: [] };
        groups.push(group);
        byNorm.set(norm, group);
      }
      if (!mine.has(group.index)) group.versions.push({ agent, item });
      mine.add(group.index);
      if (!keyToGroup.has(item.key)) keyToGroup.set(item.key, group.index);
    }
    const mineEdges = new Set<string>();
    for (const item of proposal.items) {
      const from = keyToGroup.get(item.key)!;
      for (const dep of item.dependsOn) {
        const to = keyToGroup.get(dep);
        if (to === undefined || to === from) continue;
        const id = `${from}>${to}`;
        if (mineEdges.has(id)) continue;
        mineEdges.add(id);
        let edge = byEdge.get(id);
        if (!edge) {
          edge = { from, to, index: edges.length, agents: [] };
          edges.push(edge);
          byEdge.set(id, edge);
        }
        edge.agents.push(agent);
      }
    }
    itemSets.push(mine);
    edgeSets.push(mineEdges);
  }

  const agreed = itemSets.every((set) => sameSet(set, itemSets[0]!)) && edgeSets.every((set) => sameSet(set, edgeSets[0]!));
  const agents = proposals.map((entry) => entry.agent);
  const title = (group: Group): string => mostCommon(group.versions.map((version) => version.item.title));
  const quoted = (index: number): string => `“${title(groups[index]!)}”`;
  const disagreements: string[] = [];
  const rule = METHOD_WORD[method];

  // Items.
  let kept = groups.filter((group) => {
    const support = group.versions.length;
    const keep = agreed || meetsMethod(method, support, n, options.supermajorityThreshold);
    if (support < n) {
      const supporters = group.versions.map((version) => version.agent);
      disagreements.push(`${quoted(group.index)}: ${whoSaid(supporters, agents)} — ${keep ? "kept" : "dropped"} (${rule})`);
    }
    return keep;
  });
  if (kept.length > options.maxItems) {
    const ranked = [...kept].sort((a, b) => b.versions.length - a.versions.length || a.index - b.index);
    const cut = ranked.slice(options.maxItems);
    const cutSet = new Set(cut.map((group) => group.index));
    kept = kept.filter((group) => !cutSet.has(group.index));
    const names = cut.slice(0, 5).map((group) => quoted(group.index));
    const more = cut.length > 5 ? ` and ${cut.length - 5} more` : "";
    disagreements.push(`${cut.length} item${cut.length === 1 ? "" : "s"} cut, the least supported (a plan holds at most ${options.maxItems}): ${names.join(", ")}${more}`);
  }
  const keptSet = new Set(kept.map((group) => group.index));

  // Dependencies between kept items.
  const candidates: { edge: Edge; support: number }[] = [];
  for (const edge of edges) {
    if (!keptSet.has(edge.from) || !keptSet.has(edge.to)) continue;
    const both = proposals.filter((_, p) => itemSets[p]!.has(edge.from) && itemSets[p]!.has(edge.to)).map((entry) => entry.agent);
    const support = edge.agents.length;
    const keep = agreed || meetsMethod(method, support, both.length, options.supermajorityThreshold);
    if (support < both.length) {
      disagreements.push(
        `dependency ${quoted(edge.from)} → ${quoted(edge.to)}: ${whoSaid(edge.agents, both)} — ${keep ? "kept" : "dropped"} (${rule})`,
      );
    }
    if (keep) candidates.push({ edge, support });
  }
  candidates.sort((a, b) => b.support - a.support || a.edge.index - b.edge.index);
  const deps = new Map<number, number[]>(kept.map((group) => [group.index, []]));
  for (const { edge } of candidates) {
    const path = pathBetween(edge.to, edge.from, deps);
    if (path) {
      disagreements.push(
        `dependency ${quoted(edge.from)} → ${quoted(edge.to)}: would close the cycle ${[edge.from, ...path].map(quoted).join(" → ")} — dropped`,
      );
      continue;
    }
    deps.get(edge.from)!.push(edge.to);
  }

  // Fields, keys, order.
  const order = topologicalOrder(
    kept.map((group) => group.index),
    deps,
  );
  const keys = new Map<number, string>();
  const used = new Set<string>();
  for (const group of kept) keys.set(group.index, uniqueKey(group.versions[0]!.item.key, used));
  const items: MergedItem[] = order.map((index) => {
    const group = groups[index]!;
    const pick = <T>(field: (item: PlanItem) => T): T => mostCommon(group.versions.map((version) => field(version.item)));
    const item: MergedItem = {
      key: keys.get(index)!,
      title: title(group),
      description: pick((item) => item.description),
      type: pick((item) => item.type),
      priority: pick((item) => item.priority),
      acceptance: pick((item) => item.acceptance),
      dependsOn: order.filter((other) => deps.get(index)!.includes(other)).map((other) => keys.get(other)!),
      agent: pick((item) => item.agent),
      supporters: group.versions.map((version) => version.agent),
    };
    for (const field of ["type", "priority", "agent"] as const) {
      const line = fieldDifference(group, field, item[field]);
      if (line) disagreements.push(`${quoted(index)}: ${line}`);
    }
    return item;
  });
  return { items, agreed, disagreements };
}

/** True when `proposal` holds exactly the plan's items and dependencies (matched by title). */
export function matchesPlan(proposal: Proposal, plan: MergedPlan): boolean {
  const shape = (items: readonly PlanItem[]): { items: Set<string>; edges: Set<string> } => {
    const byKey = new Map(items.map((item) => [item.key, matchKey(item)]));
    const edges = new Set<string>();
    for (const item of items) {
      for (const dep of item.dependsOn) {
        const to = byKey.get(dep);
        if (to !== undefined && to !== matchKey(item)) edges.add(`${matchKey(item)}\u0000${to}`);
      }
    }
    return { items: new Set(byKey.values()), edges };
  };
  const a = shape(proposal.items);
  const b = shape(plan.items);
  return sameSet(a.items, b.items) && sameSet(a.edges, b.edges);
}

function fieldDifference(group: Group, field: "type" | "priority" | "agent", chosen: string | null): string | null {
  const byValue = new Map<string, string[]>();
  for (const version of group.versions) {
    const value = version.item[field] ?? "no agent";
    byValue.set(value, [...(byValue.get(value) ?? []), version.agent]);
  }
  if (byValue.size < 2) return null;
  const parts = [...byValue].map(([value, who]) => `${value} (${who.join(", ")})`);
  const label = field === "agent" ? "suggested agent" : field;
  return `${label} ${parts.join(", ")} — ${chosen ?? "no agent"}`;
}

/** `claude, gemini; not by grok`, or `claude only`. */
function whoSaid(supporters: readonly string[], all: readonly string[]): string {
  const others = all.filter((agent) => !supporters.includes(agent));
  if (supporters.length === 1 && others.length > 0) return `${supporters[0]} only`;
  return `proposed by ${supporters.join(", ")}${others.length > 0 ? `; not by ${others.join(", ")}` : ""}`;
}

/** The most common value (compared as JSON); ties go to the value seen first. */
function mostCommon<T>(values: readonly T[]): T {
  const counts = new Map<string, { value: T; count: number; first: number }>();
  values.forEach((value, index) => {
    const id = JSON.stringify(value);
    const entry = counts.get(id);
    if (entry) entry.count += 1;
    else counts.set(id, { value, count: 1, first: index });
  });
  let best: { value: T; count: number; first: number } | undefined;
  for (const entry of counts.values()) if (!best || entry.count > best.count) best = entry;
  return best!.value;
}

function uniqueKey(key: string, used: Set<string>): string {
  let candidate = key;
  for (let suffix = 2; used.has(candidate); suffix += 1) candidate = `${key.slice(0, 40 - String(suffix).length - 1)}-${suffix}`;
  used.add(candidate);
  return candidate;
}

/** The path `[from, …, to]` along dependencies, or null when `to` cannot be reached. */
function pathBetween(from: number, to: number, deps: ReadonlyMap<number, readonly number[]>): number[] | null {
  const parent = new Map<number, number>([[from, from]]);
  const queue = [from];
  while (queue.length > 0) {
    const node = queue.shift()!;
    if (node === to) {
      const path = [node];
      let current = node;
      while (current !== from) {
        current = parent.get(current)!;
        path.unshift(current);
      }
      return path;
    }
    for (const next of deps.get(node) ?? []) {
      if (!parent.has(next)) {
        parent.set(next, node);
        queue.push(next);
      }
    }
  }
  return null;
}

/** Every node after the nodes it depends on; among the ready ones, the first to appear first. */
function topologicalOrder(nodes: readonly number[], deps: ReadonlyMap<number, readonly number[]>): number[] {
  const placed = new Set<number>();
  const order: number[] = [];
  const pending = [...nodes].sort((a, b) => a - b);
  while (pending.length > 0) {
    const next = pending.findIndex((node) => (deps.get(node) ?? []).every((dep) => placed.has(dep)));
    // The dependencies are acyclic by construction; a leftover would be placed in appearance order.
    const at = next === -1 ? 0 : next;
    const node = pending.splice(at, 1)[0]!;
    placed.add(node);
    order.push(node);
  }
  return order;
}

function sameSet<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): boolean {
  if (a.size !== b.size) return false;
  for (const value of a) if (!b.has(value)) return false;
  return true;
}

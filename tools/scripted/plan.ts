/**
 * How the offline `scripted` agents plan an epic (`/plan`), so the demo and scenario tests show a
 * real deliberation without any network. A planner proposes one sub-task per bullet of the epic's
 * body, each after the one before; some planners (by their seed) also add a benchmarking step in
 * round 1, so the planners differ. From round 2 on each planner keeps what more than half of the
 * previous round proposed, so they agree. Everything they write says "[scripted]".
 */
import type { DataBlock } from "../../src/agents/index.js";
import type { PlanBrief } from "../../src/domain/planning/brief.js";
import { SCRIPTED_LABEL, type ScriptedResponder } from "./provider.js";

interface ScriptedItem {
  key: string;
  title: string;
  description: string;
  type: string;
  priority: "low" | "medium" | "high" | "critical";
  acceptance: string[];
  dependsOn: string[];
  agent: string | null;
}

const BULLET = /^\s*[-*]\s+(?:\[[ x]\]\s+)?(.+?)\s*$/;

function briefOf(data: readonly DataBlock[]): PlanBrief | null {
  try {
    return JSON.parse(data.find((block) => block.label === "plan")?.content ?? "null") as PlanBrief | null;
  } catch {
    return null;
  }
}

/** The epic's bullets, or three generic steps when it has none. */
function stepsOf(data: readonly DataBlock[]): string[] {
  const epic = data.find((block) => /^issue #\d+/.test(block.label))?.content ?? "";
  const bullets = epic
    .split("\n")
    .map((line) => BULLET.exec(line)?.[1])
    .filter((text): text is string => Boolean(text))
    .map((text) => text.slice(0, 100));
  return bullets.length > 0 ? bullets.slice(0, 8) : ["Investigate the problem", "Implement the change", "Document the change"];
}

function typeOf(title: string): string {
  if (/\b(doc|docs|document|guide|readme)/i.test(title)) return "content";
  if (/\b(research|investigate|design|compare)/i.test(title)) return "research";
  return "technical";
}

function itemsFor(titles: readonly string[]): ScriptedItem[] {
  return titles.map((title, index) => ({
    key: `step-${index + 1}`,
    title,
    description: `${SCRIPTED_LABEL} ${title}.`,
    type: typeOf(title),
    priority: index === 0 ? "high" : "medium",
    acceptance: [`${title} is done and checked`],
    dependsOn: index === 0 ? [] : [`step-${index}`],
    agent: null,
  }));
}

export const planResponder: ScriptedResponder = (call, ctx) => {
  const brief = briefOf(call.data);
  const own = stepsOf(call.data);
  const previous = brief?.previousRound?.proposals ?? [];
  if (!brief || previous.length === 0) {
    const extra = ctx.seed < 0.5 ? ["Benchmark the change"] : [];
    return { items: itemsFor([...own, ...extra]), reason: `${SCRIPTED_LABEL} ${ctx.agent} splits the epic into ${own.length + extra.length} steps, one per part it names.` };
  }
  // Keep every title more than half of the previous round proposed, in the order first seen.
  const counts = new Map<string, number>();
  for (const proposal of previous) {
    if (!("items" in proposal)) continue;
    for (const item of proposal.items) counts.set(item.title, (counts.get(item.title) ?? 0) + 1);
  }
  const kept = [...counts].filter(([, count]) => count * 2 > previous.length).map(([title]) => title);
  return { items: itemsFor(kept.length > 0 ? kept : own), reason: `${SCRIPTED_LABEL} ${ctx.agent} keeps the ${kept.length} steps most planners proposed.` };
};

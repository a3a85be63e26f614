import type { PlanItem, PlannerAnswer, Proposal } from "../../src/domain/planning/index.js";

export const TYPES = ["feature", "bug", "docs", "chore"] as const;
export const AGENTS = ["claude", "gemini", "grok"] as const;
export const OPTIONS = { supermajorityThreshold: 2 / 3, maxItems: 20 };

export function item(key: string, title: string, dependsOn: string[] = [], extra: Partial<PlanItem> = {}): PlanItem {
  return {
    key,
    title,
    description: `Do ${title}.`,
    type: "feature",
    priority: "medium",
    acceptance: [`${title} works`],
    dependsOn,
    agent: null,
    ...extra,
  };
}

export function proposal(items: PlanItem[], reason = "Because."): Proposal {
  return { items, reason };
}

export function ok(agent: string, round: number, items: PlanItem[], reason = "Because."): PlannerAnswer {
  return { agent, round, at: "2026-12-05T10:00:00Z", ok: true, proposal: proposal(items, reason) };
}

export function failed(agent: string, round: number, error = "timed out"): PlannerAnswer {
  return { agent, round, at: "2026-12-05T10:00:00Z", ok: false, error };
}

/** The usual three-item plan: schema, then API on it, then docs on the API. */
export function basePlan(): PlanItem[] {
  return [item("schema", "Design the schema"), item("api", "Build the API", ["schema"]), item("docs", "Write docs", ["api"])];
}

import { describe, expect, it } from "vitest";
import { mergeProposals, normaliseTitle, proposalSchema } from "../../src/domain/planning/index.js";
import type { Proposal } from "../../src/domain/planning/index.js";
import { AGENTS, OPTIONS, TYPES, basePlan, item, proposal } from "./domain-fixtures.js";

const schema = proposalSchema({ types: TYPES, agents: AGENTS, maxItems: 5 });

function problems(answer: unknown): string {
  const parsed = schema.safeParse(answer);
  expect(parsed.success).toBe(false);
  return parsed.success ? "" : parsed.error.issues.map((issue) => issue.message).join("\n");
}

describe("proposalSchema", () => {
  it("accepts a valid proposal and only trims whitespace", () => {
    const parsed = schema.parse({ items: [{ ...item("a", "  Alpha  "), agent: " claude " }], reason: " ok " });
    expect(parsed.items[0]!.title).toBe("Alpha");
    expect(parsed.items[0]!.agent).toBe("claude");
    expect(parsed.reason).toBe("ok");
  });

  it("refuses a dependency cycle and names it", () => {
    const message = problems(proposal([item("a", "A", ["c"]), item("b", "B", ["a"]), item("c", "C", ["b"])]));
    expect(message).toMatch(/cycle: a → c → b → a/);
    expect(message).toMatch(/remove one of these dependencies/);
  });

  it("refuses unknown and self dependencies, naming the valid keys", () => {
    const message = problems(proposal([item("a", "A", ["zzz"]), item("b", "B", ["b"])]));
    expect(message).toMatch(/"zzz" is not a key of this proposal; use one of "a", "b"/);
    expect(message).toMatch(/cannot depend on itself/);
  });

  it("refuses an unknown agent, naming the valid ones", () => {
    const message = problems(proposal([item("a", "A", [], { agent: "hal" })]));
    expect(message).toContain('the agent must be one of "claude", "gemini", "grok", or null');
  });

  it("refuses duplicate keys, bad keys, unknown types, too many items, long fields", () => {
    expect(problems(proposal([item("a", "A"), item("a", "B")]))).toMatch(/key "a" is already used/);
    expect(problems(proposal([item("Bad Key", "A")]))).toMatch(/lower-case letters/);
    expect(problems(proposal([item("a", "A", [], { type: "epic" })]))).toMatch(/type must be one of "feature", "bug", "docs", "chore"/);
    expect(problems(proposal(["a", "b", "c", "d", "e", "f"].map((key) => item(key, key))))).toMatch(/at most 5 items/);
    expect(problems(proposal([item("a", "x".repeat(101))]))).toMatch(/at most 100 characters/);
    expect(problems(proposal([item("a", "A", [], { acceptance: ["1", "2", "3", "4", "5", "6"] })]))).toMatch(/at most 5 acceptance/);
    expect(problems({ items: [], reason: "" })).toMatch(/at least one item/);
    expect(problems(proposal([item("a", "A", [], { priority: "urgent" as never })]))).toMatch(/priority must be one of/);
  });
});

describe("normaliseTitle", () => {
  it("ignores case, punctuation, extra spaces and a leading article", () => {
    expect(normaliseTitle("  The   API: build it! ")).toBe(normaliseTitle("api build it"));
    expect(normaliseTitle("A schema")).toBe("schema");
  });
});

describe("mergeProposals", () => {
  const all = (proposals: Proposal[]) => proposals.map((entry, index) => ({ agent: AGENTS[index]!, proposal: entry }));

  it("three identical proposals (titles differing only in case and punctuation) agree", () => {
    const second = basePlan().map((entry) => ({ ...entry, title: `${entry.title.toUpperCase()}.` }));
    const plan = mergeProposals(all([proposal(basePlan()), proposal(second), proposal(basePlan())]), "majority", OPTIONS);
    expect(plan.agreed).toBe(true);
    expect(plan.items.map((entry) => entry.key)).toEqual(["schema", "api", "docs"]);
    expect(plan.items[1]!.dependsOn).toEqual(["schema"]);
    expect(plan.items[0]!.title).toBe("Design the schema");
    expect(plan.items[0]!.supporters).toEqual(["claude", "gemini", "grok"]);
    expect(plan.disagreements).toEqual([]);
  });

  it("different proposals: not agreed, the method keeps majority items, disagreements are listed", () => {
    const withTests = [...basePlan(), item("tests", "Add tests", ["api"])];
    const grok = [item("schema", "Design the schema"), item("api", "Build the API"), item("ui", "Build the UI", ["api"])];
    const plan = mergeProposals(all([proposal(withTests), proposal(withTests), proposal(grok)]), "majority", OPTIONS);
    expect(plan.agreed).toBe(false);
    expect(plan.items.map((entry) => entry.title)).toEqual(["Design the schema", "Build the API", "Write docs", "Add tests"]);
    expect(plan.disagreements).toContain("“Write docs”: proposed by claude, gemini; not by grok — kept (majority)");
    expect(plan.disagreements).toContain("“Build the UI”: grok only — dropped (majority)");
    expect(plan.disagreements).toContain("dependency “Build the API” → “Design the schema”: proposed by claude, gemini; not by grok — kept (majority)");
    expect(plan.items[1]!.dependsOn).toEqual(["schema"]);

    const unanimous = mergeProposals(all([proposal(withTests), proposal(withTests), proposal(grok)]), "unanimous", OPTIONS);
    expect(unanimous.items.map((entry) => entry.key)).toEqual(["schema", "api"]);
    expect(unanimous.items[1]!.dependsOn).toEqual([]);
    expect(unanimous.disagreements).toContain("dependency “Build the API” → “Design the schema”: proposed by claude, gemini; not by grok — dropped (unanimous)");
  });

  it("supermajority uses the threshold", () => {
    const two = [item("a", "Alpha"), item("b", "Beta")];
    const one = [item("a", "Alpha")];
    const half = mergeProposals(all([proposal(two), proposal(one)]), "supermajority", { ...OPTIONS, supermajorityThreshold: 0.5 });
    expect(half.items.map((entry) => entry.key)).toEqual(["a", "b"]);
    const strict = mergeProposals(all([proposal(two), proposal(one)]), "supermajority", OPTIONS);
    expect(strict.items.map((entry) => entry.key)).toEqual(["a"]);
    expect(mergeProposals(all([proposal(two), proposal(one)]), "majority", OPTIONS).items).toHaveLength(1);
  });

  it("drops a dependency that closes a cycle made by mixed planners, deterministically, and says so", () => {
    const claude = [item("a", "Alpha", ["b"]), item("b", "Beta"), item("c", "Gamma")];
    const gemini = [item("a", "Alpha"), item("b", "Beta", ["c"]), item("c", "Gamma")];
    const grok = [item("a", "Alpha"), item("b", "Beta"), item("c", "Gamma", ["a"])];
    const run = () => mergeProposals(all([proposal(claude), proposal(gemini), proposal(grok)]), "supermajority", { ...OPTIONS, supermajorityThreshold: 0.3 });
    const plan = run();
    expect(plan).toEqual(run());
    const edges = plan.items.flatMap((entry) => entry.dependsOn.map((dep) => `${entry.key}>${dep}`));
    expect(edges).toEqual(["b>c", "a>b"]);
    expect(plan.items.map((entry) => entry.key)).toEqual(["c", "b", "a"]);
    expect(plan.disagreements.some((line) => /dependency “Gamma” → “Alpha”: would close the cycle “Gamma” → “Alpha” → “Beta” → “Gamma” — dropped/.test(line))).toBe(true);
  });

  it("fields come from the most common value, ties by planner order; keys are made unique", () => {
    const plan = mergeProposals(
      all([
        proposal([item("x", "Alpha", [], { priority: "low", agent: "grok" }), item("x2", "Beta")]),
        proposal([item("y", "alpha", [], { priority: "high", agent: "claude" }), item("x", "Beta")]),
        proposal([item("z", "ALPHA", [], { priority: "high", agent: null })]),
      ]),
      "majority",
      OPTIONS,
    );
    const alpha = plan.items.find((entry) => entry.title === "Alpha")!;
    expect(alpha.priority).toBe("high");
    expect(alpha.agent).toBe("grok");
    expect(alpha.key).toBe("x");
    expect(plan.disagreements).toContain("“Alpha”: priority low (claude), high (gemini, grok) — high");
  });

  it("keeps at most maxItems items, cutting the least supported, and says what was cut", () => {
    const many = ["a", "b", "c", "d"].map((key) => item(key, `Item ${key}`));
    const plan = mergeProposals(
      all([proposal(many), proposal([many[0]!, many[3]!]), proposal([many[1]!, many[3]!])]),
      "majority",
      { ...OPTIONS, maxItems: 2 },
    );
    expect(plan.items.map((entry) => entry.key)).toEqual(["a", "d"]);
    expect(plan.disagreements.at(-1)).toBe("1 item cut, the least supported (a plan holds at most 2): “Item b”");
  });

  it("orders items topologically, ties by first appearance", () => {
    const items = [item("docs", "Docs", ["api"]), item("ui", "UI"), item("api", "API", ["schema"]), item("schema", "Schema")];
    const plan = mergeProposals([{ agent: "claude", proposal: proposal(items) }], "majority", OPTIONS);
    expect(plan.items.map((entry) => entry.key)).toEqual(["ui", "schema", "api", "docs"]);
  });
});

import { describe, expect, it } from "vitest";
import { renderConfigCheck } from "../../src/domain/review/config-check.js";

describe("the orkestra/config check run", () => {
  it("annotates each problem on its line of the configuration file", () => {
    const plan = renderConfigCheck(".github/orkestra.yml", { kind: "parsed", problems: [{ path: "bogus", message: "unknown key", line: 3 }, { path: "", message: "too many problems" }] }, "abc1234");
    expect(plan.conclusion).toBe("failure");
    expect(plan.annotations).toEqual([
      { path: ".github/orkestra.yml", start_line: 3, end_line: 3, annotation_level: "failure", title: "Invalid configuration", message: "`bogus`: unknown key" },
    ]);
    expect(plan.summary).toContain("- line 3 — `bogus`: unknown key");
    expect(plan.summary).toContain("- file — too many problems");
  });

  it("sends at most 50 annotations and says how many more there are", () => {
    const problems = Array.from({ length: 53 }, (_, i) => ({ path: `k${i}`, message: "bad", line: i + 1 }));
    const plan = renderConfigCheck("orkestra.yml", { kind: "parsed", problems }, "abc1234");
    expect(plan.annotations).toHaveLength(50);
    expect(plan.summary).toContain("3 more problem(s) with a line are not annotated");
  });

  it("passes a valid file and a deleted one (the defaults apply)", () => {
    expect(renderConfigCheck("c.yml", { kind: "parsed", problems: [] }, "abc1234")).toMatchObject({ conclusion: "success", title: "Configuration valid", annotations: [] });
    expect(renderConfigCheck("c.yml", { kind: "deleted" }, "abc1234")).toMatchObject({ conclusion: "success", title: "Configuration removed: the defaults apply" });
  });
});

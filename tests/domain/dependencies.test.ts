import { describe, expect, it } from "vitest";
import { findCycle, parseDependencyArgs, parseDependencyRefs } from "../../src/domain/task/dependencies.js";

const repo = { owner: "octo-org", repo: "demo" };

describe("parseDependencyRefs", () => {
  it.each([
    ["Depends on #12", [12]],
    ["blocked by #3, #4 and #5", [3, 4, 5]],
    ["This requires: #7", [7]],
    ["depends on https://github.com/octo-org/demo/issues/9", [9]],
    ["depends on https://github.com/other/repo/issues/9", []],
    ["- [ ] #21 write the docs\n- [x] #22", [21, 22]],
    ["mentions #4 without a keyword", []],
    ["> depends on #4\n```\ndepends on #5\n```", []],
    ["depends on #3 and blocked by #3", [3]],
    ["### Type\n\ntechnical\n\n### Priority\n\nhigh\n\n### Dependencies\n\n#30, #31", [30, 31]],
  ])("%j → %j", (body, expected) => {
    expect(parseDependencyRefs(body, repo)).toEqual(expected);
  });
});

describe("parseDependencyArgs", () => {
  it("accepts #N, N and same-repo URLs and refuses anything else", () => {
    expect(parseDependencyArgs("#3 4, https://github.com/octo-org/demo/issues/5", repo)).toEqual([3, 4, 5]);
    expect(parseDependencyArgs("#3 soon", repo)).toBeNull();
    expect(parseDependencyArgs("", repo)).toBeNull();
  });
});

describe("findCycle", () => {
  const edges = new Map<number, number[]>([
    [2, [3]],
    [3, [1]],
    [4, []],
  ]);

  it("finds the path that adding a dependency would close", () => {
    expect(findCycle(1, [2], edges)).toEqual([1, 2, 3, 1]);
  });

  it("reports a self-dependency as the shortest cycle", () => {
    expect(findCycle(1, [1], edges)).toEqual([1, 1]);
  });

  it("returns null when the graph stays acyclic", () => {
    expect(findCycle(1, [4], edges)).toBeNull();
    expect(findCycle(5, [2], edges)).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { CommentableIndex } from "../../src/domain/review/commentable.js";
import { parsePullRequestFiles } from "../../src/domain/review/diff.js";
import { findingsAgree, mergeFindings, messageSimilarity, placeFindings } from "../../src/domain/review/findings.js";
import { abstain, finding, ok, PR_FILES } from "./fixtures.js";

const index = new CommentableIndex(parsePullRequestFiles(PR_FILES).files);

describe("findingsAgree", () => {
  const base = finding({ file: "src/server.ts", line: 43, severity: "warning", message: "log.error loses the stack trace of the error" });

  it.each([
    ["similar message two lines away", { line: 41, message: "The stack trace of the error is lost by log.error" }, true],
    ["same line and severity, different words", { message: "Consider structured logging." }, true],
    ["same line, other severity, different words", { severity: "info", message: "Consider structured logging." }, false],
    ["similar message too far away", { line: 50, message: "log.error loses the stack trace of the error" }, false],
    ["other side", { side: "LEFT", message: "log.error loses the stack trace of the error" }, false],
    ["other file", { file: "src/util.ts", message: "log.error loses the stack trace of the error" }, false],
    ["./ prefix is the same file", { file: "./src/server.ts", line: 44, message: "log.error loses the stack trace" }, true],
  ] as const)("%s → %s", (_name, change, expected) => {
    expect(findingsAgree(base, { ...base, ...change })).toBe(expected);
  });

  it("scores paraphrases above unrelated text", () => {
    expect(messageSimilarity("Missing null check on user", "user may be null: missing check")).toBeGreaterThan(0.3);
    expect(messageSimilarity("Missing null check on user", "Typo in README heading")).toBeLessThan(0.3);
  });
});

describe("mergeFindings", () => {
  const outcomes = [
    ok("claude", "blocker", [
      finding({ file: "src/server.ts", line: 43, severity: "blocker", message: "log is not imported in this scope, this throws" }),
      finding({ file: "docs/new.md", line: 1, severity: "info", message: "Title could be more specific" }),
    ]),
    ok("gemini", "concern", [finding({ file: "src/server.ts", line: 42, severity: "warning", message: "log is not imported here; this throws at runtime" })]),
    ok("grok", "approve", [finding({ file: "src/server.ts", line: 43, severity: "warning", message: "Prefer structured logging with context" })]),
    abstain("copilot"),
  ];
  const merged = mergeFindings(outcomes);

  it("marks agreeing findings k of n, n counting only agents that answered", () => {
    const top = merged[0]!;
    expect(top).toMatchObject({ file: "src/server.ts", line: 43, severity: "blocker", agents: ["claude", "gemini"], k: 2, n: 3 });
    expect(top.message).toBe("log is not imported in this scope, this throws");
    expect(top.variants).toEqual([{ agent: "gemini", severity: "warning", line: 42, message: "log is not imported here; this throws at runtime" }]);
  });

  it("keeps a different remark at the same place separate", () => {
    expect(merged.map((entry) => [entry.agents.join("+"), entry.severity])).toEqual([
      ["claude+gemini", "blocker"],
      ["grok", "warning"],
      ["claude", "info"],
    ]);
  });

  it("never merges two findings of the same agent", () => {
    const same = mergeFindings([
      ok("claude", "concern", [
        finding({ file: "a.ts", line: 1, message: "unused variable x" }),
        finding({ file: "a.ts", line: 2, message: "unused variable x" }),
      ]),
    ]);
    expect(same.map((entry) => entry.k)).toEqual([1, 1]);
  });

  it("takes the most severe member's wording and line", () => {
    const [only] = mergeFindings(
      [
        ok("a", "concern", [finding({ file: "x.ts", line: 10, severity: "info", message: "possible SQL injection in query" })]),
        ok("b", "blocker", [finding({ file: "x.ts", line: 12, severity: "blocker", message: "SQL injection: query built from input" })]),
      ],
      { window: 3 },
    );
    expect(only).toMatchObject({ line: 12, severity: "blocker", agents: ["a", "b"], k: 2, n: 2 });
  });
});

describe("placeFindings", () => {
  it("places commentable findings inline and moves the rest to the summary with a reason", () => {
    const merged = mergeFindings([
      ok("claude", "concern", [
        finding({ file: "src/server.ts", line: 43, severity: "blocker", message: "inline one" }),
        finding({ file: "src/server.ts", line: 20, message: "outside the hunks" }),
        finding({ file: "src/elsewhere.ts", line: 3, message: "not in this PR" }),
        finding({ file: "old/legacy.js", line: 2, side: "LEFT", message: "deleted line" }),
        finding({ file: "old/legacy.js", line: 2, side: "RIGHT", message: "wrong side" }),
      ]),
    ]);
    const placement = placeFindings(merged, index);
    expect(placement.inline.map((entry) => entry.position)).toEqual([
      { path: "src/server.ts", line: 43, side: "RIGHT" },
      { path: "old/legacy.js", line: 2, side: "LEFT" },
    ]);
    expect(placement.summary.map((entry) => [entry.finding.message, entry.reason])).toEqual([
      ["wrong side", "line-not-in-diff"],
      ["not in this PR", "file-not-in-diff"],
      ["outside the hunks", "line-not-in-diff"],
    ]);
    for (const { position } of placement.inline) expect(index.isCommentable(position.path, position.side, position.line)).toBe(true);
  });

  it("caps inline comments, most severe first", () => {
    const merged = mergeFindings([
      ok("a", "concern", [
        finding({ file: "src/server.ts", line: 2, severity: "info", message: "one" }),
        finding({ file: "src/server.ts", line: 3, severity: "blocker", message: "two" }),
      ]),
    ]);
    const placement = placeFindings(merged, index, { maxInline: 1 });
    expect(placement.inline.map((entry) => entry.finding.message)).toEqual(["two"]);
    expect(placement.summary).toMatchObject([{ reason: "over-limit", finding: { message: "one" } }]);
  });
});

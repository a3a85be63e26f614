import { describe, expect, it } from "vitest";
import { CommentableIndex, commentableLines } from "../../src/domain/review/commentable.js";
import { parsePullRequestFiles } from "../../src/domain/review/diff.js";
import { PR_FILES } from "./fixtures.js";

const files = parsePullRequestFiles(PR_FILES).files;
const index = new CommentableIndex(files);

describe("commentable lines", () => {
  it("RIGHT holds added and context lines, LEFT deleted and context lines", () => {
    const lines = commentableLines(files[0]!);
    expect([...lines.RIGHT.keys()]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 41, 42, 43, 44, 45, 46]);
    expect([...lines.LEFT.keys()]).toEqual([1, 2, 3, 4, 5, 6, 7, 40, 41, 42, 43, 44, 45]);
    expect(lines.RIGHT.get(43)).toBe(1);
    expect(lines.LEFT.get(2)).toBe(0);
  });

  it.each([
    ["added line", "src/server.ts", "RIGHT", 2, true],
    ["context line on the new side", "src/server.ts", "RIGHT", 5, true],
    ["context line on the old side", "src/server.ts", "LEFT", 4, true],
    ["deleted line", "src/server.ts", "LEFT", 42, true],
    ["deleted line's number on the new side (a context line there)", "src/server.ts", "RIGHT", 42, true],
    ["between hunks", "src/server.ts", "RIGHT", 20, false],
    ["past the last hunk", "src/server.ts", "RIGHT", 47, false],
    ["deleted file, old side", "old/legacy.js", "LEFT", 2, true],
    ["deleted file, new side", "old/legacy.js", "RIGHT", 1, false],
    ["added file, old side", "docs/new.md", "LEFT", 1, false],
    ["binary file", "assets/logo.png", "RIGHT", 1, false],
    ["file without patch", "db/huge.sql", "RIGHT", 1, false],
    ["file not in the PR", "src/other.ts", "RIGHT", 1, false],
  ] as const)("%s", (_name, path, side, line, expected) => {
    expect(index.isCommentable(path, side, line)).toBe(expected);
  });

  it("forgives ./ and a/ b/ prefixes but nothing else", () => {
    expect(index.resolvePath("./src/server.ts")).toBe("src/server.ts");
    expect(index.resolvePath("b/src/server.ts")).toBe("src/server.ts");
    expect(index.resolvePath("server.ts")).toBeNull();
    expect(index.resolvePath("lib/util.ts")).toBe("src/util.ts");
    expect(index.isCommentable("lib/util.ts", "LEFT", 11)).toBe(true);
  });
});

describe("place", () => {
  it("keeps a multi-line range inside one hunk", () => {
    expect(index.place({ path: "src/server.ts", side: "RIGHT", line: 3, startLine: 1 })).toEqual({
      ok: true,
      position: { path: "src/server.ts", line: 3, side: "RIGHT", start_line: 1, start_side: "RIGHT" },
    });
  });

  it("drops a start line in another hunk, after the line, or outside the diff", () => {
    for (const startLine of [8, 44, 30]) {
      expect(index.place({ path: "src/server.ts", side: "RIGHT", line: 43, startLine })).toEqual({
        ok: true,
        position: { path: "src/server.ts", line: 43, side: "RIGHT" },
      });
    }
  });

  it("says why a target cannot be placed", () => {
    expect(index.place({ path: "src/server.ts", side: "RIGHT", line: 20 })).toEqual({ ok: false, reason: "line-not-in-diff" });
    expect(index.place({ path: "nope.ts", side: "RIGHT", line: 1 })).toEqual({ ok: false, reason: "file-not-in-diff" });
  });
});

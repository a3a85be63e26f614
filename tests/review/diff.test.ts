import { describe, expect, it } from "vitest";
import { changedLinesOf, mergeDiffSources, parsePatch, parsePullRequestFiles } from "../../src/domain/review/diff.js";
import { parseUnifiedDiff, unquoteGitPath } from "../../src/domain/review/unified-diff.js";
import { MODIFIED_PATCH, PR_FILES, RENAMED_PATCH, diffEntry } from "./fixtures.js";

describe("parsePullRequestFiles", () => {
  const { files, warnings } = parsePullRequestFiles(PR_FILES);
  const byPath = new Map(files.map((file) => [file.path, file]));

  it("parses every entry without warnings", () => {
    expect(warnings).toEqual([]);
    expect(files.map((file) => file.path)).toEqual(PR_FILES.map((entry) => entry.filename));
  });

  it("numbers lines of a modified file across hunks", () => {
    const file = byPath.get("src/server.ts")!;
    expect(file.patch).toBe("present");
    expect(file.hunks).toHaveLength(2);
    const [first, second] = file.hunks;
    expect(first).toMatchObject({ oldStart: 1, oldLines: 7, newStart: 1, newLines: 8, section: "" });
    expect(first!.lines.slice(0, 4)).toEqual([
      { kind: "context", text: 'import express from "express";', oldLine: 1, newLine: 1 },
      { kind: "del", text: 'import { auth } from "./auth";', oldLine: 2, newLine: null },
      { kind: "add", text: 'import { auth, verify } from "./auth";', oldLine: null, newLine: 2 },
      { kind: "add", text: 'import { log } from "./log";', oldLine: null, newLine: 3 },
    ]);
    expect(first!.lines.at(-1)).toMatchObject({ kind: "context", oldLine: 7, newLine: 8 });
    expect(second).toMatchObject({ oldStart: 40, newStart: 41, section: "function start(port: number) {" });
    expect(second!.lines.find((line) => line.kind === "del")).toMatchObject({ oldLine: 42, text: "    console.error(error);" });
    expect(second!.lines.find((line) => line.kind === "add")).toMatchObject({ newLine: 43, text: "    log.error(error);" });
    expect(changedLinesOf(file)).toBe(5);
  });

  it("marks `\\ No newline at end of file` on the line before it", () => {
    const added = byPath.get("docs/new.md")!;
    expect(added.hunks[0]!.lines.map((line) => line.newLine)).toEqual([1, 2, 3]);
    expect(added.hunks[0]!.lines[2]).toMatchObject({ text: "Body text", noNewlineAtEnd: true });
    const hunks = parsePatch(["@@ -1,2 +1,2 @@", " a", "-b", "\\ No newline at end of file", "+b"].join("\n"));
    expect(hunks[0]!.lines).toEqual([
      { kind: "context", text: "a", oldLine: 1, newLine: 1 },
      { kind: "del", text: "b", oldLine: 2, newLine: null, noNewlineAtEnd: true },
      { kind: "add", text: "b", oldLine: null, newLine: 2 },
    ]);
  });

  it("handles removed, renamed, binary and omitted files", () => {
    expect(byPath.get("old/legacy.js")!.hunks[0]!.lines.map((line) => line.oldLine)).toEqual([1, 2, 3]);
    expect(byPath.get("src/util.ts")).toMatchObject({ status: "renamed", previousPath: "lib/util.ts", patch: "present" });
    expect(byPath.get("src/moved.ts")).toMatchObject({ patch: "empty", hunks: [] });
    expect(byPath.get("assets/logo.png")).toMatchObject({ patch: "binary" });
    expect(byPath.get("db/huge.sql")).toMatchObject({ patch: "omitted", additions: 20000 });
    expect(changedLinesOf(byPath.get("db/huge.sql")!)).toBe(20005);
  });

  it("reads single-line hunk headers without counts", () => {
    const hunks = parsePatch("@@ -1 +1 @@\n-old\n+new");
    expect(hunks[0]).toMatchObject({ oldStart: 1, oldLines: 1, newStart: 1, newLines: 1 });
    expect(hunks[0]!.lines).toHaveLength(2);
  });

  it("warns about a truncated hunk and keeps the lines it has", () => {
    const { files: [file], warnings: found } = parsePullRequestFiles([
      diffEntry({ filename: "a.ts", status: "modified", additions: 3, deletions: 0, patch: "@@ -1,1 +1,4 @@\n x\n+a" }),
    ]);
    expect(found).toEqual(["a.ts: hunk 1 is shorter than its header says"]);
    expect(file!.hunks[0]!.lines).toHaveLength(2);
  });
});

const UNIFIED = [
  "diff --git a/src/server.ts b/src/server.ts",
  "index 3b18e51..a9f2c34 100644",
  "--- a/src/server.ts",
  "+++ b/src/server.ts",
  MODIFIED_PATCH,
  "diff --git a/docs/new.md b/docs/new.md",
  "new file mode 100644",
  "index 0000000..e69de29",
  "--- /dev/null",
  "+++ b/docs/new.md",
  "@@ -0,0 +1,2 @@",
  "+# Title",
  "+",
  "diff --git a/old/legacy.js b/old/legacy.js",
  "deleted file mode 100644",
  "index 83db48f..0000000",
  "--- a/old/legacy.js",
  "+++ /dev/null",
  "@@ -1,2 +0,0 @@",
  "--- a/trick",
  "-// b",
  "diff --git a/lib/util.ts b/src/util.ts",
  "similarity index 90%",
  "rename from lib/util.ts",
  "rename to src/util.ts",
  "index 1111111..2222222 100644",
  "--- a/lib/util.ts",
  "+++ b/src/util.ts",
  RENAMED_PATCH,
  "diff --git a/lib/moved.ts b/src/moved.ts",
  "similarity index 100%",
  "rename from lib/moved.ts",
  "rename to src/moved.ts",
  "diff --git a/assets/logo.png b/assets/logo.png",
  "new file mode 100644",
  "index 0000000..3f4e5a1",
  "Binary files /dev/null and b/assets/logo.png differ",
  "diff --git a/with space.txt b/with space.txt",
  "new file mode 100644",
  "index 0000000..e69de29",
  'diff --git "a/caf\\303\\251.txt" "b/caf\\303\\251.txt"',
  "index 1111111..2222222 100644",
  '--- "a/caf\\303\\251.txt"',
  '+++ "b/caf\\303\\251.txt"',
  "@@ -1 +1 @@",
  "-x",
  "+y",
  "diff --git a/run.sh b/run.sh",
  "old mode 100644",
  "new mode 100755",
  "",
].join("\n");

describe("parseUnifiedDiff", () => {
  const { files, warnings } = parseUnifiedDiff(UNIFIED);
  const byPath = new Map(files.map((file) => [file.path, file]));

  it("finds every file with its status", () => {
    expect(warnings).toEqual([]);
    expect(files.map((file) => [file.path, file.status, file.patch])).toEqual([
      ["src/server.ts", "modified", "present"],
      ["docs/new.md", "added", "present"],
      ["old/legacy.js", "removed", "present"],
      ["src/util.ts", "renamed", "present"],
      ["src/moved.ts", "renamed", "empty"],
      ["assets/logo.png", "added", "binary"],
      ["with space.txt", "added", "empty"],
      ["café.txt", "modified", "present"],
      ["run.sh", "modified", "empty"],
    ]);
  });

  it("gives the same hunks as the files API for the same patch", () => {
    const fromApi = parsePullRequestFiles(PR_FILES).files.find((file) => file.path === "src/server.ts")!;
    expect(byPath.get("src/server.ts")!.hunks).toEqual(fromApi.hunks);
    expect(byPath.get("src/server.ts")).toMatchObject({ additions: 3, deletions: 2 });
  });

  it("reads a deleted line that looks like a header as content", () => {
    const removed = byPath.get("old/legacy.js")!;
    expect(removed.hunks[0]!.lines.map((line) => line.text)).toEqual(["-- a/trick", "// b"]);
    expect(removed).toMatchObject({ deletions: 2, additions: 0 });
  });

  it("keeps the previous path of renames", () => {
    expect(byPath.get("src/util.ts")!.previousPath).toBe("lib/util.ts");
    expect(byPath.get("src/moved.ts")!.previousPath).toBe("lib/moved.ts");
  });

  it("decodes git's quoted paths", () => {
    expect(unquoteGitPath('"caf\\303\\251 \\"x\\"\\t.txt"')).toBe('café "x"\t.txt');
    expect(unquoteGitPath("plain.txt")).toBe("plain.txt");
  });

  it("reads a plain diff without git headers", () => {
    const plain = parseUnifiedDiff(["--- a/x.txt\t2024-01-01", "+++ b/x.txt\t2024-01-02", "@@ -1 +1 @@", "-a", "+b"].join("\n"));
    expect(plain.files.map((file) => [file.path, file.status, file.additions, file.deletions])).toEqual([["x.txt", "modified", 1, 1]]);
  });

  it("reports lines it cannot place instead of failing", () => {
    const odd = parseUnifiedDiff("garbage before\ndiff --git a/a b/a\n--- a/a\n+++ b/a\n@@ nonsense @@\n");
    expect(odd.files).toHaveLength(1);
    expect(odd.warnings).toEqual(["ignored a line outside any hunk: garbage before", "unreadable hunk header: @@ nonsense @@"]);
  });
});

describe("mergeDiffSources", () => {
  it("fills omitted patches and appends files beyond the API's cap", () => {
    const api = parsePullRequestFiles([
      diffEntry({ filename: "src/server.ts", status: "modified", additions: 3, deletions: 2 }),
      diffEntry({ filename: "docs/new.md", status: "added", additions: 2, deletions: 0, patch: "@@ -0,0 +1,1 @@\n+kept" }),
    ]).files;
    expect(api[0]!.patch).toBe("omitted");
    const merged = mergeDiffSources(api, parseUnifiedDiff(UNIFIED).files);
    expect(merged[0]).toMatchObject({ path: "src/server.ts", patch: "present" });
    expect(merged[0]!.hunks).toHaveLength(2);
    expect(merged[1]!.hunks[0]!.lines[0]!.text).toBe("kept");
    expect(merged.map((file) => file.path)).toContain("café.txt");
    expect(merged).toHaveLength(9);
  });
});

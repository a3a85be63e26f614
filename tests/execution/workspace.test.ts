/** The repository an agent's tool loop works on: read lazily, edited in memory, searched within bounds. */
import { describe, expect, it } from "vitest";
import { ToolError } from "../../src/agents/index.js";
import { manyFiles, repository, requests } from "./support.js";

const TREE = "GET /repos/{owner}/{repo}/git/trees/{tree_sha}";
const BLOB = "GET /repos/{owner}/{repo}/git/blobs/{file_sha}";

async function toolError(promise: Promise<unknown>): Promise<string> {
  const error: unknown = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ToolError);
  return (error as ToolError).message;
}

describe("reading", () => {
  it("lists a 2,000-file tree once and fetches only the two files read (3 requests)", async () => {
    const { sandbox, open } = await repository(manyFiles(2000));
    const workspace = await open();
    expect(workspace.files()).toHaveLength(2000);
    expect(await workspace.read("src/f0007.ts")).toBe("export const v7 = 7;\n");
    expect(await workspace.read("src/f1999.ts")).toBe("export const v1999 = 1999;\n");
    await workspace.read("src/f0007.ts"); // cached
    expect(requests(sandbox)).toEqual([TREE, BLOB, BLOB]);
  });

  it("says a missing file does not exist", async () => {
    const { open } = await repository({ "README.md": "# Demo\n" });
    expect(await toolError((await open()).read("nope.md"))).toBe("nope.md does not exist");
  });
});

describe("editing", () => {
  const FILES = { "src/a.ts": "const x = 1;\nconst y = 1;\n" };

  it("replaces the one occurrence of the search text", async () => {
    const { open } = await repository(FILES);
    const workspace = await open();
    await workspace.edit("src/a.ts", "x = 1", "x = 2");
    expect(await workspace.read("src/a.ts")).toBe("const x = 2;\nconst y = 1;\n");
  });

  it("refuses a search text that occurs 0 times, saying so", async () => {
    const { open } = await repository(FILES);
    const workspace = await open();
    expect(await toolError(workspace.edit("src/a.ts", "z = 1", "z = 2"))).toMatch(/occurs 0 times in src\/a\.ts/);
    expect(workspace.changes()).toEqual([]);
  });

  it("refuses a search text that occurs 2 times, saying so, and changes nothing", async () => {
    const { open } = await repository(FILES);
    const workspace = await open();
    expect(await toolError(workspace.edit("src/a.ts", " = 1;", " = 3;"))).toMatch(/occurs 2 times in src\/a\.ts; include more surrounding lines/);
    expect(await workspace.read("src/a.ts")).toBe(FILES["src/a.ts"]);
  });
});

describe("searching", () => {
  it("scans at most maxFiles files, fetching no more blobs than that", async () => {
    const { sandbox, open } = await repository(manyFiles(2000));
    const workspace = await open();
    sandbox.clearRequests();
    const found = await workspace.search("export", { bounds: { maxFiles: 10, maxMatches: 1000 } });
    expect(found).toMatchObject({ scanned: 10, notScanned: 1990, stoppedBy: "files" });
    expect(found.matches).toHaveLength(10);
    expect(requests(sandbox)).toEqual(Array(10).fill(BLOB));
  });

  it("scans 200 files of a 2,000-file repository by default", async () => {
    const { sandbox, open } = await repository(manyFiles(2000));
    const workspace = await open();
    sandbox.clearRequests();
    const found = await workspace.search("v1999");
    expect(found).toMatchObject({ matches: [], scanned: 200, notScanned: 1800, stoppedBy: "files" });
    expect(requests(sandbox)).toHaveLength(200);
  });

  it("stops before the bytes bound, judged from the listing's sizes", async () => {
    const { sandbox, open } = await repository({ "a.txt": "x".repeat(600), "b.txt": "x".repeat(600), "c.txt": "x".repeat(600) });
    const workspace = await open();
    sandbox.clearRequests();
    const found = await workspace.search("x", { bounds: { maxBytes: 1000 } });
    expect(found).toMatchObject({ scanned: 1, notScanned: 2, stoppedBy: "bytes" });
    expect(requests(sandbox)).toEqual([BLOB]);
  });

  it("returns at most maxMatches matches, with paths and line numbers", async () => {
    const { open } = await repository({ "a.txt": "hit\nmiss\nhit\n", "b.txt": "hit\n", "c.txt": "hit\n" });
    const found = await (await open()).search("hit", { bounds: { maxMatches: 2 } });
    expect(found.matches).toEqual([
      { path: "a.txt", line: 1, text: "hit" },
      { path: "a.txt", line: 3, text: "hit" },
    ]);
    expect(found).toMatchObject({ stoppedBy: "matches", notScanned: 1 });
  });

  it("skips binary files: by extension without fetching them, by content after", async () => {
    const { sandbox, open } = await repository({ "logo.png": "needle", "data.bin": "needle\0", "a.txt": "needle" });
    const workspace = await open();
    sandbox.clearRequests();
    const found = await workspace.search("needle");
    expect(found.matches.map((match) => match.path)).toEqual(["a.txt"]);
    expect(requests(sandbox)).toEqual([BLOB, BLOB]);
  });

  it("searches the agent's edits, not the base", async () => {
    const { open } = await repository({ "a.txt": "old\n" });
    const workspace = await open();
    workspace.write("a.txt", "new\n");
    expect((await workspace.search("old")).matches).toEqual([]);
  });

  it("runs a model's catastrophic regular expression in linear time", async () => {
    const { open } = await repository({ "a.txt": `${"a".repeat(1900)}!\n`, "b.txt": "aaa\n" });
    const workspace = await open();
    // JavaScript's backtracking engine would not finish this line within the test's timeout (or ever).
    const found = await workspace.search("^(a+)+$", { regex: true });
    expect(found.matches.map((m) => m.path)).toEqual(["b.txt"]);
  });

  it("refuses what RE2 cannot run (backreferences, lookarounds) with a clear error", async () => {
    const { open } = await repository({ "a.txt": "abab\n" });
    expect(await toolError((await open()).search("(ab)\\1", { regex: true }))).toMatch(/^invalid regular expression \(RE2 syntax: no backreferences or lookarounds\)/);
  });

  it("searches only within a directory or a glob", async () => {
    const { open } = await repository({ "src/a.ts": "hit", "docs/a.md": "hit", "src/b.md": "hit" });
    const workspace = await open();
    expect((await workspace.search("hit", { within: "src/" })).matches.map((m) => m.path)).toEqual(["src/a.ts", "src/b.md"]);
    expect((await workspace.search("hit", { within: "**/*.md" })).matches.map((m) => m.path)).toEqual(["docs/a.md", "src/b.md"]);
  });
});

describe("changes", () => {
  it("lists only real differences from the base, without reading it", async () => {
    const { sandbox, open } = await repository({ "same.txt": "same\n", "edit.txt": "one\n", "gone.txt": "bye\n", "back.txt": "back\n" });
    const workspace = await open();
    sandbox.clearRequests();
    workspace.write("same.txt", "same\n"); // identical content
    workspace.write("back.txt", "changed\n");
    workspace.write("back.txt", "back\n"); // changed, then changed back
    workspace.write("tmp.txt", "scratch\n");
    workspace.delete("tmp.txt"); // added, then deleted
    workspace.write("edit.txt", "two\n");
    workspace.write("new/file.txt", "hello\n");
    workspace.delete("gone.txt");
    expect(workspace.changes()).toEqual([
      { path: "edit.txt", kind: "modify", mode: "100644", content: "two\n", size: 4 },
      { path: "gone.txt", kind: "delete", mode: "100644", content: null, size: 0 },
      { path: "new/file.txt", kind: "add", mode: "100644", content: "hello\n", size: 6 },
    ]);
    expect(requests(sandbox)).toEqual([]);
  });

  it("refuses to write a file over a directory", async () => {
    const { open } = await repository({ "src/a.ts": "a" });
    const workspace = await open();
    expect(() => workspace.write("src", "x")).toThrow(new ToolError("src is a directory"));
  });
});

import { describe, expect, it } from "vitest";
import { failure, octokitFor, repoOf, sandboxFor } from "./helpers.js";

/** A sandbox with a small repository and a client on the app's installation token. */
async function withRepository(options: Parameters<typeof sandboxFor>[0] = {}) {
  const { sandbox } = await sandboxFor({ files: { "README.md": "hello\n", "src/lib/a.ts": "export {};\n", "src/b.ts": "b\n" }, ...options });
  const octokit = octokitFor(sandbox, sandbox.tokens.installation);
  const repo = repoOf(sandbox);
  const main = (await octokit.rest.git.getRef({ ...repo, ref: "heads/main" })).data.object.sha;
  const baseTree = (await octokit.rest.git.getCommit({ ...repo, commit_sha: main })).data.tree.sha;
  return { sandbox, octokit, repo, main, baseTree };
}

describe("git blobs", () => {
  it("stores a utf-8 blob under the sha git gives it and reads it back in base64", async () => {
    const { octokit, repo } = await withRepository();
    const created = await octokit.rest.git.createBlob({ ...repo, content: "hello\n", encoding: "utf-8" });
    expect(created.status).toBe(201);
    // `git hash-object` of "hello\n"
    expect(created.data.sha).toBe("ce013625030ba8dba906f756967f9e9ca394464a");
    const { data: blob } = await octokit.rest.git.getBlob({ ...repo, file_sha: created.data.sha });
    expect(blob).toMatchObject({ sha: created.data.sha, size: 6, encoding: "base64", content: "aGVsbG8K\n" });
  });

  it("stores a base64 blob byte for byte", async () => {
    const { octokit, repo } = await withRepository();
    const bytes = Buffer.from([0, 255, 10, 128]);
    const { data } = await octokit.rest.git.createBlob({ ...repo, content: bytes.toString("base64"), encoding: "base64" });
    const { data: blob } = await octokit.rest.git.getBlob({ ...repo, file_sha: data.sha });
    expect(Buffer.from(blob.content, "base64")).toEqual(bytes);
    expect(blob.size).toBe(4);
  });

  it("answers 404 for an unknown blob", async () => {
    const { octokit, repo } = await withRepository();
    expect((await failure(octokit.rest.git.getBlob({ ...repo, file_sha: "0".repeat(40) }))).status).toBe(404);
  });
});

describe("git trees", () => {
  it("gives a tree with modes and directories the sha git gives it", async () => {
    const { octokit, repo } = await withRepository();
    const blob = async (content: string) => (await octokit.rest.git.createBlob({ ...repo, content })).data.sha;
    const { data } = await octokit.rest.git.createTree({
      ...repo,
      tree: [
        { path: "README.md", mode: "100644", type: "blob", sha: await blob("hello\n") },
        { path: "run.sh", mode: "100755", type: "blob", sha: await blob("#!/bin/sh\n") },
        { path: "link", mode: "120000", type: "blob", content: "README.md" },
        { path: "src/lib/a.ts", mode: "100644", type: "blob", content: "export {};\n" },
      ],
    });
    // `git write-tree` of the same files (run.sh executable, link a symlink to README.md)
    expect(data.sha).toBe("3c2eaf87afcd7e48b3ec53eceea408fa66623139");
    expect(data.tree.map((e) => `${e.mode} ${e.type} ${e.path}`)).toEqual(["100644 blob README.md", "120000 blob link", "100755 blob run.sh", "040000 tree src"]);
  });

  it("lists a tree's top level, or with recursive every entry depth first", async () => {
    const { octokit, repo, baseTree } = await withRepository();
    const top = await octokit.rest.git.getTree({ ...repo, tree_sha: baseTree });
    expect(top.data.tree.map((e) => e.path)).toEqual(["README.md", "src"]);
    const all = await octokit.rest.git.getTree({ ...repo, tree_sha: baseTree, recursive: "1" });
    expect(all.data.tree.map((e) => `${e.type} ${e.path}`)).toEqual(["blob README.md", "tree src", "blob src/b.ts", "tree src/lib", "blob src/lib/a.ts"]);
    expect(all.data.tree[0]).toMatchObject({ mode: "100644", size: 6, sha: "ce013625030ba8dba906f756967f9e9ca394464a" });
    expect(all.data.truncated).toBe(false);
  });

  it("reads the tree of a branch or a commit by name", async () => {
    const { octokit, repo, main, baseTree } = await withRepository();
    expect((await octokit.rest.git.getTree({ ...repo, tree_sha: "main" })).data.sha).toBe(baseTree);
    expect((await octokit.rest.git.getTree({ ...repo, tree_sha: main })).data.sha).toBe(baseTree);
  });

  it("reads a subtree by its sha", async () => {
    const { octokit, repo, baseTree } = await withRepository();
    const src = (await octokit.rest.git.getTree({ ...repo, tree_sha: baseTree })).data.tree.find((e) => e.path === "src")!;
    const { data } = await octokit.rest.git.getTree({ ...repo, tree_sha: src.sha });
    expect(data.tree.map((e) => e.path)).toEqual(["b.ts", "lib"]);
  });

  it("stops a recursive listing past GitHub's limits with truncated: true", async () => {
    const { octokit, repo, baseTree } = await withRepository({ treeLimits: { entries: 3 } });
    const { data } = await octokit.rest.git.getTree({ ...repo, tree_sha: baseTree, recursive: "1" });
    expect(data.truncated).toBe(true);
    expect(data.tree.map((e) => e.path)).toEqual(["README.md", "src", "src/b.ts"]);
  });

  it("answers 404 for an unknown tree", async () => {
    const { octokit, repo } = await withRepository();
    expect((await failure(octokit.rest.git.getTree({ ...repo, tree_sha: "0".repeat(40) }))).status).toBe(404);
  });

  it("applies changes over base_tree: new content, a blob by sha, a deletion with sha null", async () => {
    const { octokit, repo, baseTree } = await withRepository();
    const blob = (await octokit.rest.git.createBlob({ ...repo, content: "new\n" })).data.sha;
    const { data } = await octokit.rest.git.createTree({
      ...repo,
      base_tree: baseTree,
      tree: [
        { path: "README.md", mode: "100644", type: "blob", content: "hello again\n" },
        { path: "docs/new.md", mode: "100644", type: "blob", sha: blob },
        { path: "src/b.ts", mode: "100644", type: "blob", sha: null },
      ],
    });
    const listed = await octokit.rest.git.getTree({ ...repo, tree_sha: data.sha, recursive: "1" });
    expect(listed.data.tree.filter((e) => e.type === "blob").map((e) => e.path)).toEqual(["README.md", "docs/new.md", "src/lib/a.ts"]);
  });

  it("deletes a whole directory with sha null", async () => {
    const { octokit, repo, baseTree } = await withRepository();
    const { data } = await octokit.rest.git.createTree({ ...repo, base_tree: baseTree, tree: [{ path: "src", mode: "040000", type: "tree", sha: null }] });
    expect(data.tree.map((e) => e.path)).toEqual(["README.md"]);
  });

  it("grafts a subtree by sha (040000) and keeps a submodule's commit (160000)", async () => {
    const { octokit, repo, baseTree } = await withRepository();
    const src = (await octokit.rest.git.getTree({ ...repo, tree_sha: baseTree })).data.tree.find((e) => e.path === "src")!;
    const { data } = await octokit.rest.git.createTree({
      ...repo,
      tree: [
        { path: "copy", mode: "040000", type: "tree", sha: src.sha },
        { path: "vendor/lib", mode: "160000", type: "commit", sha: "a".repeat(40) },
      ],
    });
    const listed = await octokit.rest.git.getTree({ ...repo, tree_sha: data.sha, recursive: "1" });
    expect(listed.data.tree.map((e) => `${e.mode} ${e.path}`)).toEqual([
      "040000 copy",
      "100644 copy/b.ts",
      "040000 copy/lib",
      "100644 copy/lib/a.ts",
      "040000 vendor",
      "160000 vendor/lib",
    ]);
  });

  it("refuses what GitHub refuses with its 422", async () => {
    const { octokit, repo, baseTree } = await withRepository();
    const create = (tree: unknown[], base_tree?: string) =>
      failure(octokit.rest.git.createTree({ ...repo, tree: tree as never, ...(base_tree ? { base_tree } : {}) })).then((f) => [f.status, (f.body as { message: string }).message]);
    expect(await create([{ path: "a", mode: "100644", type: "blob", sha: "b".repeat(40) }])).toEqual([422, `tree.sha ${"b".repeat(40)} is not a valid blob`]);
    expect(await create([{ path: "a", mode: "040000", type: "tree", sha: "b".repeat(40) }])).toEqual([422, `tree.sha ${"b".repeat(40)} is not a valid tree`]);
    expect(await create([{ path: "a", mode: "100644", type: "blob" }])).toEqual([422, "Must supply either tree.sha or tree.content. Request will be rejected if both are present."]);
    expect(await create([{ path: "gone.txt", mode: "100644", type: "blob", sha: null }], baseTree)).toEqual([422, "GitRPC::BadObjectState"]);
    expect(await create([{ path: "a", mode: "100644", type: "blob", content: "x" }], "c".repeat(40))).toEqual([422, "base_tree is not a valid tree oid"]);
    expect(await create([{ path: "../a", mode: "100644", type: "blob", content: "x" }])).toEqual([422, "tree.path contains a malformed path component"]);
  });

  it("checks tree entries against GitHub's schema (modes are an enum)", async () => {
    const { sandbox, octokit, repo } = await withRepository();
    const bad = await failure(octokit.rest.git.createTree({ ...repo, tree: [{ path: "a", mode: "100600" as never, type: "blob", content: "x" }] }));
    expect(bad.status).toBe(422);
    expect(sandbox.violations.map((v) => v.kind)).toEqual(["request"]);
    sandbox.clearViolations();
  });
});

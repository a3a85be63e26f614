import { describe, expect, it } from "vitest";
import { failure, octokitFor, repoOf, sandboxFor } from "./helpers.js";

describe("git refs (compare-and-set) and contents", () => {
  /** A sandbox, a client with the app's token, and the lock ref to create on main's head. */
  async function lockToCreate() {
    const { sandbox } = await sandboxFor();
    const octokit = octokitFor(sandbox, sandbox.tokens.installation);
    const { data: main } = await octokit.rest.git.getRef({ ...repoOf(sandbox), ref: "heads/main" });
    const lock = { ...repoOf(sandbox), ref: "refs/orkestra/locks/task-7", sha: main.object.sha };
    return { sandbox, octokit, lock, mainSha: main.object.sha };
  }

  it("lets only one of two concurrent creates of the same ref succeed, the other is a 422", async () => {
    const { octokit, lock } = await lockToCreate();
    const [a, b] = await Promise.allSettled([octokit.rest.git.createRef(lock), octokit.rest.git.createRef(lock)]);
    const outcomes = [a, b].map((r) => (r.status === "fulfilled" ? r.value.status : (r.reason as { status: number }).status)).sort();
    expect(outcomes).toEqual([201, 422]);
  });

  it("refuses to create a ref that exists with GitHub's 422", async () => {
    const { octokit, lock } = await lockToCreate();
    await octokit.rest.git.createRef(lock);
    const again = await failure(octokit.rest.git.createRef(lock));
    expect(again.body).toEqual({ message: "Reference already exists", documentation_url: "https://docs.github.com/rest/git/refs#create-a-reference", status: "422" });
  });

  it("creates a ref pointing at the given commit", async () => {
    const { sandbox, octokit, lock, mainSha } = await lockToCreate();
    await octokit.rest.git.createRef(lock);
    const { data: got } = await octokit.rest.git.getRef({ ...repoOf(sandbox), ref: "orkestra/locks/task-7" });
    expect(got).toMatchObject({ ref: "refs/orkestra/locks/task-7", object: { type: "commit", sha: mainSha } });
  });

  /** The ref refs/orkestra/lock on main's head, and two commits made on that head. */
  async function lockWithTwoChildren() {
    const { sandbox } = await sandboxFor();
    const octokit = octokitFor(sandbox, sandbox.tokens.installation);
    const head = (await octokit.rest.git.getRef({ ...repoOf(sandbox), ref: "heads/main" })).data.object.sha;
    const { data: base } = await octokit.rest.git.getCommit({ ...repoOf(sandbox), commit_sha: head });
    const child = await octokit.rest.git.createCommit({ ...repoOf(sandbox), message: "lease 1", tree: base.tree.sha, parents: [head] });
    const sibling = await octokit.rest.git.createCommit({ ...repoOf(sandbox), message: "lease 2", tree: base.tree.sha, parents: [head] });
    const ref = { ...repoOf(sandbox), ref: "orkestra/lock" };
    await octokit.rest.git.createRef({ ...repoOf(sandbox), ref: "refs/orkestra/lock", sha: head });
    return { sandbox, octokit, ref, head, child: child.data, sibling: sibling.data };
  }

  it("creates a commit on the parents given", async () => {
    const { child, head } = await lockWithTwoChildren();
    expect(child.parents.map((p) => p.sha)).toEqual([head]);
  });

  it("moves a ref by fast-forward", async () => {
    const { octokit, ref, child } = await lockWithTwoChildren();
    expect((await octokit.rest.git.updateRef({ ...ref, sha: child.sha })).data.object.sha).toBe(child.sha);
  });

  it("refuses to move a ref other than by fast-forward", async () => {
    const { octokit, ref, child, sibling } = await lockWithTwoChildren();
    await octokit.rest.git.updateRef({ ...ref, sha: child.sha });
    const notFastForward = await failure(octokit.rest.git.updateRef({ ...ref, sha: sibling.sha }));
    expect(notFastForward.status).toBe(422);
    expect(notFastForward.body).toMatchObject({ message: "Update is not a fast forward" });
  });

  it("moves a ref anywhere when forced", async () => {
    const { octokit, ref, child, sibling } = await lockWithTwoChildren();
    await octokit.rest.git.updateRef({ ...ref, sha: child.sha });
    expect((await octokit.rest.git.updateRef({ ...ref, sha: sibling.sha, force: true })).data.object.sha).toBe(sibling.sha);
  });

  it("lists the refs matching a prefix", async () => {
    const { sandbox, octokit } = await lockWithTwoChildren();
    expect((await octokit.rest.git.listMatchingRefs({ ...repoOf(sandbox), ref: "orkestra/" })).data.map((r) => r.ref)).toEqual(["refs/orkestra/lock"]);
  });

  it("deletes a ref once", async () => {
    const { sandbox, octokit, ref } = await lockWithTwoChildren();
    expect((await octokit.rest.git.deleteRef(ref)).status).toBe(204);
    const gone = await failure(octokit.rest.git.deleteRef(ref));
    expect(gone.body).toMatchObject({ message: "Reference does not exist", status: "422" });
    expect((await failure(octokit.rest.git.getRef(ref))).status).toBe(404);
    expect(sandbox.state.refs().map((r) => r.ref)).toEqual(["refs/heads/main"]);
  });

  it("needs contents write to create refs", async () => {
    const { sandbox } = await sandboxFor({ collaborators: { tia: "triage" } });
    const octokit = octokitFor(sandbox, sandbox.tokenFor("tia"));
    const sha = sandbox.state.refs()[0]!.object.sha;
    expect((await failure(octokit.rest.git.createRef({ ...repoOf(sandbox), ref: "refs/heads/x", sha }))).status).toBe(403);
  });

  /** .github/orkestra.yml holds "version: 1" on main and "version: 2" on the branch next. */
  async function withConfigOnTwoRefs() {
    const { sandbox } = await sandboxFor({ files: { "README.md": "hello\n" } });
    sandbox.setFile(".github/orkestra.yml", "version: 1\n");
    sandbox.setFile(".github/orkestra.yml", "version: 2\n", { ref: "next" });
    return { sandbox, octokit: octokitFor(sandbox, sandbox.tokens.actions) };
  }

  it("serves a file as base64 with its blob sha", async () => {
    const { sandbox, octokit } = await withConfigOnTwoRefs();
    const { data } = await octokit.rest.repos.getContent({ ...repoOf(sandbox), path: ".github/orkestra.yml" });
    if (Array.isArray(data) || data.type !== "file") throw new Error("expected a file");
    expect(Buffer.from(data.content, "base64").toString("utf8")).toBe("version: 1\n");
    expect(data).toMatchObject({ encoding: "base64", path: ".github/orkestra.yml", name: "orkestra.yml", size: 11 });
    // `git hash-object` of "version: 1\n"
    expect(data.sha).toBe("b82551848c644f63b8517a7bdf8be9a992e6f4da");
  });

  it("serves a file as it is on the ref asked for", async () => {
    const { sandbox, octokit } = await withConfigOnTwoRefs();
    const onBranch = await octokit.rest.repos.getContent({ ...repoOf(sandbox), path: ".github/orkestra.yml", ref: "next" });
    expect(Buffer.from((onBranch.data as { content: string }).content, "base64").toString()).toBe("version: 2\n");
  });

  it("lists a directory's entries", async () => {
    const { sandbox, octokit } = await withConfigOnTwoRefs();
    const dir = await octokit.rest.repos.getContent({ ...repoOf(sandbox), path: ".github" });
    expect((dir.data as { name: string }[]).map((entry) => entry.name)).toEqual(["orkestra.yml"]);
  });

  it("answers 404 for a missing file", async () => {
    const { sandbox, octokit } = await withConfigOnTwoRefs();
    expect((await failure(octokit.rest.repos.getContent({ ...repoOf(sandbox), path: "nope.txt" }))).status).toBe(404);
  });
});

import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Sandbox, SandboxEvent } from "../../tools/sandbox/index.js";
import { failure, octokitFor, repoOf, sandboxFor } from "./helpers.js";
import { webhookSchemaErrors } from "./webhook-schemas.js";

const FILES = {
  "README.md": "# Demo\n",
  "src/app.ts": "export const a = 1;\nexport const b = 2;\n",
  "old.txt": "bye\n",
  "docs/guide.md": "guide\n",
};

/** What `git hash-object` prints, abbreviated as in a diff's index line. */
const blob = (content: string) => createHash("sha1").update(`blob ${Buffer.byteLength(content)}\0${content}`).digest("hex").slice(0, 7);

const kinds = (events: readonly SandboxEvent[]) => events.map((e) => `${e.name}.${String(e.payload.action)}`);

function expectOfficialShapes(events: readonly SandboxEvent[]): void {
  for (const event of events) {
    const label = `${event.name}.${String(event.payload.action)}`;
    expect({ label, errors: webhookSchemaErrors(event.name, event.payload) }).toEqual({ label, errors: [] });
  }
}

async function withFeaturePull(sandbox: Sandbox) {
  return sandbox.as("maya").openPullRequest({
    title: "Add new module",
    body: "Adds src/new.ts",
    head: "feature",
    files: [
      { path: "src/app.ts", after: "export const a = 1;\nexport const b = 3;\n" },
      { path: "src/new.ts", after: "export {};\n" },
      { path: "old.txt", after: null },
      { path: "docs/manual.md", previousPath: "docs/guide.md" },
    ],
  });
}

describe("pull requests", () => {
  it("computes files, patches and the unified diff from the contents", async () => {
    const { sandbox } = await sandboxFor({ collaborators: { maya: "write" }, files: FILES });
    const opened = await withFeaturePull(sandbox);
    const octokit = octokitFor(sandbox, sandbox.tokens.installation);
    const pull = { ...repoOf(sandbox), pull_number: opened.number };

    const { data: files } = await octokit.rest.pulls.listFiles(pull);
    expect(files.map((f) => [f.filename, f.status, f.additions, f.deletions, f.changes, f.patch, f.previous_filename])).toEqual([
      ["docs/manual.md", "renamed", 0, 0, 0, undefined, "docs/guide.md"],
      ["old.txt", "removed", 0, 1, 1, "@@ -1 +0,0 @@\n-bye", undefined],
      ["src/app.ts", "modified", 1, 1, 2, "@@ -1,2 +1,2 @@\n export const a = 1;\n-export const b = 2;\n+export const b = 3;", undefined],
      ["src/new.ts", "added", 1, 0, 1, "@@ -0,0 +1 @@\n+export {};", undefined],
    ]);

    const { data: diff } = await octokit.rest.pulls.get({ ...pull, mediaType: { format: "diff" } });
    expect(diff as unknown as string).toBe(
      [
        "diff --git a/docs/guide.md b/docs/manual.md",
        "similarity index 100%",
        "rename from docs/guide.md",
        "rename to docs/manual.md",
        "diff --git a/old.txt b/old.txt",
        "deleted file mode 100644",
        `index ${blob("bye\n")}..0000000`,
        "--- a/old.txt",
        "+++ /dev/null",
        "@@ -1 +0,0 @@",
        "-bye",
        "diff --git a/src/app.ts b/src/app.ts",
        `index ${blob(FILES["src/app.ts"])}..${blob("export const a = 1;\nexport const b = 3;\n")} 100644`,
        "--- a/src/app.ts",
        "+++ b/src/app.ts",
        "@@ -1,2 +1,2 @@",
        " export const a = 1;",
        "-export const b = 2;",
        "+export const b = 3;",
        "diff --git a/src/new.ts b/src/new.ts",
        "new file mode 100644",
        `index 0000000..${blob("export {};\n")}`,
        "--- /dev/null",
        "+++ b/src/new.ts",
        "@@ -0,0 +1 @@",
        "+export {};",
        "",
      ].join("\n"),
    );

    const { data } = await octokit.rest.pulls.get(pull);
    expect(data).toMatchObject({
      number: 1,
      state: "open",
      title: "Add new module",
      user: { login: "maya" },
      head: { ref: "feature", label: "octo-org:feature", repo: { full_name: "octo-org/orkestra-demo" } },
      base: { ref: "main", label: "octo-org:main" },
      merged: false,
      commits: 1,
      additions: 2,
      deletions: 2,
      changed_files: 4,
      draft: false,
    });
    const { data: commits } = await octokit.rest.pulls.listCommits(pull);
    expect(commits.map((c) => [c.sha, c.commit.message, c.author?.login])).toEqual([[data.head.sha, "Add new module", "maya"]]);
    // The head branch holds the new contents, the base the old ones.
    const content = await octokit.rest.repos.getContent({ ...repoOf(sandbox), path: "docs/manual.md", ref: "feature" });
    expect(Buffer.from((content.data as { content: string }).content, "base64").toString()).toBe("guide\n");
    expect((await failure(octokit.rest.repos.getContent({ ...repoOf(sandbox), path: "src/new.ts" }))).status).toBe(404);
  });

  it("shares numbers with issues, is listed among issues with `pull_request`, and filters by state, head and base", async () => {
    const { sandbox } = await sandboxFor({ collaborators: { maya: "write" }, files: FILES });
    sandbox.as("ann").openIssue({ title: "An issue" });
    await withFeaturePull(sandbox);
    sandbox.setFile("x.txt", "x", { ref: "release" });
    const second = sandbox.as("maya").openPullRequest({ title: "Fix release", head: "hotfix", base: "release", files: [{ path: "x.txt", after: "y" }] });
    sandbox.as("maya").closePullRequest(second.number);
    const octokit = octokitFor(sandbox, sandbox.tokenFor("ann"));
    const { data: issues } = await octokit.rest.issues.listForRepo({ ...repoOf(sandbox), state: "all", direction: "asc" });
    expect(issues.map((i) => [i.number, i.pull_request !== undefined])).toEqual([
      [1, false],
      [2, true],
      [3, true],
    ]);
    const numbers = async (query: { state?: "open" | "closed" | "all"; head?: string; base?: string }) =>
      (await octokit.rest.pulls.list({ ...repoOf(sandbox), ...query })).data.map((p) => p.number);
    expect(await numbers({})).toEqual([2]);
    expect(await numbers({ state: "all" })).toEqual([3, 2]);
    expect(await numbers({ state: "all", head: "octo-org:hotfix" })).toEqual([3]);
    expect(await numbers({ state: "all", base: "main" })).toEqual([2]);
    expect((await failure(octokit.rest.pulls.get({ ...repoOf(sandbox), pull_number: 1 }))).status).toBe(404);
    expect(sandbox.state.pulls().map((p) => [p.number, p.state])).toEqual([
      [2, "open"],
      [3, "closed"],
    ]);
  });

  it("pushes commits, marks ready, closes, reopens and merges with the pull_request events GitHub sends", async () => {
    const { sandbox } = await sandboxFor({ collaborators: { maya: "write", lead: "maintain" }, files: FILES });
    const maya = sandbox.as("maya");
    const draft = maya.openPullRequest({ title: "WIP", head: "wip", draft: true, files: [{ path: "src/app.ts", after: "v2\n" }] });
    expect(draft).toMatchObject({ draft: true, mergeable_state: "draft" });
    const pushed = maya.pushCommits(draft.number, [{ path: "src/app.ts", after: "v3\n" }, { path: "src/more.ts", after: "more\n" }]);
    expect(pushed.head.sha).not.toBe(draft.head.sha);
    expect(pushed).toMatchObject({ commits: 2, changed_files: 2 });
    maya.markReadyForReview(draft.number);
    maya.closePullRequest(draft.number);
    expect(() => maya.pushCommits(draft.number, [{ path: "a", after: "b" }])).toThrow(/closed/);
    maya.reopenPullRequest(draft.number);
    expect(() => sandbox.as("ann").closePullRequest(draft.number, { merge: true })).toThrow(/403/);
    const merged = sandbox.as("lead").closePullRequest(draft.number, { merge: true });
    expect(merged).toMatchObject({ state: "closed", merged: true, merged_by: { login: "lead" } });
    expect(() => maya.reopenPullRequest(draft.number)).toThrow(/merged/);
    await sandbox.settled();

    expect(kinds(sandbox.deliveries)).toEqual([
      "pull_request.opened",
      "pull_request.synchronize",
      "pull_request.ready_for_review",
      "pull_request.closed",
      "pull_request.reopened",
      "pull_request.closed",
    ]);
    expectOfficialShapes(sandbox.deliveries);
    const [, sync, , closed, , mergedEvent] = sandbox.deliveries;
    expect(sync?.payload).toMatchObject({ number: 1, before: draft.head.sha, after: pushed.head.sha });
    expect(closed?.payload).toMatchObject({ pull_request: { merged: false, state: "closed" } });
    expect(mergedEvent?.payload).toMatchObject({ pull_request: { merged: true, merge_commit_sha: merged.merge_commit_sha } });
    // The merge landed on the base branch.
    const octokit = octokitFor(sandbox, sandbox.tokens.installation);
    const { data: file } = await octokit.rest.repos.getContent({ ...repoOf(sandbox), path: "src/more.ts" });
    expect(Buffer.from((file as { content: string }).content, "base64").toString()).toBe("more\n");
    expect(sandbox.state.refs().find((r) => r.ref === "refs/heads/main")?.object.sha).toBe(merged.merge_commit_sha);
  });

  it("opens from a fork: head.repo is the author's fork, and anyone who can read may open one", async () => {
    const { sandbox } = await sandboxFor({ files: FILES });
    expect(() => sandbox.as("ann").openPullRequest({ title: "t", head: "x", files: [{ path: "a", after: "b" }] })).toThrow(/403/);
    const pull = sandbox.as("ann").openPullRequest({ title: "Typo", head: "patch-1", fromFork: true, files: [{ path: "README.md", after: "# Demo!\n" }] });
    expect(pull.head).toMatchObject({ label: "ann:patch-1", ref: "patch-1", user: { login: "ann" }, repo: { full_name: "ann/orkestra-demo", fork: true } });
    expect(pull.base.repo).toMatchObject({ full_name: "octo-org/orkestra-demo", fork: false });
    expect(pull.author_association).toBe("NONE");
    // The fork's branch is not a branch of this repository; refs/pull/N/head points at it.
    expect(sandbox.state.refs().map((r) => r.ref)).toEqual(["refs/heads/main", "refs/pull/1/head"]);
    const { data } = await octokitFor(sandbox, sandbox.tokens.installation).rest.pulls.get({ ...repoOf(sandbox), pull_number: pull.number });
    expect(data.head.repo?.id).not.toBe(data.base.repo.id);
    await sandbox.settled();
    expectOfficialShapes(sandbox.deliveries);
  });

  it("takes labels, comments and edits through the issues and pulls endpoints, announcing pull_request events", async () => {
    const { sandbox } = await sandboxFor({ collaborators: { maya: "write" }, files: FILES });
    const opened = await withFeaturePull(sandbox);
    sandbox.setFile("y.txt", "y", { ref: "develop" });
    const app = octokitFor(sandbox, sandbox.tokens.installation);
    const target = { ...repoOf(sandbox), issue_number: opened.number };
    await app.rest.issues.addLabels({ ...target, labels: ["review:requested"] });
    await app.rest.issues.removeLabel({ ...target, name: "review:requested" });
    await app.rest.issues.createComment({ ...target, body: "Reviewing" });
    await app.rest.reactions.createForIssue({ ...target, content: "rocket" });
    expect((await app.rest.issues.get(target)).data.reactions).toMatchObject({ rocket: 1 });
    const { data: edited } = await octokitFor(sandbox, sandbox.tokenFor("maya")).rest.pulls.update({
      ...repoOf(sandbox),
      pull_number: opened.number,
      title: "Add the new module",
      base: "develop",
    });
    expect(edited).toMatchObject({ title: "Add the new module", base: { ref: "develop" } });
    await app.rest.issues.update({ ...target, state: "closed" });
    await sandbox.settled();
    expect(kinds(sandbox.deliveries)).toEqual([
      "pull_request.opened",
      "label.created",
      "pull_request.labeled",
      "pull_request.unlabeled",
      "issue_comment.created",
      "pull_request.edited",
      "pull_request.edited",
      "pull_request.closed",
    ]);
    expectOfficialShapes(sandbox.deliveries);
    const comment = sandbox.deliveries.find((e) => e.name === "issue_comment");
    expect(comment?.payload).toMatchObject({ issue: { number: opened.number, pull_request: { url: opened.url } } });
    const [, , , , , titleEdit, baseEdit] = sandbox.deliveries;
    expect(titleEdit?.payload.changes).toEqual({ title: { from: "Add new module" } });
    expect(baseEdit?.payload.changes).toEqual({ base: { ref: { from: "main" }, sha: { from: opened.base.sha } } });
  });

  it("keeps GitHub's limits: no patch for a huge file, 3000 files listed, no diff over 300 files", async () => {
    const { sandbox } = await sandboxFor({ collaborators: { maya: "write" } });
    const huge = Array.from({ length: 20_001 }, (_, i) => `line ${i}`).join("\n");
    const many = Array.from({ length: 3_000 }, (_, i) => ({ path: `gen/f${String(i).padStart(4, "0")}.txt`, after: `${i}\n` }));
    const pull = sandbox.as("maya").openPullRequest({ title: "Big", head: "big", files: [{ path: "a/huge.txt", after: huge }, ...many] });
    const octokit = octokitFor(sandbox, sandbox.tokens.installation);
    const target = { ...repoOf(sandbox), pull_number: pull.number, per_page: 100 };
    const files = await octokit.paginate(octokit.rest.pulls.listFiles, target);
    // 3001 files changed, 3000 listed (sorted by name, so the last one is left out).
    expect(sandbox.state.pull(pull.number)?.changed_files).toBe(3_001);
    expect(files).toHaveLength(3_000);
    expect(files.at(-1)?.filename).toBe("gen/f2998.txt");
    expect(files[0]).toMatchObject({ filename: "a/huge.txt", additions: 20_001, status: "added" });
    expect(files[0]?.patch).toBeUndefined();
    expect(files[1]?.patch).toBe("@@ -0,0 +1 @@\n+0");
    const tooLarge = await failure(octokit.rest.pulls.get({ ...repoOf(sandbox), pull_number: pull.number, mediaType: { format: "diff" } }));
    expect(tooLarge.status).toBe(406);
    expect(tooLarge.body).toMatchObject({ message: expect.stringContaining("maximum number of files (300)") });
  });
});

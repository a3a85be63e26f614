/** Writing an agent's checked change set to its branch: blobs → tree over the base's → commit → ref, through effects only. */
import { describe, expect, it } from "vitest";
import { writeChanges } from "../../src/handlers/execution/write.js";
import { repository, writes } from "./support.js";

const FILES = { "README.md": "# Demo\n", "src/app.ts": "export const a = 1;\n", "src/old.ts": "export const old = true;\n" };
const BRANCH = "orkestra/4-fix-the-app";

/** The agent's work: one file modified, one added, one deleted. */
async function edited(files = FILES, options: { dryRun?: boolean } = {}) {
  const repo = await repository(files, options);
  const workspace = await repo.open();
  await workspace.edit("src/app.ts", "a = 1", "a = 2");
  workspace.write("src/new.ts", "export const added = true;\n");
  workspace.delete("src/old.ts");
  repo.sandbox.clearRequests();
  return { ...repo, changes: workspace.changes() };
}

async function blobsOf(repo: Awaited<ReturnType<typeof edited>>, ref: string): Promise<Record<string, string>> {
  const listing = await repo.ctx.github.listTree(ref);
  const files: Record<string, string> = {};
  for (const entry of listing.entries.filter((e) => e.type === "blob")) {
    files[entry.path] = Buffer.from((await repo.ctx.github.getBlob(entry.sha))!).toString("utf8");
  }
  return files;
}

describe("writeChanges", () => {
  it("creates the branch with the three changes in 5 writes (2 blobs, tree, commit, ref) and no reads", async () => {
    const repo = await edited();
    const sha = await writeChanges(repo.ctx, { issue: 4, base: repo.base, branch: BRANCH, message: "Fix the app (#4)", changes: repo.changes });
    expect(repo.sandbox.requests.map((r) => r.route)).toEqual([
      "POST /repos/{owner}/{repo}/git/blobs",
      "POST /repos/{owner}/{repo}/git/blobs",
      "POST /repos/{owner}/{repo}/git/trees",
      "POST /repos/{owner}/{repo}/git/commits",
      "POST /repos/{owner}/{repo}/git/refs",
    ]);
    expect(await repo.ctx.github.refSha(`heads/${BRANCH}`)).toBe(sha);
    expect(await blobsOf(repo, BRANCH)).toEqual({
      "README.md": "# Demo\n",
      "src/app.ts": "export const a = 2;\n",
      "src/new.ts": "export const added = true;\n",
    });
    expect(await repo.ctx.github.commit(sha!)).toMatchObject({ message: "Fix the app (#4)" });
  });

  it("force-moves Orkestra's branch left by an earlier attempt (one more write)", async () => {
    const repo = await edited();
    const input = { issue: 4, base: repo.base, branch: BRANCH, message: "Fix the app (#4)", changes: repo.changes };
    await writeChanges(repo.ctx, input);
    repo.sandbox.clearRequests();
    const again = await writeChanges(repo.ctx, { ...input, message: "Fix the app, again (#4)", changes: repo.changes.slice(0, 1) });
    expect(writes(repo.sandbox)).toEqual([
      "POST /repos/{owner}/{repo}/git/blobs",
      "POST /repos/{owner}/{repo}/git/trees",
      "POST /repos/{owner}/{repo}/git/commits",
      "POST /repos/{owner}/{repo}/git/refs",
      "PATCH /repos/{owner}/{repo}/git/refs/{ref}",
    ]);
    expect(await repo.ctx.github.refSha(`heads/${BRANCH}`)).toBe(again);
  });

  it("writes nothing in a dry run, returns null and says what it would write", async () => {
    const repo = await edited(FILES, { dryRun: true });
    const sha = await writeChanges(repo.ctx, { issue: 4, base: repo.base, branch: BRANCH, message: "Fix the app (#4)", changes: repo.changes });
    expect(sha).toBeNull();
    expect(writes(repo.sandbox)).toEqual([]);
    expect(repo.ctx.report.actions).toEqual([
      "#4: store `src/app.ts` (20 bytes) — the agent's work on #4",
      "#4: store `src/new.ts` (27 bytes) — the agent's work on #4",
      expect.stringMatching(/^#4: make a tree with 2 file\(s\) changed, 1 deleted over [0-9a-f]{7} — /),
      expect.stringMatching(/^#4: make commit "Fix the app \(#4\)" over [0-9a-f]{7} and point `refs\/heads\/orkestra\/4-fix-the-app` at it — /),
    ]);
  });

  it("refuses a branch that is not Orkestra's for the issue, writing nothing", async () => {
    const repo = await edited();
    await expect(writeChanges(repo.ctx, { issue: 4, base: repo.base, branch: "main", message: "x", changes: repo.changes })).rejects.toThrow(
      "`main` is not Orkestra's branch for #4; nothing was written",
    );
    expect(writes(repo.sandbox)).toEqual([]);
  });
});

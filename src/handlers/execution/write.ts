/**
 * Writes an agent's checked change set to its branch, through effects only. The caller has run
 * `checkChanges` already; this decides nothing about the content.
 *
 * Requests: one blob per added or modified file, one tree over the base's (deletions as
 * `sha: null`, so no blob), one commit, one ref. Three changed files of which one is deleted:
 * 2 blobs + tree + commit + ref = 5 writes; three added or modified: 6. When the branch exists
 * already (a retry), the refused `create-ref` is followed by a forced `update-ref`: one more.
 * Nothing is read.
 */
import { bulkhead } from "cockatiel";
import { isOrkestraBranch } from "../../domain/execution/branch.js";
import type { FileChange } from "../../domain/execution/safe-outputs.js";
import type { TreeChange } from "../../github/port.js";
import type { RunContext } from "../../runtime/context.js";
import { blobSha } from "./workspace.js";

/** Blobs written at once; GitHub's secondary limits frown on bursts of concurrent writes. */
const BLOBS_AT_ONCE = 4;

interface WriteInput {
  /** The issue the work is for: the branch must be Orkestra's branch for it. */
  issue: number;
  /** The commit the agent started from, and its tree. */
  base: { sha: string; tree: string };
  /** `orkestra/<issue>-<slug>`, without `refs/heads/`. */
  branch: string;
  message: string;
  changes: readonly FileChange[];
}

/** Writes the changes as one commit on `branch` and returns its sha; null in a dry run, which writes nothing. */
export async function writeChanges(ctx: RunContext, input: WriteInput): Promise<string | null> {
  const { issue, base, branch, message, changes } = input;
  if (!isOrkestraBranch(branch, issue)) throw new Error(`\`${branch}\` is not Orkestra's branch for #${issue}; nothing was written`);
  if (changes.length === 0) throw new Error("there are no changes to write");
  const why = `the agent's work on #${issue}`;

  for (const change of changes) {
    if (change.kind === "delete") continue;
    if (change.content === null) throw new Error(`${change.path} has no content (run checkChanges first)`);
    if (change.mode !== "100644" && change.mode !== "100755") throw new Error(`${change.path}: mode ${change.mode} is never written`);
  }
  // Blobs do not depend on each other: a few at a time, so three files cost one round trip, not three.
  const limit = bulkhead(BLOBS_AT_ONCE, Infinity);
  const tree: TreeChange[] = await Promise.all(
    changes.map((change) =>
      change.kind === "delete" || change.content === null
        ? Promise.resolve({ path: change.path, sha: null })
        : limit.execute(async () => {
            const content = change.content!;
            const sha = await ctx.perform({ kind: "create-blob", issue, path: change.path, content, why });
            // In a dry run nothing is stored; git's own id of the content is what GitHub would answer.
            return { path: change.path, sha: sha ?? blobSha(content), mode: change.mode as "100644" | "100755" };
          }),
    ),
  );
  const treeSha = await ctx.perform({ kind: "create-tree", issue, baseTree: base.tree, changes: tree, why });
  const commit = treeSha === null ? null : await ctx.perform({ kind: "create-commit", issue, message, tree: treeSha, parents: [base.sha], why });
  if (commit === null) {
    ctx.skippedInDryRun(`#${issue}: make commit "${message.split("\n")[0]}" over ${base.sha.slice(0, 7)} and point \`refs/heads/${branch}\` at it — ${why}`);
    return null;
  }
  const ref = `heads/${branch}`;
  const created = await ctx.perform({ kind: "create-ref", issue, ref, sha: commit, why });
  // The branch exists: Orkestra's own from an earlier attempt, so it is moved, forced.
  if (created === false) await ctx.perform({ kind: "update-ref", issue, ref, sha: commit, why: `${why} (replacing the earlier attempt)` });
  return commit;
}

import { call, orNull, unless, wrapIterable } from "../errors.js";
import { GitHubError, type RefUpdate, type TreeChange, type TreeEntry, type TreeListing } from "../port.js";
import type { Connection } from "./client.js";

export async function branchSha({ octokit, repo }: Connection, branch: string): Promise<string> {
  const { data } = await call(octokit.rest.git.getRef({ ...repo, ref: `heads/${branch}` }));
  return data.object.sha;
}

export async function refSha({ octokit, repo }: Connection, ref: string): Promise<string | null> {
  const data = await orNull(octokit.rest.git.getRef({ ...repo, ref }));
  return data?.object.sha ?? null;
}

export async function commit({ octokit, repo }: Connection, sha: string): Promise<{ message: string; tree: string; date: string }> {
  const { data } = await call(octokit.rest.git.getCommit({ ...repo, commit_sha: sha }));
  return { message: data.message, tree: data.tree.sha, date: data.committer.date };
}

export async function* commitPages(
  { octokit, repo }: Connection,
  sha: string,
  window: { since?: string; until?: string },
): AsyncIterable<{ sha: string; message: string; date: string }[]> {
  const pages = octokit.paginate.iterator(octokit.rest.repos.listCommits, { ...repo, sha, ...window, per_page: 100 });
  for await (const page of wrapIterable(pages)) {
    yield page.data.map((item) => ({ sha: item.sha, message: item.commit.message, date: item.commit.committer?.date ?? "" }));
  }
}

export async function createCommit(
  { octokit, repo }: Connection,
  input: { message: string; tree: string; parents: string[] },
): Promise<string> {
  const { data } = await call(octokit.rest.git.createCommit({ ...repo, ...input }));
  return data.sha;
}

export async function fastForwardRef({ octokit, repo }: Connection, ref: string, sha: string): Promise<boolean> {
  // 422 "Update is not a fast forward": someone moved the ref first. Other 422s (a refused workflow change) are failures.
  const moved = await unless(octokit.rest.git.updateRef({ ...repo, ref, sha, force: false }), [{ status: 422, message: /not a fast.forward/i }]);
  return moved !== undefined;
}

const UPDATE_REFS = `mutation($repositoryId: ID!, $refUpdates: [RefUpdate!]!) {
  updateRefs(input: { repositoryId: $repositoryId, refUpdates: $refUpdates }) { clientMutationId }
}`;
const ZERO_OID = "0".repeat(40);

export async function updateRefs({ octokit }: Connection, repositoryId: string, updates: readonly RefUpdate[]): Promise<void> {
  const refUpdates = updates.map(({ ref, before, after, force }) => ({
    name: `refs/${ref}`,
    afterOid: after,
    ...(before === undefined ? {} : { beforeOid: before ?? ZERO_OID }),
    force: force ?? false,
  }));
  await call(octokit.graphql(UPDATE_REFS, { repositoryId, refUpdates }));
}

export async function forceUpdateRef({ octokit, repo }: Connection, ref: string, sha: string): Promise<void> {
  await call(octokit.rest.git.updateRef({ ...repo, ref, sha, force: true }));
}

/** 422s GitHub gives a ref write that may succeed when tried again: a lost race inside GitHub, a commit not yet visible. */
const TRANSIENT_REF_FAILURE = /Reference update failed|Object does not exist/i;
const REF_ATTEMPTS = 4;

/**
 * Creates a ref; false only when another writer's ref is there ("Reference already exists" with
 * another sha). The same sha there is this very write, made by an earlier try whose answer was lost
 * (a 5xx the retry plugin retried). Transient 422s are tried again after a jittered pause; other
 * 422s (a refused workflow change) are failures.
 */
export async function createRef(connection: Connection, ref: string, sha: string, pause: (ms: number) => Promise<void> = defaultPause): Promise<boolean> {
  const { octokit, repo } = connection;
  for (let attempt = 1; ; attempt++) {
    try {
      await call(octokit.rest.git.createRef({ ...repo, ref: `refs/${ref}`, sha }));
      return true;
    } catch (failure) {
      if (!(failure instanceof GitHubError) || failure.status !== 422) throw failure;
      if (/already exists/i.test(failure.message)) return (await refSha(connection, ref)) === sha;
      if (!TRANSIENT_REF_FAILURE.test(failure.message) || attempt >= REF_ATTEMPTS) throw failure;
      await pause(100 * 2 ** attempt * (0.5 + Math.random()));
    }
  }
}

const defaultPause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function deleteRef({ octokit, repo }: Connection, ref: string): Promise<void> {
  // 422 "Reference does not exist" and 404 both mean it is already gone.
  await unless(octokit.rest.git.deleteRef({ ...repo, ref }), [404, 422]);
}

export async function matchingRefs({ octokit, repo }: Connection, prefix: string): Promise<{ ref: string; sha: string }[]> {
  const { data } = await call(octokit.rest.git.listMatchingRefs({ ...repo, ref: prefix.replace(/\/$/, "") }));
  return data.map((ref) => ({ ref: ref.ref.replace(/^refs\//, ""), sha: ref.object.sha })).filter((ref) => ref.ref.startsWith(prefix));
}

export async function getFile({ octokit, repo }: Connection, path: string, ref?: string): Promise<string | null> {
  const data = await orNull(octokit.rest.repos.getContent({ ...repo, path, ...(ref ? { ref } : {}) }));
  if (!data || Array.isArray(data) || data.type !== "file" || !("content" in data)) return null;
  return Buffer.from(data.content, "base64").toString("utf8");
}

const TREE_TYPES: Record<string, TreeEntry["type"]> = { "040000": "tree", "160000": "commit" };

export async function listTree({ octokit, repo }: Connection, ref: string): Promise<TreeListing> {
  const { data } = await call(octokit.rest.git.getTree({ ...repo, tree_sha: ref, recursive: "1" }));
  const entries = data.tree.map(
    (entry): TreeEntry => ({
      path: entry.path,
      mode: entry.mode,
      type: TREE_TYPES[entry.mode] ?? "blob",
      sha: entry.sha,
      ...(entry.size === undefined ? {} : { size: entry.size }),
    }),
  );
  return { sha: data.sha, entries, truncated: data.truncated };
}

export async function getBlob({ octokit, repo }: Connection, sha: string): Promise<Uint8Array | null> {
  const data = await orNull(octokit.rest.git.getBlob({ ...repo, file_sha: sha }));
  if (!data) return null;
  return Buffer.from(data.content, data.encoding === "base64" ? "base64" : "utf8");
}

export async function createBlob({ octokit, repo }: Connection, content: string | Uint8Array): Promise<string> {
  const body = typeof content === "string" ? { content, encoding: "utf-8" } : { content: Buffer.from(content).toString("base64"), encoding: "base64" };
  const { data } = await call(octokit.rest.git.createBlob({ ...repo, ...body }));
  return data.sha;
}

const TYPE_OF_MODE = { "100644": "blob", "100755": "blob", "120000": "blob", "040000": "tree", "160000": "commit" } as const;

export async function createTree({ octokit, repo }: Connection, changes: TreeChange[], baseTree?: string): Promise<string> {
  const tree = changes.map((change) => {
    const mode = change.mode ?? "100644";
    if ("content" in change) return { path: change.path, mode, type: "blob" as const, content: change.content };
    return { path: change.path, mode, type: TYPE_OF_MODE[mode], sha: change.sha };
  });
  const { data } = await call(octokit.rest.git.createTree({ ...repo, tree, ...(baseTree ? { base_tree: baseTree } : {}) }));
  return data.sha;
}

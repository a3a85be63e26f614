import { call, orNull, unless } from "../errors.js";
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

export async function createCommit(
  { octokit, repo }: Connection,
  input: { message: string; tree: string; parents: string[] },
): Promise<string> {
  const { data } = await call(octokit.rest.git.createCommit({ ...repo, ...input }));
  return data.sha;
}

export async function fastForwardRef({ octokit, repo }: Connection, ref: string, sha: string): Promise<boolean> {
  // 422: not a fast-forward (someone moved the ref first).
  return (await unless(octokit.rest.git.updateRef({ ...repo, ref, sha, force: false }), [422])) !== undefined;
}

export async function createRef({ octokit, repo }: Connection, ref: string, sha: string): Promise<boolean> {
  // 422: "Reference already exists" — another claimer was first.
  return (await unless(octokit.rest.git.createRef({ ...repo, ref: `refs/${ref}`, sha }), [422])) !== undefined;
}

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

import { ApiError, isApiError, json, noContent, notFound, type ApiResponse } from "../http.js";
import { createBlob, createRef, createTree, updateRef } from "../ops/git.js";
import { NEEDS } from "../permissions.js";
import type { Route, RouteContext } from "../router.js";
import { blobShape, commitShape, refShape, treeEntryShape, treeShape } from "../shapes/git.js";
import { objectBody, respond } from "./respond.js";

/**
 * The Git Data API: blobs, trees, commits and refs. Creating an existing ref is a 422, and
 * moving a ref without `force` must be a fast-forward, so exactly one of two racing writers wins.
 */

const COMMIT_DOCS = "https://docs.github.com/rest/git/commits#create-a-commit";
const DELETE_REF_DOCS = "https://docs.github.com/rest/git/refs#delete-a-reference";

function fullRef(ref: string): string {
  return ref.startsWith("refs/") ? ref : `refs/${ref}`;
}

function getRef(ctx: RouteContext): ApiResponse {
  const ref = fullRef(ctx.params.ref!);
  const sha = ctx.store.git.refs.get(ref);
  return sha ? json(200, refShape(ctx.shapes, ref, sha)) : notFound().toResponse();
}

function matchingRefs(ctx: RouteContext): ApiResponse {
  const prefix = fullRef(ctx.params.ref!);
  const refs = [...ctx.store.git.refs.entries()]
    .filter(([name]) => name.startsWith(prefix))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, sha]) => refShape(ctx.shapes, name, sha));
  return json(200, refs);
}

function deleteRef(ctx: RouteContext): ApiResponse {
  const ref = fullRef(ctx.params.ref!);
  if (!ctx.store.git.refs.delete(ref)) return new ApiError(422, "Reference does not exist", undefined, DELETE_REF_DOCS).toResponse();
  return noContent();
}

function createCommit(ctx: RouteContext): ApiResponse {
  const { message, tree, parents = [] } = objectBody(ctx.body);
  const git = ctx.store.git;
  const refuse = (text: string) => new ApiError(422, text, undefined, COMMIT_DOCS).toResponse();
  if (typeof message !== "string") return refuse("Invalid request: message is missing");
  if (typeof tree !== "string" || !git.trees.has(tree)) return refuse("Tree SHA does not exist");
  if (!Array.isArray(parents) || !parents.every((p): p is string => typeof p === "string" && git.commits.has(p))) {
    return refuse("Parent SHA does not exist or is not a commit object");
  }
  return json(201, commitShape(ctx.shapes, git.writeCommit({ treeSha: tree, parents, message })));
}

function getCommit(ctx: RouteContext): ApiResponse {
  const commit = ctx.store.git.commits.get(ctx.params.commit_sha!);
  return commit ? json(200, commitShape(ctx.shapes, commit)) : notFound().toResponse();
}

function getBlob(ctx: RouteContext): ApiResponse {
  const sha = ctx.params.file_sha!;
  const content = ctx.store.git.blobs.get(sha);
  return content ? json(200, blobShape(ctx.shapes, sha, content)) : notFound().toResponse();
}

/**
 * GET …/git/trees/{tree_sha}: a tree by its sha, or the tree of a commit or branch. With
 * `recursive` (any value) every entry below it, depth first in git's order, cut off with
 * `truncated: true` past GitHub's limits (100,000 entries or 7 MB; lowered by `treeLimits`).
 */
function getTree(ctx: RouteContext): ApiResponse {
  const git = ctx.store.git;
  const asked = ctx.params.tree_sha!;
  const commit = git.trees.has(asked) ? undefined : git.resolve(asked);
  const sha = commit === undefined ? asked : git.commits.get(commit)!.treeSha;
  if (!git.itemsOf(sha)) return notFound().toResponse();
  const recursive = ctx.query.has("recursive");
  const { entries: maxEntries, bytes: maxBytes } = ctx.store.limits.tree;
  const entries: Record<string, unknown>[] = [];
  let bytes = 0;
  let truncated = false;
  const walk = (treeSha: string, prefix: string): void => {
    for (const item of git.itemsOf(treeSha) ?? []) {
      if (truncated) return;
      const entry = treeEntryShape(ctx.shapes, `${prefix}${item.name}`, item);
      bytes += JSON.stringify(entry).length + 1;
      if (recursive && (entries.length >= maxEntries || bytes > maxBytes)) {
        truncated = true;
        return;
      }
      entries.push(entry);
      if (recursive && item.type === "tree") walk(item.sha, `${prefix}${item.name}/`);
    }
  };
  walk(sha, "");
  return json(200, treeShape(ctx.shapes, sha, entries, truncated));
}

/** The tree as POST …/git/trees answers it: its top-level entries. */
function createdTree(ctx: RouteContext, sha: string): Record<string, unknown> {
  const entries = (ctx.store.git.itemsOf(sha) ?? []).map((item) => treeEntryShape(ctx.shapes, item.name, item));
  return treeShape(ctx.shapes, sha, entries, false);
}

const repo = "/repos/{owner}/{repo}/git";

export const gitRoutes: Route[] = [
  {
    method: "POST",
    path: `${repo}/refs`,
    need: NEEDS.writeContents,
    handler: (ctx) => respond(createRef(ctx.op, objectBody(ctx.body)), 201, ({ ref, sha }) => refShape(ctx.shapes, ref, sha)),
  },
  { method: "GET", path: `${repo}/ref/{ref}`, tail: true, need: NEEDS.readContents, handler: getRef },
  { method: "GET", path: `${repo}/matching-refs/{ref}`, tail: true, need: NEEDS.readContents, handler: matchingRefs },
  {
    method: "PATCH",
    path: `${repo}/refs/{ref}`,
    tail: true,
    need: NEEDS.writeContents,
    handler: (ctx) => respond(updateRef(ctx.op, ctx.params.ref!, objectBody(ctx.body)), 200, ({ ref, sha }) => refShape(ctx.shapes, ref, sha)),
  },
  { method: "DELETE", path: `${repo}/refs/{ref}`, tail: true, need: NEEDS.writeContents, handler: deleteRef },
  { method: "POST", path: `${repo}/commits`, need: NEEDS.writeContents, handler: createCommit },
  { method: "GET", path: `${repo}/commits/{commit_sha}`, need: NEEDS.readContents, handler: getCommit },
  {
    method: "POST",
    path: `${repo}/blobs`,
    need: NEEDS.writeContents,
    handler: (ctx) => {
      const sha = createBlob(ctx.op, objectBody(ctx.body));
      if (isApiError(sha)) return sha.toResponse();
      const url = `${ctx.shapes.api}/repos/${ctx.store.repo.owner}/${ctx.store.repo.name}/git/blobs/${sha}`;
      return json(201, { sha, url }, { location: url });
    },
  },
  { method: "GET", path: `${repo}/blobs/{file_sha}`, need: NEEDS.readContents, handler: getBlob },
  {
    method: "POST",
    path: `${repo}/trees`,
    need: NEEDS.writeContents,
    handler: (ctx) => respond(createTree(ctx.op, objectBody(ctx.body)), 201, (sha) => createdTree(ctx, sha)),
  },
  { method: "GET", path: `${repo}/trees/{tree_sha}`, tail: true, need: NEEDS.readContents, handler: getTree },
];

import { json, noContent, notFound, unprocessable, type ApiResponse } from "../http.js";
import { NEEDS } from "../permissions.js";
import type { Route, RouteContext } from "../router.js";
import { commitShape, refShape } from "../shapes/git.js";
import { objectBody } from "./respond.js";

/**
 * Git refs and commits: the compare-and-set GitHub offers. Creating an existing ref is a 422, and
 * moving a ref without `force` must be a fast-forward, so exactly one of two racing writers wins.
 */

function fullRef(ref: string): string {
  return ref.startsWith("refs/") ? ref : `refs/${ref}`;
}

function createRef(ctx: RouteContext): ApiResponse {
  const { ref, sha } = objectBody(ctx.body);
  if (typeof ref !== "string" || !/^refs\/[^/]+\/.+/.test(ref)) return unprocessable("Reference name is invalid").toResponse();
  if (typeof sha !== "string" || !ctx.store.git.commits.has(sha)) return unprocessable("Object does not exist").toResponse();
  if (ctx.store.git.refs.has(ref)) return unprocessable("Reference already exists").toResponse();
  ctx.store.git.refs.set(ref, sha);
  return json(201, refShape(ctx.shapes, ref, sha));
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

function updateRef(ctx: RouteContext): ApiResponse {
  const ref = fullRef(ctx.params.ref!);
  const { sha, force } = objectBody(ctx.body);
  const current = ctx.store.git.refs.get(ref);
  if (!current) return unprocessable("Reference does not exist").toResponse();
  if (typeof sha !== "string" || !ctx.store.git.commits.has(sha)) return unprocessable("Object does not exist").toResponse();
  if (force !== true && !ctx.store.git.isAncestor(current, sha)) return unprocessable("Update is not a fast forward").toResponse();
  ctx.store.git.refs.set(ref, sha);
  return json(200, refShape(ctx.shapes, ref, sha));
}

function deleteRef(ctx: RouteContext): ApiResponse {
  const ref = fullRef(ctx.params.ref!);
  if (!ctx.store.git.refs.delete(ref)) return unprocessable("Reference does not exist").toResponse();
  return noContent();
}

function createCommit(ctx: RouteContext): ApiResponse {
  const { message, tree, parents = [] } = objectBody(ctx.body);
  const git = ctx.store.git;
  if (typeof message !== "string") return unprocessable("Invalid request: message is missing").toResponse();
  if (typeof tree !== "string" || !git.trees.has(tree)) return unprocessable("Tree SHA does not exist").toResponse();
  if (!Array.isArray(parents) || !parents.every((p): p is string => typeof p === "string" && git.commits.has(p))) {
    return unprocessable("Parent SHA does not exist or is not a commit object").toResponse();
  }
  return json(201, commitShape(ctx.shapes, git.writeCommit({ treeSha: tree, parents, message })));
}

function getCommit(ctx: RouteContext): ApiResponse {
  const commit = ctx.store.git.commits.get(ctx.params.commit_sha!);
  return commit ? json(200, commitShape(ctx.shapes, commit)) : notFound().toResponse();
}

const repo = "/repos/{owner}/{repo}/git";

export const gitRoutes: Route[] = [
  { method: "POST", path: `${repo}/refs`, need: NEEDS.writeContents, handler: createRef },
  { method: "GET", path: `${repo}/ref/{ref}`, tail: true, need: NEEDS.readContents, handler: getRef },
  { method: "GET", path: `${repo}/matching-refs/{ref}`, tail: true, need: NEEDS.readContents, handler: matchingRefs },
  { method: "PATCH", path: `${repo}/refs/{ref}`, tail: true, need: NEEDS.writeContents, handler: updateRef },
  { method: "DELETE", path: `${repo}/refs/{ref}`, tail: true, need: NEEDS.writeContents, handler: deleteRef },
  { method: "POST", path: `${repo}/commits`, need: NEEDS.writeContents, handler: createCommit },
  { method: "GET", path: `${repo}/commits/{commit_sha}`, need: NEEDS.readContents, handler: getCommit },
];

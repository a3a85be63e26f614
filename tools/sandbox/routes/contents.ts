import { json, notFound, type ApiResponse } from "../http.js";
import { normalisePath, type FlatTree } from "../git.js";
import { NEEDS } from "../permissions.js";
import type { Route, RouteContext } from "../router.js";
import { contentEntryShape, contentFileShape } from "../shapes/git.js";

/** GET a file (base64 JSON, or raw text with the raw media type) or a directory listing. */
function getContent(ctx: RouteContext): ApiResponse {
  const { store, shapes } = ctx;
  const ref = ctx.query.get("ref") ?? store.repo.defaultBranch;
  const commit = store.git.resolve(ref);
  const tree = commit ? store.git.treeOf(commit) : undefined;
  if (!tree) return notFound("No commit found for the ref " + ref).toResponse();
  const path = normalisePath(ctx.params.path ?? "");
  const blobSha = tree.get(path)?.sha;
  if (blobSha !== undefined) {
    const content = store.git.blobText(blobSha) ?? "";
    if (wantsRaw(ctx.headers.accept)) {
      return { status: 200, raw: { contentType: "application/vnd.github.raw; charset=utf-8", text: content } };
    }
    return json(200, contentFileShape(shapes, path, blobSha, content, ref));
  }
  const entries = directoryEntries(tree, path);
  if (entries.length === 0) return notFound().toResponse();
  return json(
    200,
    entries.map((entry) => contentEntryShape(shapes, entry, ref)),
  );
}

function wantsRaw(accept: string | undefined): boolean {
  return /application\/vnd\.github(\.v3)?\.raw/.test(accept ?? "");
}

function directoryEntries(tree: FlatTree, dir: string) {
  const prefix = dir === "" ? "" : `${dir}/`;
  const seen = new Map<string, { path: string; sha: string; size: number; type: "file" | "dir" }>();
  for (const [path, { sha }] of tree) {
    if (!path.startsWith(prefix)) continue;
    const [name, ...rest] = path.slice(prefix.length).split("/");
    if (!name || seen.has(name)) continue;
    seen.set(name, rest.length === 0 ? { path, sha, size: 0, type: "file" } : { path: `${prefix}${name}`, sha: "", size: 0, type: "dir" });
  }
  return [...seen.values()].sort((a, b) => a.path.localeCompare(b.path));
}

export const contentsRoutes: Route[] = [
  { method: "GET", path: "/repos/{owner}/{repo}/contents/{path}", tail: true, need: NEEDS.readContents, handler: getContent },
];

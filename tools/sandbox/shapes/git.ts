import type { CommitRecord, TreeItem } from "../git.js";
import { legacyNodeId } from "../ids.js";
import { repoApi, repoHtml, type ShapeContext } from "./context.js";

/** `git-ref`; `ref` is the full name, e.g. "refs/heads/main". */
export function refShape(ctx: ShapeContext, ref: string, sha: string): Record<string, unknown> {
  return {
    ref,
    node_id: Buffer.from(`REF_${ref}`).toString("base64"),
    url: `${repoApi(ctx)}/git/${ref}`,
    object: { type: "commit", sha, url: `${repoApi(ctx)}/git/commits/${sha}` },
  };
}

/** `git-commit`. The sandbox's commits have no real author; the bot's identity stands in. */
export function commitShape(ctx: ShapeContext, commit: CommitRecord): Record<string, unknown> {
  const person = { name: "sandbox", email: "sandbox@users.noreply.github.com", date: commit.date };
  return {
    sha: commit.sha,
    node_id: legacyNodeId("Commit", parseInt(commit.sha.slice(0, 8), 16)),
    url: `${repoApi(ctx)}/git/commits/${commit.sha}`,
    html_url: `${repoHtml(ctx)}/commit/${commit.sha}`,
    author: person,
    committer: person,
    message: commit.message,
    tree: { sha: commit.treeSha, url: `${repoApi(ctx)}/git/trees/${commit.treeSha}` },
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${repoApi(ctx)}/git/commits/${sha}`,
      html_url: `${repoHtml(ctx)}/commit/${sha}`,
    })),
    verification: { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null },
  };
}

interface ContentEntry {
  path: string;
  sha: string;
  size: number;
  type: "file" | "dir";
}

/** One entry of a directory listing (`content-directory` item). */
export function contentEntryShape(ctx: ShapeContext, entry: ContentEntry, ref: string): Record<string, unknown> {
  const encodedPath = entry.path.split("/").map(encodeURIComponent).join("/");
  const self = `${repoApi(ctx)}/contents/${encodedPath}?ref=${encodeURIComponent(ref)}`;
  const html = `${repoHtml(ctx)}/${entry.type === "file" ? "blob" : "tree"}/${ref}/${encodedPath}`;
  const git = `${repoApi(ctx)}/git/${entry.type === "file" ? "blobs" : "trees"}/${entry.sha}`;
  return {
    type: entry.type,
    size: entry.size,
    name: entry.path.split("/").pop() ?? entry.path,
    path: entry.path,
    sha: entry.sha,
    url: self,
    git_url: git,
    html_url: html,
    download_url: entry.type === "file" ? `${ctx.html}/raw/${ctx.store.repo.owner}/${ctx.store.repo.name}/${ref}/${encodedPath}` : null,
    _links: { self, git, html },
  };
}

/** `content-file`: base64 content wrapped at 60 characters, as GitHub sends it. */
export function contentFileShape(ctx: ShapeContext, path: string, sha: string, content: string, ref: string): Record<string, unknown> {
  const bytes = Buffer.from(content, "utf8");
  const base64 = bytes.toString("base64").replace(/(.{60})/g, "$1\n");
  return {
    ...contentEntryShape(ctx, { path, sha, size: bytes.length, type: "file" }, ref),
    content: base64.endsWith("\n") ? base64 : `${base64}\n`,
    encoding: "base64",
  };
}

/** `blob`: GET …/git/blobs/{file_sha}, the content in base64 wrapped at 60 characters. */
export function blobShape(ctx: ShapeContext, sha: string, content: Buffer): Record<string, unknown> {
  const base64 = content.toString("base64").replace(/(.{60})/g, "$1\n");
  return {
    sha,
    node_id: Buffer.from(`04:Blob${sha}`).toString("base64"),
    size: content.length,
    url: `${repoApi(ctx)}/git/blobs/${sha}`,
    content: base64.endsWith("\n") || base64 === "" ? base64 : `${base64}\n`,
    encoding: "base64",
  };
}

/** One entry of `git-tree`: its path from the listed tree, and for blobs their size. */
export function treeEntryShape(ctx: ShapeContext, path: string, item: TreeItem): Record<string, unknown> {
  const shape: Record<string, unknown> = { path, mode: item.mode, type: item.type, sha: item.sha };
  if (item.type === "blob") {
    shape.size = ctx.store.git.blobs.get(item.sha)?.length ?? 0;
    shape.url = `${repoApi(ctx)}/git/blobs/${item.sha}`;
  } else if (item.type === "tree") {
    shape.url = `${repoApi(ctx)}/git/trees/${item.sha}`;
  }
  return shape;
}

export function treeShape(ctx: ShapeContext, sha: string, entries: Record<string, unknown>[], truncated: boolean): Record<string, unknown> {
  return { sha, url: `${repoApi(ctx)}/git/trees/${sha}`, tree: entries, truncated };
}

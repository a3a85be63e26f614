import { ApiError, validationFailed, type Result } from "../http.js";
import { workflowChange, type FlatTree, type LeafMode, type TreeEntry } from "../git.js";
import type { OpContext } from "./context.js";
import { followHeadBranch } from "./pulls.js";
import { triggerWorkflows } from "./workflows.js";

/**
 * The Git Data API: blobs, trees and the refs that make commits reachable. GitHub Apps without
 * the `workflows` permission (and a GITHUB_TOKEN, which can never have it) may not change
 * `.github/workflows/`: a tree that changes it (from its base_tree, else from the default
 * branch's) is refused (403), and so is a ref that would bring in commits that change it (422,
 * the refusal a `git push` gets) — a commit compared with its parents, a root commit with the
 * default branch, so a parentless commit of the default branch's tree (the usage record) passes.
 */

const DOCS = {
  blob: "https://docs.github.com/rest/git/blobs#create-a-blob",
  tree: "https://docs.github.com/rest/git/trees#create-a-tree",
  createRef: "https://docs.github.com/rest/git/refs#create-a-reference",
  updateRef: "https://docs.github.com/rest/git/refs#update-a-reference",
};

const refusal = (message: string, docs: string) => new ApiError(422, message, undefined, docs);

/** People may; an installation only with `workflows: write`; a GITHUB_TOKEN never. */
function mayChangeWorkflows(ctx: OpContext): boolean {
  if (ctx.actor.kind === "person") return true;
  return ctx.actor.kind === "installation" && ctx.store.app.permissions.workflows === "write";
}

export function createBlob(ctx: OpContext, input: { content?: unknown; encoding?: unknown }): Result<string> {
  const encoding = input.encoding ?? "utf-8";
  if (encoding !== "utf-8" && encoding !== "utf8" && encoding !== "base64") {
    return validationFailed({ resource: "Blob", code: "invalid", field: "encoding" });
  }
  const content = typeof input.content === "string" ? input.content : "";
  return ctx.store.git.writeBlob(encoding === "base64" ? Buffer.from(content, "base64") : Buffer.from(content, "utf8"));
}

/** One item of POST …/git/trees (its types were checked against GitHub's schema). */
interface TreeChange {
  path?: string;
  mode?: LeafMode | "040000";
  type?: "blob" | "tree" | "commit";
  sha?: string | null;
  content?: string;
}

const TYPE_OF_MODE: Record<NonNullable<TreeChange["mode"]>, NonNullable<TreeChange["type"]>> = {
  "100644": "blob",
  "100755": "blob",
  "120000": "blob",
  "040000": "tree",
  "160000": "commit",
};

function malformed(path: string): boolean {
  return path === "" || path.split("/").some((part) => part === "" || part === "." || part === ".." || part.toLowerCase() === ".git");
}

/** Removes whatever is at `path`: the leaf, everything under it, and leaves where its parent directories go. */
function clear(entries: Map<string, TreeEntry>, path: string): void {
  for (const key of [...entries.keys()]) if (key === path || key.startsWith(`${path}/`)) entries.delete(key);
  const parts = path.split("/");
  for (let depth = 1; depth < parts.length; depth += 1) entries.delete(parts.slice(0, depth).join("/"));
}

/** Applies one change; an ApiError when GitHub would refuse it. */
function applyChange(ctx: OpContext, entries: Map<string, TreeEntry>, change: TreeChange): ApiError | undefined {
  const git = ctx.store.git;
  const path = change.path ?? "";
  if (malformed(path)) return refusal("tree.path contains a malformed path component", DOCS.tree);
  const hasSha = change.sha !== undefined;
  if (hasSha === (change.content !== undefined)) {
    return refusal("Must supply either tree.sha or tree.content. Request will be rejected if both are present.", DOCS.tree);
  }
  if (change.sha === null) {
    const present = [...entries.keys()].some((key) => key === path || key.startsWith(`${path}/`));
    if (!present) return refusal("GitRPC::BadObjectState", DOCS.tree);
    clear(entries, path);
    return undefined;
  }
  const mode = change.mode;
  const type = change.type ?? (mode ? TYPE_OF_MODE[mode] : undefined);
  if (!mode || TYPE_OF_MODE[mode] !== type || (change.content !== undefined && type !== "blob")) return refusal("Invalid tree info", DOCS.tree);
  if (change.content !== undefined) {
    clear(entries, path);
    entries.set(path, { mode: mode as LeafMode, sha: git.writeBlob(change.content) });
    return undefined;
  }
  const sha = change.sha!;
  if (type === "tree") {
    const subtree = git.trees.get(sha);
    if (!subtree) return refusal(`tree.sha ${sha} is not a valid tree`, DOCS.tree);
    clear(entries, path);
    for (const [sub, entry] of subtree) entries.set(`${path}/${sub}`, entry);
    return undefined;
  }
  // A submodule's commit lives in another repository: any object id will do.
  if (type === "blob" ? !git.blobs.has(sha) : !/^[0-9a-f]{40}$/.test(sha)) return refusal(`tree.sha ${sha} is not a valid ${type}`, DOCS.tree);
  clear(entries, path);
  entries.set(path, { mode: mode as LeafMode, sha });
  return undefined;
}

/** POST …/git/trees: `tree` applied in order over `base_tree` (or over nothing). */
export function createTree(ctx: OpContext, input: { tree?: TreeChange[]; base_tree?: string }): Result<string> {
  const git = ctx.store.git;
  let base: FlatTree = new Map();
  if (input.base_tree !== undefined) {
    const tree = git.trees.get(input.base_tree);
    if (!tree) return refusal("base_tree is not a valid tree oid", DOCS.tree);
    base = tree;
  }
  const entries = new Map(base);
  // Without base_tree, workflow files count as changed when they differ from the default branch's.
  const reference = input.base_tree === undefined ? defaultBranchTree(ctx) : base;
  for (const change of input.tree ?? []) {
    const refused = applyChange(ctx, entries, change);
    if (refused) return refused;
  }
  if (!mayChangeWorkflows(ctx) && workflowChange(reference, entries)) return new ApiError(403, "Resource not accessible by integration", undefined, DOCS.tree);
  return git.writeTree(entries);
}

function fullRef(ref: string): string {
  return ref.startsWith("refs/") ? ref : `refs/${ref}`;
}

/** The default branch's tree: what content without a parent (a root commit, a tree without base_tree) is compared with. */
function defaultBranchTree(ctx: OpContext): FlatTree {
  const tip = ctx.store.git.refs.get(`refs/heads/${ctx.store.repo.defaultBranch}`);
  return (tip === undefined ? undefined : ctx.store.git.treeOf(tip)) ?? new Map();
}

/** The refusal a push of `sha` gets when it brings in a workflow change the actor may not make. */
function workflowRefusal(ctx: OpContext, sha: string, docs: string): ApiError | undefined {
  if (mayChangeWorkflows(ctx)) return undefined;
  // A commit without a parent creates every file it holds, workflows included.
  const changed = ctx.store.git.workflowChangeBroughtIn(sha, new Map());
  return changed ? refusal(`refusing to allow a GitHub App to create or update workflow \`${changed}\` without \`workflows\` permission`, docs) : undefined;
}

/** A branch moved: its pull requests follow, and its push runs workflows. */
function branchMoved(ctx: OpContext, ref: string, sha: string): void {
  if (!ref.startsWith("refs/heads/")) return;
  const branch = ref.slice("refs/heads/".length);
  followHeadBranch(ctx, branch, sha);
  triggerWorkflows(ctx, "push", { sha, branch });
}

/** POST …/git/refs: GitHub's compare-and-set, 422 "Reference already exists". */
export function createRef(ctx: OpContext, input: { ref?: unknown; sha?: unknown }): Result<{ ref: string; sha: string }> {
  const { ref, sha } = input;
  const git = ctx.store.git;
  if (typeof ref !== "string" || !/^refs\/[^/]+\/.+/.test(ref)) return refusal("Reference name is invalid", DOCS.createRef);
  if (typeof sha !== "string" || !git.commits.has(sha)) return refusal("Object does not exist", DOCS.createRef);
  if (git.refs.has(ref)) return refusal("Reference already exists", DOCS.createRef);
  const refused = workflowRefusal(ctx, sha, DOCS.createRef);
  if (refused) return refused;
  git.refs.set(ref, sha);
  branchMoved(ctx, ref, sha);
  return { ref, sha };
}

/** PATCH …/git/refs/{ref}: a fast-forward, or anywhere with `force`. */
export function updateRef(ctx: OpContext, name: string, input: { sha?: unknown; force?: unknown }): Result<{ ref: string; sha: string }> {
  const ref = fullRef(name);
  const git = ctx.store.git;
  const current = git.refs.get(ref);
  if (!current) return refusal("Reference does not exist", DOCS.updateRef);
  const { sha, force } = input;
  if (typeof sha !== "string" || !git.commits.has(sha)) return refusal("Object does not exist", DOCS.updateRef);
  if (force !== true && !git.isAncestor(current, sha)) return refusal("Update is not a fast forward", DOCS.updateRef);
  const refused = workflowRefusal(ctx, sha, DOCS.updateRef);
  if (refused) return refused;
  git.refs.set(ref, sha);
  if (sha !== current) branchMoved(ctx, ref, sha);
  return { ref, sha };
}

/** One item of GraphQL `updateRefs`' `refUpdates`. */
export interface RefUpdateInput {
  name: string;
  afterOid: string;
  beforeOid?: string | null;
  force?: boolean | null;
}

const ZERO_OID = "0".repeat(40);

/**
 * GraphQL `updateRefs`: every update is checked first — `beforeOid` must be where the ref is
 * (all zeros: it must not exist), a move without `force` must be a fast-forward, the commit must
 * exist and bring in no workflow change the actor may not make — and then all are applied, or none.
 * An all-zeros `afterOid` deletes the ref.
 */
export function updateRefs(ctx: OpContext, updates: readonly RefUpdateInput[]): { ok: true } | { ok: false; message: string } {
  const git = ctx.store.git;
  for (const update of updates) {
    const { name, afterOid, beforeOid, force } = update;
    if (!/^refs\/[^/]+\/.+/.test(name)) return { ok: false, message: `Invalid ref name: ${name}` };
    const current = git.refs.get(name);
    if (beforeOid !== undefined && beforeOid !== null && (beforeOid === ZERO_OID ? current !== undefined : current !== beforeOid)) {
      return { ok: false, message: `Ref ${name} was expected to be at ${beforeOid === ZERO_OID ? "nothing" : beforeOid} but is at ${current ?? "nothing"}` };
    }
    if (afterOid === ZERO_OID) continue;
    if (!git.commits.has(afterOid)) return { ok: false, message: `Could not resolve object ${afterOid}` };
    if (current !== undefined && force !== true && !git.isAncestor(current, afterOid)) return { ok: false, message: `Update of ${name} is not a fast forward` };
    const refused = workflowRefusal(ctx, afterOid, DOCS.updateRef);
    if (refused) return { ok: false, message: refused.message };
  }
  for (const { name, afterOid } of updates) {
    const before = git.refs.get(name);
    if (afterOid === ZERO_OID) git.refs.delete(name);
    else {
      git.refs.set(name, afterOid);
      if (afterOid !== before) branchMoved(ctx, name, afterOid);
    }
  }
  return { ok: true };
}
import { gitBlobSha, sha1 } from "./ids.js";

/** Just enough of git for contents, the Git Data API and compare-and-set on refs: blobs, trees, commits, refs. */
export interface CommitRecord {
  sha: string;
  treeSha: string;
  parents: string[];
  message: string;
  date: string;
  /** The login of who wrote it (pull request commits); the sandbox's own commits have none. */
  author?: string;
}

/** A tree entry that is not a directory: a file (regular, executable, symlink) or a submodule's commit. */
export type LeafMode = "100644" | "100755" | "120000" | "160000";

export interface TreeEntry {
  mode: LeafMode;
  sha: string;
}

/** A tree with its subtrees flattened: path → leaf. Directories are implied by paths (git keeps no empty ones). */
export type FlatTree = ReadonlyMap<string, TreeEntry>;

/** One entry of a tree object as git stores it: a leaf, or a subtree (mode 040000). */
export interface TreeItem {
  name: string;
  mode: LeafMode | "040000";
  type: "blob" | "tree" | "commit";
  sha: string;
}

/** Where GitHub Actions looks for workflow files. */
export const WORKFLOWS_DIR = ".github/workflows/";

export class GitStore {
  /** Blob contents by sha, as bytes (files the API wrote in base64 need not be text). */
  readonly blobs = new Map<string, Buffer>();
  /** Every tree by sha, subtrees included, each flattened relative to itself. */
  readonly trees = new Map<string, FlatTree>();
  /** The direct entries of each tree, in git's order. */
  private readonly items = new Map<string, TreeItem[]>();
  readonly commits = new Map<string, CommitRecord>();
  /** Full ref name ("refs/heads/main") to commit sha. */
  readonly refs = new Map<string, string>();

  constructor(private readonly now: () => string) {
    // Git knows the empty tree in every repository without storing it (4b825dc…), and so does GitHub's API.
    this.writeTree(new Map());
  }

  writeBlob(content: string | Buffer): string {
    const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
    const sha = gitBlobSha(bytes);
    this.blobs.set(sha, bytes);
    return sha;
  }

  /** A blob's content read as UTF-8; undefined when there is no such blob. */
  blobText(sha: string): string | undefined {
    return this.blobs.get(sha)?.toString("utf8");
  }

  /**
   * Stores a tree and every subtree of it under the object ids git gives them (`git mktree`
   * prints the same sha), and returns the root's.
   */
  writeTree(entries: FlatTree): string {
    const files = new Map<string, TreeEntry>();
    const dirs = new Map<string, Map<string, TreeEntry>>();
    for (const [path, entry] of entries) {
      const slash = path.indexOf("/");
      if (slash < 0) {
        files.set(path, entry);
        continue;
      }
      const name = path.slice(0, slash);
      const sub = dirs.get(name) ?? new Map<string, TreeEntry>();
      sub.set(path.slice(slash + 1), entry);
      dirs.set(name, sub);
    }
    const items: TreeItem[] = [
      ...[...files].map(([name, entry]): TreeItem => ({ name, mode: entry.mode, type: entry.mode === "160000" ? "commit" : "blob", sha: entry.sha })),
      ...[...dirs].map(([name, sub]): TreeItem => ({ name, mode: "040000", type: "tree", sha: this.writeTree(sub) })),
    ];
    // git sorts a directory as if its name ended with "/".
    const key = (item: TreeItem) => Buffer.from(item.type === "tree" ? `${item.name}/` : item.name);
    items.sort((a, b) => Buffer.compare(key(a), key(b)));
    const body = Buffer.concat(items.flatMap((item) => [Buffer.from(`${item.mode.replace(/^0/, "")} ${item.name}\0`), Buffer.from(item.sha, "hex")]));
    const sha = sha1(Buffer.concat([Buffer.from(`tree ${body.length}\0`), body]));
    if (!this.trees.has(sha)) {
      this.trees.set(sha, new Map([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
      this.items.set(sha, items);
    }
    return sha;
  }

  /** The direct entries of a tree in git's order; undefined for an unknown tree. */
  itemsOf(treeSha: string): readonly TreeItem[] | undefined {
    return this.items.get(treeSha);
  }

  writeCommit(input: { treeSha: string; parents: string[]; message: string; author?: string }): CommitRecord {
    const date = this.now();
    const by = input.author === undefined ? "" : `author ${input.author}\n`;
    const sha = sha1(`commit\ntree ${input.treeSha}\n${input.parents.map((p) => `parent ${p}\n`).join("")}${by}date ${date}\n\n${input.message}`);
    const commit: CommitRecord = { sha, date, ...input, parents: [...input.parents] };
    this.commits.set(sha, commit);
    return commit;
  }

  /** Resolves a branch name, "heads/x", "refs/heads/x", a tag or a commit sha to a commit sha. */
  resolve(ref: string): string | undefined {
    const candidates = [ref, `refs/${ref}`, `refs/heads/${ref}`, `refs/tags/${ref}`];
    for (const name of candidates) {
      const sha = this.refs.get(name);
      if (sha) return sha;
    }
    return this.commits.has(ref) ? ref : undefined;
  }

  treeOf(commitSha: string): FlatTree | undefined {
    const commit = this.commits.get(commitSha);
    return commit ? this.trees.get(commit.treeSha) : undefined;
  }

  /** True when `descendant` is `ancestor` or has it in its history (a fast-forward is possible). */
  isAncestor(ancestor: string, descendant: string): boolean {
    const seen = new Set<string>();
    const queue = [descendant];
    while (queue.length > 0) {
      const sha = queue.shift()!;
      if (sha === ancestor) return true;
      if (seen.has(sha)) continue;
      seen.add(sha);
      queue.push(...(this.commits.get(sha)?.parents ?? []));
    }
    return false;
  }

  /** The nearest commit both have in their history (breadth first from `b`); undefined when none. */
  mergeBase(a: string, b: string): string | undefined {
    const ofA = this.ancestors(a);
    const queue = [b];
    const seen = new Set<string>();
    for (let sha = queue.shift(); sha !== undefined; sha = queue.shift()) {
      if (ofA.has(sha)) return sha;
      if (seen.has(sha)) continue;
      seen.add(sha);
      queue.push(...(this.commits.get(sha)?.parents ?? []));
    }
    return undefined;
  }

  /** `sha` and every commit in its history. */
  ancestors(sha: string): Set<string> {
    const seen = new Set<string>();
    const stack = [sha];
    for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...(this.commits.get(next)?.parents ?? []));
    }
    return seen;
  }

  /**
   * Commits `files` (path → content, merged over the branch's tree; null deletes the path) on
   * `branch`, creating it from `base`.
   */
  commitFiles(branch: string, files: Record<string, string | null>, message: string, base: string, author?: string): CommitRecord {
    const refName = `refs/heads/${branch}`;
    const parent = this.refs.get(refName) ?? this.refs.get(`refs/heads/${base}`);
    const commit = this.commitOn(parent, files, message, author);
    this.refs.set(refName, commit.sha);
    return commit;
  }

  /** A commit with `files` applied over `parent`'s tree (null deletes a path; a file keeps its mode); moves no ref. */
  commitOn(parent: string | undefined, files: Record<string, string | null>, message: string, author?: string): CommitRecord {
    const entries = new Map(parent ? this.treeOf(parent) : undefined);
    for (const [path, content] of Object.entries(files)) {
      const at = normalisePath(path);
      if (content === null) entries.delete(at);
      else entries.set(at, { mode: entries.get(at)?.mode ?? "100644", sha: this.writeBlob(content) });
    }
    const treeSha = this.writeTree(entries);
    return this.writeCommit({ treeSha, parents: parent ? [parent] : [], message, ...(author === undefined ? {} : { author }) });
  }

  /** The content of `path` at a commit; undefined when the path is not there. */
  fileAt(commitSha: string, path: string): string | undefined {
    const entry = this.treeOf(commitSha)?.get(normalisePath(path));
    return entry === undefined ? undefined : this.blobText(entry.sha);
  }

  /**
   * The first workflow file (under `.github/workflows/`) that `sha` or a commit in its history
   * adds, changes or deletes and that no ref reaches yet: what a push of `sha` would bring in.
   * A commit is compared with its first parent; a root commit with `reference` (an empty tree: a
   * parentless commit creates every workflow file it holds).
   */
  workflowChangeBroughtIn(sha: string, reference: FlatTree): string | undefined {
    const known = new Set<string>();
    for (const tip of this.refs.values()) for (const commit of this.ancestors(tip)) known.add(commit);
    for (const commitSha of this.ancestors(sha)) {
      const commit = this.commits.get(commitSha);
      if (!commit || known.has(commitSha)) continue;
      const tree = this.trees.get(commit.treeSha) ?? new Map<string, TreeEntry>();
      // What a commit changes is its difference from its first parent (git's own view of a merge).
      const first = commit.parents[0];
      const before = first === undefined ? reference : (this.treeOf(first) ?? new Map<string, TreeEntry>());
      const changed = workflowChange(before, tree);
      if (changed) return changed;
    }
    return undefined;
  }
}

/** The first path under `.github/workflows/` that differs between two trees, in path order. */
export function workflowChange(before: FlatTree, after: FlatTree): string | undefined {
  const paths = new Set([...before.keys(), ...after.keys()].filter((path) => path.startsWith(WORKFLOWS_DIR)));
  return [...paths].sort().find((path) => before.get(path)?.sha !== after.get(path)?.sha || before.get(path)?.mode !== after.get(path)?.mode);
}

export function normalisePath(path: string): string {
  return path.replace(/^\/+|\/+$/g, "");
}

import { gitBlobSha, sha1 } from "./ids.js";

/** Just enough of git for contents and compare-and-set on refs: blobs, flat trees, commits, refs. */
export interface CommitRecord {
  sha: string;
  treeSha: string;
  parents: string[];
  message: string;
  date: string;
  /** The login of who wrote it (pull request commits); the sandbox's own commits have none. */
  author?: string;
}

type Tree = ReadonlyMap<string, string>;

export class GitStore {
  readonly blobs = new Map<string, string>();
  readonly trees = new Map<string, Tree>();
  readonly commits = new Map<string, CommitRecord>();
  /** Full ref name ("refs/heads/main") to commit sha. */
  readonly refs = new Map<string, string>();

  constructor(private readonly now: () => string) {}

  writeBlob(content: string): string {
    const sha = gitBlobSha(content);
    this.blobs.set(sha, content);
    return sha;
  }

  /** A flat tree: path → blob sha. Its sha depends only on its entries. */
  writeTree(entries: Tree): string {
    const sorted = [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const sha = sha1(`tree\n${sorted.map(([path, blob]) => `${blob} ${path}`).join("\n")}`);
    if (!this.trees.has(sha)) this.trees.set(sha, new Map(sorted));
    return sha;
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

  treeOf(commitSha: string): Tree | undefined {
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

  /** A commit with `files` applied over `parent`'s tree (null deletes a path); moves no ref. */
  commitOn(parent: string | undefined, files: Record<string, string | null>, message: string, author?: string): CommitRecord {
    const entries = new Map(parent ? this.treeOf(parent) : undefined);
    for (const [path, content] of Object.entries(files)) {
      if (content === null) entries.delete(normalisePath(path));
      else entries.set(normalisePath(path), this.writeBlob(content));
    }
    const treeSha = this.writeTree(entries);
    return this.writeCommit({ treeSha, parents: parent ? [parent] : [], message, ...(author === undefined ? {} : { author }) });
  }

  /** The content of `path` at a commit; undefined when the path is not there. */
  fileAt(commitSha: string, path: string): string | undefined {
    const blob = this.treeOf(commitSha)?.get(normalisePath(path));
    return blob === undefined ? undefined : this.blobs.get(blob);
  }
}

export function normalisePath(path: string): string {
  return path.replace(/^\/+|\/+$/g, "");
}

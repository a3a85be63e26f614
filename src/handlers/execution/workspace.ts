/**
 * The repository an agent works on in API mode: the tree of one commit, listed once, files read
 * lazily by blob sha (one request per file, cached), and the agent's edits kept in memory as an
 * overlay until Orkestra checks them (`checkChanges`) and writes them (`writeChanges`).
 */
import { createHash } from "node:crypto";
import picomatch from "picomatch";
import { RE2JS } from "re2js";
import { ToolError } from "../../agents/index.js";
import type { FileChange } from "../../domain/execution/safe-outputs.js";
import type { TreeEntry } from "../../github/port.js";
import type { GitHubReads } from "../../runtime/context.js";

type WorkspaceReads = Pick<GitHubReads, "listTree" | "getBlob">;

/** How much one `search` may read, so it cannot pull a whole large repository by default. */
interface SearchBounds {
  /** Most files whose content is scanned (cached ones count too). */
  maxFiles: number;
  /** Most bytes of content scanned. */
  maxBytes: number;
  /** Most matching lines returned. */
  maxMatches: number;
}

const SEARCH_DEFAULTS: SearchBounds = { maxFiles: 200, maxBytes: 2_000_000, maxMatches: 50 };
/** Files larger than this are never read (GitHub's blob API is fine with them; the model is not). */
const READ_MAX_BYTES = 1_000_000;
/** Blobs fetched at once while searching. */
const PARALLEL_READS = 8;
/** A regular expression is tried on at most this many characters of a line. */
const REGEX_LINE_CHARS = 2_000;
/** Extensions that are binary almost always: skipped by `search` without reading them. */
const BINARY_EXT = /\.(png|jpe?g|gif|webp|ico|bmp|pdf|zip|gz|tgz|bz2|xz|7z|jar|woff2?|ttf|otf|eot|mp[34]|mov|wasm|exe|dll|so|dylib|class|pyc)$/i;

interface SearchMatch {
  path: string;
  line: number;
  text: string;
}

interface SearchResult {
  matches: SearchMatch[];
  /** Files whose content was scanned. */
  scanned: number;
  /** Files in scope not scanned because a bound was reached; 0 when the search was complete. */
  notScanned: number;
  /** Which bound stopped the search, or null. */
  stoppedBy: "files" | "bytes" | "matches" | null;
}

/** Text files' content, or why a file cannot be read as text. */
type Loaded = { text: string } | { binary: string };

export class Workspace {
  /** Base blobs by path (directories and submodules left out). */
  private readonly base = new Map<string, TreeEntry>();
  /** Base content by path, fetched on first use. */
  private readonly cache = new Map<string, Promise<Loaded>>();
  /** The agent's edits: new text, or null for a deletion. */
  private readonly overlay = new Map<string, string | null>();

  private constructor(
    private readonly github: WorkspaceReads,
    /** The commit the workspace starts from. */
    readonly commit: string,
    entries: readonly TreeEntry[],
    /** GitHub cut the listing short: some files are missing from the workspace. */
    readonly truncated: boolean,
  ) {
    for (const entry of entries) if (entry.type === "blob") this.base.set(entry.path, entry);
  }

  /** Lists the tree of `commit` (one request); nothing else is read until asked. */
  static async open(github: WorkspaceReads, commit: string): Promise<Workspace> {
    const listing = await github.listTree(commit);
    return new Workspace(github, commit, listing.entries, listing.truncated);
  }

  /** Every file as the agent sees it now, sorted. */
  files(): string[] {
    const paths = new Set(this.base.keys());
    for (const [path, content] of this.overlay) {
      if (content === null) paths.delete(path);
      else paths.add(path);
    }
    return [...paths].sort(compare);
  }

  exists(path: string): boolean {
    const edited = this.overlay.get(path);
    return edited === undefined ? this.base.has(path) : edited !== null;
  }

  /** The file's text now; a `ToolError` when it does not exist, is binary or too large. */
  async read(path: string): Promise<string> {
    const loaded = await this.load(path);
    if ("binary" in loaded) throw new ToolError(`${path} is ${loaded.binary}; only text files can be read`);
    return loaded.text;
  }

  /** Replaces (or creates) a whole file. */
  write(path: string, content: string): void {
    this.checkWritable(path);
    this.overlay.set(path, content);
  }

  /** Replaces the one occurrence of `search` with `replace`; zero or several occurrences are a `ToolError`. */
  async edit(path: string, search: string, replace: string): Promise<void> {
    if (search === "") throw new ToolError("the search text is empty; give the exact text to replace");
    const text = await this.read(path);
    const at = text.indexOf(search);
    const times = occurrences(text, search);
    if (times !== 1) {
      throw new ToolError(
        times === 0
          ? `the search text occurs 0 times in ${path}; copy it exactly from read_file (whitespace included)`
          : `the search text occurs ${times} times in ${path}; include more surrounding lines so it occurs once`,
      );
    }
    this.overlay.set(path, text.slice(0, at) + replace + text.slice(at + search.length));
  }

  delete(path: string): void {
    if (!this.exists(path)) throw new ToolError(`${path} does not exist`);
    if (this.base.has(path)) this.overlay.set(path, null);
    else this.overlay.delete(path);
  }

  /**
   * Lines matching `pattern` (a literal, or a regular expression when `regex`) in text files under
   * `within` (a directory prefix or a glob), in path order, within `bounds`. Binary and too-large
   * files are skipped: by extension before reading, by content after.
   */
  async search(pattern: string, options: { regex?: boolean; within?: string; bounds?: Partial<SearchBounds> } = {}): Promise<SearchResult> {
    const bounds = { ...SEARCH_DEFAULTS, ...options.bounds };
    const test = matcher(pattern, options.regex ?? false);
    const inScope = pathFilter(options.within);
    const candidates = this.files().filter((path) => inScope(path) && !BINARY_EXT.test(path) && this.sizeOf(path) <= READ_MAX_BYTES);
    const result: SearchResult = { matches: [], scanned: 0, notScanned: 0, stoppedBy: null };
    // Which files to scan is decided from the listing's sizes before anything is fetched.
    const toScan: string[] = [];
    let bytes = 0;
    for (const path of candidates) {
      if (toScan.length >= bounds.maxFiles) {
        result.stoppedBy = "files";
        break;
      }
      bytes += this.sizeOf(path);
      if (bytes > bounds.maxBytes) {
        result.stoppedBy = "bytes";
        break;
      }
      toScan.push(path);
    }
    scanning: for (let from = 0; from < toScan.length; from += PARALLEL_READS) {
      const batch = toScan.slice(from, from + PARALLEL_READS);
      const loaded = await Promise.all(batch.map((path) => this.load(path)));
      for (const [i, file] of loaded.entries()) {
        result.scanned++;
        if ("binary" in file) continue;
        for (const [index, line] of file.text.split("\n").entries()) {
          if (!test(line)) continue;
          if (result.matches.length >= bounds.maxMatches) {
            result.stoppedBy = "matches";
            break scanning;
          }
          result.matches.push({ path: batch[i]!, line: index + 1, text: line });
        }
      }
    }
    result.notScanned = candidates.length - result.scanned;
    return result;
  }

  /** What the agent changed, as the safe-output check takes it: only real differences from the base. */
  changes(): FileChange[] {
    const changes: FileChange[] = [];
    for (const path of [...this.overlay.keys()].sort(compare)) {
      const content = this.overlay.get(path)!;
      const base = this.base.get(path);
      if (content === null) {
        if (base) changes.push({ path, kind: "delete", mode: fileMode(base.mode), content: null, size: 0 });
        continue;
      }
      // Git's own blob id says whether the content differs, without reading the base.
      if (base && base.sha === blobSha(content)) continue;
      // A written file keeps its executable bit; anything else (a symbolic link replaced) becomes a plain file.
      const mode = base?.mode === "100755" ? "100755" : "100644";
      changes.push({ path, kind: base ? "modify" : "add", mode, content, size: Buffer.byteLength(content) });
    }
    return changes;
  }

  private sizeOf(path: string): number {
    const edited = this.overlay.get(path);
    return typeof edited === "string" ? Buffer.byteLength(edited) : (this.base.get(path)?.size ?? 0);
  }

  private load(path: string): Promise<Loaded> {
    const edited = this.overlay.get(path);
    if (typeof edited === "string") return Promise.resolve({ text: edited });
    const entry = edited === null ? undefined : this.base.get(path);
    if (!entry) return Promise.reject(new ToolError(`${path} does not exist${this.truncated ? " (or is past GitHub's tree listing limit)" : ""}`));
    if ((entry.size ?? 0) > READ_MAX_BYTES) return Promise.resolve({ binary: `too large to read (${entry.size} bytes)` });
    let loaded = this.cache.get(path);
    if (!loaded) {
      loaded = this.fetch(entry);
      // A failed read is not remembered: the next call asks again.
      loaded.catch(() => this.cache.delete(path));
      this.cache.set(path, loaded);
    }
    return loaded;
  }

  private async fetch(entry: TreeEntry): Promise<Loaded> {
    const bytes = await this.github.getBlob(entry.sha);
    if (bytes === null) throw new ToolError(`${entry.path} could not be read (its blob is missing)`);
    if (entry.mode === "120000") return { binary: "a symbolic link" };
    if (bytes.includes(0)) return { binary: "binary (a NUL byte)" };
    try {
      return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
    } catch {
      return { binary: "binary (not UTF-8)" };
    }
  }

  /** A file cannot replace a directory, nor sit under a file. */
  private checkWritable(path: string): void {
    if (path === "" || path.endsWith("/")) throw new ToolError("give a file path, not a directory");
    const files = this.files();
    if (files.some((file) => file.startsWith(`${path}/`))) throw new ToolError(`${path} is a directory`);
    const parts = path.split("/");
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join("/");
      if (this.exists(parent)) throw new ToolError(`${parent} is a file, so ${path} cannot be created under it`);
    }
  }
}

/** Git's blob id of UTF-8 text: sha1 of `blob <size>\0<bytes>`. */
export function blobSha(content: string | Uint8Array): string {
  const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

/** A directory prefix (`src/`, `src`) or a glob (`src/**\/*.ts`); everything when absent. */
export function pathFilter(within: string | undefined): (path: string) => boolean {
  if (!within || within === "." || within === "/") return () => true;
  if (/[*?[\]{}!]/.test(within)) return picomatch(within, { dot: true });
  const prefix = within.replace(/^\.?\/+/, "").replace(/\/+$/, "");
  return (path) => path === prefix || path.startsWith(`${prefix}/`);
}

/**
 * A model writes the pattern: a backtracking engine (JavaScript's RegExp) could spend minutes on
 * `(a+)+$` and stall the whole run — the app's process included. RE2's engine runs in time linear
 * in the line, and refuses what it cannot (backreferences, lookarounds) with a clear error.
 */
function matcher(pattern: string, regex: boolean): (line: string) => boolean {
  if (pattern === "") throw new ToolError("the search pattern is empty");
  if (!regex) return (line) => line.includes(pattern);
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern);
  } catch (error) {
    throw new ToolError(`invalid regular expression (RE2 syntax: no backreferences or lookarounds): ${error instanceof Error ? error.message : String(error)}`);
  }
  return (line) => re.test(line.slice(0, REGEX_LINE_CHARS));
}

function occurrences(text: string, search: string): number {
  let times = 0;
  for (let at = text.indexOf(search); at >= 0; at = text.indexOf(search, at + search.length)) times++;
  return times;
}

function fileMode(mode: string): FileChange["mode"] {
  return mode === "100755" || mode === "120000" || mode === "160000" ? mode : "100644";
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

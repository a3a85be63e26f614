/**
 * Collects what the CLI changed, as Orkestra sees it — never as the CLI reports it: the checkout's
 * working tree against the base commit. Commits the CLI made itself, staged and unstaged edits and
 * new files all count; files `.gitignore` ignores do not. Git does the reading into a throw-away
 * index (the checkout's own index is left alone), so symbolic links are stored as links, never
 * followed, and `.git/` is never part of the result.
 */
import { execFile, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FileChange } from "../../domain/execution/safe-outputs.js";
import { gitEnv } from "./env.js";

type Collected = { ok: true; changes: FileChange[]; bytes: number } | { ok: false; reason: string };

type Mode = FileChange["mode"];
const MODES: readonly string[] = ["100644", "100755", "120000", "160000"] satisfies Mode[];

interface Entry {
  path: string;
  kind: FileChange["kind"];
  mode: Mode;
  sha: string;
}

/** Output of one git command Orkestra reads whole (the list of changed paths): more is refused. */
const GIT_OUTPUT_MAX = 64 * 1024 * 1024;

const utf8 = new TextDecoder("utf-8", { fatal: true });

export async function collectChanges(checkout: string, baseSha: string, maxBytes: number, source: Record<string, string | undefined>): Promise<Collected> {
  if (!/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(baseSha)) return { ok: false, reason: `the base commit "${baseSha}" is not a full commit sha` };
  const dir = await mkdtemp(join(tmpdir(), "orkestra-worker-"));
  const git = gitRunner(checkout, gitEnv(source, { GIT_INDEX_FILE: join(dir, "index") }));
  try {
    if (!(await git.ok(["cat-file", "-e", `${baseSha}^{commit}`]))) return { ok: false, reason: `the base commit ${baseSha} is not in the checkout` };
    // HEAD first, so commits the CLI made are seen even where the working tree has no file
    // for an entry (an uninitialised submodule); then everything in the working tree.
    await git.run(["read-tree", "HEAD"]);
    await git.run(["-c", "advice.addEmbeddedRepo=false", "add", "--all", "--", ":/"]);
    const raw = await git.run(["diff-index", "--cached", "--raw", "-z", "--no-renames", "--no-ext-diff", baseSha, "--"]);
    const entries = parseRaw(raw);
    if (!entries.ok) return entries;
    return await loadContents(git, entries.entries, maxBytes);
  } catch (error) {
    return { ok: false, reason: `could not read the checkout's changes: ${error instanceof Error ? error.message : String(error)}` };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `:<old mode> <new mode> <old sha> <new sha> <status>\0<path>\0`, one per changed path. */
function parseRaw(raw: Buffer): { ok: true; entries: Entry[] } | { ok: false; reason: string } {
  const fields: Buffer[] = [];
  for (let from = 0; from < raw.length; ) {
    const end = raw.indexOf(0, from);
    const stop = end === -1 ? raw.length : end;
    fields.push(raw.subarray(from, stop));
    from = stop + 1;
  }
  const entries: Entry[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const [oldMode, newMode, , newSha, status] = fields[i]!.toString("latin1").slice(1).split(" ");
    let path: string;
    try {
      path = utf8.decode(fields[i + 1]);
    } catch {
      return { ok: false, reason: `a changed file's name is not valid UTF-8 (${JSON.stringify(fields[i + 1]!.toString("latin1"))})` };
    }
    const kind = status === "A" ? "add" : status === "D" ? "delete" : "modify";
    const mode = kind === "delete" ? oldMode : newMode;
    if (mode === undefined || !MODES.includes(mode) || newSha === undefined) return { ok: false, reason: `git reported an entry Orkestra cannot read: ${fields[i]!.toString("latin1")}` };
    entries.push({ path, kind, mode: mode as Mode, sha: newSha });
  }
  return { ok: true, entries };
}

/** Reads the new blobs (a link's target for a symbolic link), refusing before reading past `maxBytes`. */
async function loadContents(git: GitRunner, entries: Entry[], maxBytes: number): Promise<Collected> {
  const blobs = entries.filter((entry) => entry.kind !== "delete" && entry.mode !== "160000");
  const sizes = new Map<string, number>();
  if (blobs.length > 0) {
    const check = await git.run(["cat-file", "--batch-check=%(objectname) %(objectsize)"], blobs.map((entry) => `${entry.sha}\n`).join(""));
    for (const line of check.toString("latin1").split("\n")) {
      const [sha, size] = line.split(" ");
      if (sha && size) sizes.set(sha, Number(size));
    }
  }
  const bytes = blobs.reduce((sum, entry) => sum + (sizes.get(entry.sha) ?? 0), 0);
  if (bytes > maxBytes) {
    return { ok: false, reason: `the changes are too large: ${bytes} bytes of new content in ${blobs.length} files, more than the limit of ${maxBytes}` };
  }
  const contents = blobs.length > 0 ? await git.batch(blobs.map((entry) => entry.sha)) : new Map<string, Buffer>();
  const changes = entries.map((entry): FileChange => {
    if (entry.kind === "delete") return { path: entry.path, kind: "delete", mode: entry.mode, content: null, size: 0 };
    // A submodule has no content here; the safe-output check refuses it by its mode.
    if (entry.mode === "160000") return { path: entry.path, kind: entry.kind, mode: entry.mode, content: null, size: 0 };
    const content = contents.get(entry.sha) ?? Buffer.alloc(0);
    return { path: entry.path, kind: entry.kind, mode: entry.mode, content: asContent(content), size: content.length };
  });
  return { ok: true, changes, bytes };
}

/** Text as a string; anything else (a NUL byte, invalid UTF-8) as the bytes themselves. */
export function asContent(bytes: Buffer): string | Uint8Array {
  if (bytes.includes(0)) return new Uint8Array(bytes);
  try {
    return utf8.decode(bytes);
  } catch {
    return new Uint8Array(bytes);
  }
}

interface GitRunner {
  run(args: string[], input?: string): Promise<Buffer>;
  ok(args: string[]): Promise<boolean>;
  /** `git cat-file --batch`: each object's bytes by sha. */
  batch(shas: string[]): Promise<Map<string, Buffer>>;
}

function gitRunner(cwd: string, env: Record<string, string>): GitRunner {
  // Command-line settings win over the checkout's .git/config, which the CLI could have edited.
  const base = ["-c", "core.fsmonitor=false", "-c", "core.untrackedCache=false", "-c", "core.quotePath=off", "-c", `safe.directory=${cwd}`];
  const run = (args: string[], input?: string) =>
    new Promise<Buffer>((resolve, reject) => {
      const child = execFile("git", [...base, ...args], { cwd, env, encoding: "buffer", maxBuffer: GIT_OUTPUT_MAX }, (error, stdout, stderr) => {
        if (error) reject(new Error(`git ${args.filter((arg) => !arg.startsWith("advice.")).join(" ")}: ${stderr.toString("utf8").trim() || error.message}`));
        else resolve(stdout);
      });
      child.stdin?.on("error", () => undefined); // git exits without reading an input it does not need
      child.stdin?.end(input ?? "");
    });
  return {
    run,
    ok: (args) => run(args).then(() => true, () => false),
    batch: (shas) =>
      new Promise((resolve, reject) => {
        const child = spawn("git", [...base, "cat-file", "--batch"], { cwd, env, stdio: ["pipe", "pipe", "pipe"] });
        const chunks: Buffer[] = [];
        child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
        child.on("error", reject);
        child.on("close", (code) => {
          if (code !== 0) return reject(new Error(`git cat-file --batch exited with ${code}`));
          try {
            resolve(parseBatch(Buffer.concat(chunks)));
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
        child.stdin.on("error", () => undefined); // reported through the exit code instead
        child.stdin.end(shas.map((sha) => `${sha}\n`).join(""));
      }),
  };
}

/** `<sha> <type> <size>\n<bytes>\n`, repeated. */
function parseBatch(out: Buffer): Map<string, Buffer> {
  const objects = new Map<string, Buffer>();
  for (let at = 0; at < out.length; ) {
    const eol = out.indexOf(10, at);
    if (eol === -1) break;
    const [sha, , size] = out.subarray(at, eol).toString("latin1").split(" ");
    const length = Number(size);
    if (!sha || !Number.isInteger(length)) throw new Error(`unexpected git cat-file output: ${out.subarray(at, eol).toString("latin1")}`);
    objects.set(sha, out.subarray(eol + 1, eol + 1 + length));
    at = eol + 1 + length + 1;
  }
  return objects;
}

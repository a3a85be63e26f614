/** Collecting a checkout's changes against the base commit, on real temporary repositories. */
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { collectChanges } from "../../src/action/worker/collect.js";
import type { FileChange } from "../../src/domain/execution/safe-outputs.js";
import { repo, runnerEnv, type Repo } from "./support.js";

const MB = 1024 * 1024;

async function collect(r: Repo, maxBytes = MB): Promise<FileChange[]> {
  const result = await collectChanges(r.dir, r.base, maxBytes, runnerEnv());
  if (!result.ok) throw new Error(result.reason);
  return result.changes;
}

/** The changes without their content, sorted by path, for comparing at a glance. */
function shape(changes: FileChange[]): string[] {
  return changes.map((c) => `${c.kind} ${c.mode} ${c.path}`).sort();
}

function byPath(changes: FileChange[], path: string): FileChange {
  const change = changes.find((c) => c.path === path);
  if (!change) throw new Error(`no change for ${path}`);
  return change;
}

describe("collecting the working tree against the base commit", () => {
  it("finds nothing in an untouched checkout", async () => {
    expect(await collect(repo({ "a.txt": "a\n" }))).toEqual([]);
  });

  it("reports modifications, additions in new directories and deletions with their content", async () => {
    const r = repo({ "a.txt": "a\n", "b.txt": "b\n", "src/keep.ts": "keep\n" });
    r.write("a.txt", "a changed\n");
    r.write("deep/new/dir/c.txt", "c\n");
    rmSync(join(r.dir, "b.txt"));
    const changes = await collect(r);
    expect(shape(changes)).toEqual(["add 100644 deep/new/dir/c.txt", "delete 100644 b.txt", "modify 100644 a.txt"]);
    expect(byPath(changes, "a.txt")).toEqual({ path: "a.txt", kind: "modify", mode: "100644", content: "a changed\n", size: 10 });
    expect(byPath(changes, "b.txt")).toEqual({ path: "b.txt", kind: "delete", mode: "100644", content: null, size: 0 });
  });

  it("reports a rename as a delete and an add", async () => {
    const r = repo({ "old/name.txt": "same content\n" });
    mkdirSync(join(r.dir, "new"));
    renameSync(join(r.dir, "old/name.txt"), join(r.dir, "new/name.txt"));
    const changes = await collect(r);
    expect(shape(changes)).toEqual(["add 100644 new/name.txt", "delete 100644 old/name.txt"]);
    expect(byPath(changes, "new/name.txt").content).toBe("same content\n");
  });

  it("reports a file made executable as a modification with mode 100755", async () => {
    const r = repo({ "run.sh": "echo hi\n" });
    chmodSync(join(r.dir, "run.sh"), 0o755);
    expect(await collect(r)).toEqual([{ path: "run.sh", kind: "modify", mode: "100755", content: "echo hi\n", size: 8 }]);
  });

  it("reports a symbolic link as mode 120000 with its target, without following it", async () => {
    const r = repo({ "a.txt": "a\n" });
    symlinkSync("/etc/passwd", join(r.dir, "escape"));
    symlinkSync("a.txt", join(r.dir, "inside"));
    const changes = await collect(r);
    expect(byPath(changes, "escape")).toEqual({ path: "escape", kind: "add", mode: "120000", content: "/etc/passwd", size: 11 });
    expect(byPath(changes, "inside")).toMatchObject({ mode: "120000", content: "a.txt" });
  });

  it("reports a file replaced by a symbolic link as a modification to mode 120000", async () => {
    const r = repo({ "config.json": "{}\n" });
    unlinkSync(join(r.dir, "config.json"));
    symlinkSync("../../secrets.json", join(r.dir, "config.json"));
    expect(await collect(r)).toEqual([{ path: "config.json", kind: "modify", mode: "120000", content: "../../secrets.json", size: 18 }]);
  });

  it("reports a gitlink the CLI committed as a submodule (mode 160000), with no content", async () => {
    const r = repo({ "a.txt": "a\n" });
    r.git("update-index", "--add", "--cacheinfo", `160000,${r.base},vendor/lib`);
    r.git("commit", "-q", "-m", "add a submodule");
    mkdirSync(join(r.dir, "vendor/lib"), { recursive: true }); // as a checkout leaves an uninitialised submodule
    expect(await collect(r)).toEqual([{ path: "vendor/lib", kind: "add", mode: "160000", content: null, size: 0 }]);
  });

  it("reports a nested repository the CLI created as a submodule", async () => {
    const r = repo({ "a.txt": "a\n" });
    const nested = join(r.dir, "nested");
    mkdirSync(nested);
    execFileSync("git", ["init", "-q"], { cwd: nested });
    writeFileSync(join(nested, "x.txt"), "x\n");
    execFileSync("git", ["-c", "user.name=T", "-c", "user.email=t@example.com", "add", "-A"], { cwd: nested });
    execFileSync("git", ["-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "-m", "x"], { cwd: nested });
    expect(shape(await collect(r))).toEqual(["add 160000 nested"]);
  });

  it("gives binary content as bytes and text as a string", async () => {
    const r = repo({ "a.txt": "a\n" });
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0xff]);
    r.write("image.png", png);
    r.write("nul.txt", "text with a \0 byte");
    r.write("unicode.md", "ünïcödé ✓\n");
    const changes = await collect(r);
    expect(byPath(changes, "image.png").content).toEqual(png);
    expect(byPath(changes, "image.png").size).toBe(png.length);
    expect(byPath(changes, "nul.txt").content).toBeInstanceOf(Uint8Array);
    expect(byPath(changes, "unicode.md")).toMatchObject({ content: "ünïcödé ✓\n", size: Buffer.byteLength("ünïcödé ✓\n") });
  });

  it("sees commits the CLI made: the result is the final tree against the base, not against HEAD", async () => {
    const r = repo({ "a.txt": "a\n", "b.txt": "b\n", "c.txt": "c\n" });
    r.write("a.txt", "a committed\n");
    r.write("b.txt", "b committed, then reverted\n");
    r.git("commit", "-q", "-am", "agent commit");
    r.write("b.txt", "b\n"); // back to the base content: no change at all
    r.write("c.txt", "c uncommitted\n");
    r.write("d.txt", "d staged\n");
    r.git("add", "d.txt");
    expect(r.git("rev-parse", "HEAD")).not.toBe(r.base);
    expect(shape(await collect(r))).toEqual(["add 100644 d.txt", "modify 100644 a.txt", "modify 100644 c.txt"]);
    expect(r.git("status", "--porcelain")).toContain("A  d.txt"); // the checkout's own index is left as it was
  });

  it("leaves out files .gitignore ignores and everything under .git", async () => {
    const r = repo({ ".gitignore": "node_modules/\n*.log\n" });
    r.write("node_modules/pkg/index.js", "x\n");
    r.write("debug.log", "x\n");
    r.write("kept.txt", "kept\n");
    writeFileSync(join(r.dir, ".git", "extra"), "not a change\n");
    expect(shape(await collect(r))).toEqual(["add 100644 kept.txt"]);
  });

  it("keeps paths with spaces, quotes and non-ASCII characters as they are", async () => {
    const r = repo({ "a.txt": "a\n" });
    r.write('dir with space/"quoted" ünï.txt', "x\n");
    expect(shape(await collect(r))).toEqual(['add 100644 dir with space/"quoted" ünï.txt']);
  });

  it("refuses changes larger than the byte limit without loading them", async () => {
    const r = repo({ "a.txt": "a\n" });
    r.write("big1.txt", "x".repeat(600));
    r.write("big2.txt", "y".repeat(600));
    const result = await collectChanges(r.dir, r.base, 1000, runnerEnv());
    expect(result).toEqual({ ok: false, reason: "the changes are too large: 1200 bytes of new content in 2 files, more than the limit of 1000" });
    expect((await collectChanges(r.dir, r.base, 1200, runnerEnv())).ok).toBe(true);
  });

  it("does not count deletions against the byte limit", async () => {
    const r = repo({ "big.txt": "x".repeat(5000) });
    rmSync(join(r.dir, "big.txt"));
    const result = await collectChanges(r.dir, r.base, 10, runnerEnv());
    expect(result.ok && shape(result.changes)).toEqual(["delete 100644 big.txt"]);
  });

  it("says so when the base commit is not a sha or not in the checkout", async () => {
    const r = repo({ "a.txt": "a\n" });
    expect(await collectChanges(r.dir, "--output=/tmp/x", MB, runnerEnv())).toEqual({ ok: false, reason: 'the base commit "--output=/tmp/x" is not a full commit sha' });
    const missing = "0123456789abcdef0123456789abcdef01234567";
    expect(await collectChanges(r.dir, missing, MB, runnerEnv())).toEqual({ ok: false, reason: `the base commit ${missing} is not in the checkout` });
  });

  it("does not run a filesystem monitor the CLI configured in .git/config", async () => {
    const r = repo({ "a.txt": "a\n" });
    const marker = join(r.dir, "..", `fsmonitor-ran-${Date.now()}`);
    r.git("config", "core.fsmonitor", `touch ${marker}; echo`);
    r.write("a.txt", "changed\n");
    expect(shape(await collect(r))).toEqual(["modify 100644 a.txt"]);
    expect(() => execFileSync("test", ["-e", marker])).toThrow();
  });
});

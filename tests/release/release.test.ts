import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { changelogSection, release, type ReleaseOptions } from "../../scripts/release.js";

const CHANGELOG = `# Changelog

## [Unreleased]

- Something next.

## [1.0.1] - 2026-12-06

### Fixed

- The thing.

## [1.0.0] - 2026-12-05

- First.

[Unreleased]: https://example.com/compare/v1.0.1...HEAD
[1.0.1]: https://example.com/v1.0.1
`;

/** A repository with a local bare remote whose default branch is `main`, one commit pushed. */
function makeRepo(): { work: string; remote: string; git: (...args: string[]) => string; remoteGit: (...args: string[]) => string } {
  const root = mkdtempSync(join(tmpdir(), "orkestra-release-"));
  roots.push(root);
  const remote = join(root, "remote.git");
  const work = join(root, "work");
  const run = (cwd: string) => (...args: string[]) => execFileSync("git", args, { cwd, encoding: "utf8" }).trim();
  execFileSync("git", ["init", "--quiet", "--bare", "--initial-branch=main", remote]);
  execFileSync("git", ["init", "--quiet", "--initial-branch=main", work]);
  const git = run(work);
  git("config", "user.name", "Release Tester");
  git("config", "user.email", "tester@example.com");
  git("config", "commit.gpgsign", "false");
  git("config", "tag.gpgsign", "false");
  writeFileSync(join(work, "CHANGELOG.md"), CHANGELOG);
  git("add", "CHANGELOG.md");
  git("commit", "--quiet", "--message", "first");
  git("remote", "add", "origin", remote);
  git("push", "--quiet", "origin", "main");
  return { work, remote, git, remoteGit: run(remote) };
}

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function options(work: string, over: Partial<ReleaseOptions> = {}): ReleaseOptions & { lines: string[] } {
  const lines: string[] = [];
  return { dryRun: false, remote: "origin", cwd: work, staleDist: () => Promise.resolve([]), log: (line) => lines.push(line), lines, ...over };
}

/** Tags and the commits they point at (peeled), as the remote has them. */
function remoteTags(remoteGit: (...args: string[]) => string): Record<string, string> {
  const out = remoteGit("for-each-ref", "--format=%(refname:short) %(objectname) %(*objectname)", "refs/tags");
  return Object.fromEntries(
    out
      .split("\n")
      .filter(Boolean)
      .map((line) => {
        const [name, object, peeled] = line.split(" ");
        return [name!, peeled || object!];
      }),
  );
}

describe("the release script", () => {
  it("in a dry run checks everything, prints the git commands it would run and changes nothing", async () => {
    const { work, git, remoteGit } = makeRepo();
    const head = git("rev-parse", "HEAD");
    const opts = options(work, { dryRun: true, notesFile: join(work, "..", "notes.md") });
    const plan = await release(opts);
    expect(plan).toMatchObject({ version: "1.0.0", tag: "v1.0.0", majorTag: "v1", commit: head });
    expect(opts.lines).toEqual([
      `Dry run: would release v1.0.0 (main at ${head.slice(0, 12)}) and move v1 to it with`,
      `  git tag --annotate v1.0.0 --message 'Orkestra v1.0.0' ${head}`,
      `  git tag --force v1 ${head}`,
      "  git push origin refs/tags/v1.0.0",
      "  git push --force origin refs/tags/v1",
    ]);
    expect(git("tag", "--list")).toBe("");
    expect(remoteTags(remoteGit)).toEqual({});
    expect(git("status", "--porcelain")).toBe("");
    expect(readFileSync(join(work, "..", "notes.md"), "utf8")).toBe("- First.\n");
  });

  it("tags the head, moves the major tag and pushes both; the next release moves v1 on", async () => {
    const { work, git, remoteGit } = makeRepo();
    const first = git("rev-parse", "HEAD");
    await release(options(work));
    expect(remoteTags(remoteGit)).toEqual({ "v1.0.0": first, v1: first });
    expect(remoteGit("cat-file", "-t", "v1.0.0")).toBe("tag");
    expect(remoteGit("tag", "--list", "--format=%(contents:subject)", "v1.0.0")).toBe("Orkestra v1.0.0");

    writeFileSync(join(work, "fix.txt"), "fixed\n");
    git("add", "fix.txt");
    git("commit", "--quiet", "--message", "fix");
    git("push", "--quiet", "origin", "main");
    const second = git("rev-parse", "HEAD");
    const notesFile = join(work, "..", "notes-1.0.1.md");
    const plan = await release(options(work, { notesFile }));
    expect(plan.version).toBe("1.0.1");
    expect(remoteTags(remoteGit)).toEqual({ "v1.0.0": first, "v1.0.1": second, v1: second });
    expect(readFileSync(notesFile, "utf8")).toBe("### Fixed\n\n- The thing.\n");
  });

  it("takes an explicit version, with or without its v", async () => {
    const { work, remoteGit, git } = makeRepo();
    writeFileSync(join(work, "CHANGELOG.md"), `${CHANGELOG}\n## [1.2.0]\n\n- Minor.\n`);
    git("commit", "--quiet", "--all", "--message", "notes for 1.2.0");
    git("push", "--quiet", "origin", "main");
    await release(options(work, { version: "v1.2.0" }));
    expect(Object.keys(remoteTags(remoteGit)).sort()).toEqual(["v1", "v1.2.0"]);
  });

  it("refuses a version that is not greater than the newest tag, or not a version, and changes nothing", async () => {
    const { work, remoteGit } = makeRepo();
    await release(options(work, { version: "1.0.1" }));
    const before = remoteTags(remoteGit);
    await expect(release(options(work, { version: "1.0.1" }))).rejects.toThrow("--version 1.0.1 is not greater than the newest release tag v1.0.1");
    await expect(release(options(work, { version: "1.0.0", dryRun: true }))).rejects.toThrow("is not greater than the newest release tag v1.0.1");
    await expect(release(options(work, { version: "1.1" }))).rejects.toThrow('--version "1.1" is not a version like 1.2.3');
    expect(remoteTags(remoteGit)).toEqual(before);
  });

  it("refuses a dirty work tree, even in a dry run", async () => {
    const { work, remoteGit } = makeRepo();
    writeFileSync(join(work, "stray.txt"), "x");
    await expect(release(options(work, { dryRun: true }))).rejects.toThrow(/the work tree is not clean[^]*stray\.txt/);
    await expect(release(options(work))).rejects.toThrow("the work tree is not clean");
    expect(remoteTags(remoteGit)).toEqual({});
  });

  it("refuses stale dist/ files, naming them", async () => {
    const { work, git, remoteGit } = makeRepo();
    const staleDist = () => Promise.resolve(["dist/licenses.txt"]);
    await expect(release(options(work, { staleDist }))).rejects.toThrow("dist/licenses.txt is stale: run `npm run build:action` and commit dist/");
    await expect(release(options(work, { staleDist, dryRun: true }))).rejects.toThrow("dist/licenses.txt is stale");
    expect(git("tag", "--list")).toBe("");
    expect(remoteTags(remoteGit)).toEqual({});
  });

  it("refuses another branch than the remote's default, and a head that is not level with the remote", async () => {
    const { work, git, remoteGit } = makeRepo();
    git("checkout", "--quiet", "-b", "topic");
    await expect(release(options(work))).rejects.toThrow("releases are made from the default branch `main`, not `topic`");
    git("checkout", "--quiet", "main");
    git("commit", "--quiet", "--allow-empty", "--message", "not pushed");
    await expect(release(options(work, { dryRun: true }))).rejects.toThrow(/`main` is not level with origin .*: pull or push first/);
    await expect(release(options(work, { remote: "nowhere" }))).rejects.toThrow("`git ls-remote --symref nowhere HEAD` failed");
    expect(remoteTags(remoteGit)).toEqual({});
  });

  it("refuses a real release without a CHANGELOG section for it; a dry run only warns", async () => {
    const { work, remoteGit } = makeRepo();
    const dry = options(work, { version: "2.0.0", dryRun: true });
    await release(dry);
    expect(dry.lines[0]).toBe("warning: CHANGELOG.md has no `## [2.0.0]` section for the release's notes; a real release would refuse");
    expect(dry.lines).toContain("  git push --force origin refs/tags/v2");
    await expect(release(options(work, { version: "2.0.0" }))).rejects.toThrow("CHANGELOG.md has no `## [2.0.0]` section");
    expect(remoteTags(remoteGit)).toEqual({});
  });
});

describe("npm run release", () => {
  it("reads its flags and fails with the refusal and exit code 1, not a stack trace", async () => {
    const { work, remoteGit } = makeRepo();
    writeFileSync(join(work, "stray.txt"), "x");
    const tsx = resolve("node_modules/.bin/tsx");
    const run = promisify(execFile)(tsx, [resolve("scripts/release.ts"), "--dry-run", "--remote", "origin", "--version", "1.0.1"], { cwd: work, encoding: "utf8" });
    await expect(run).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/^release: the work tree is not clean/) });
    expect(remoteTags(remoteGit)).toEqual({});
  }, 30_000);
});

describe("a CHANGELOG section", () => {
  it("is the text under its heading up to the next heading or the link references", () => {
    expect(changelogSection(CHANGELOG, "1.0.1")).toBe("### Fixed\n\n- The thing.\n");
    expect(changelogSection(CHANGELOG, "Unreleased")).toBe("- Something next.\n");
    expect(changelogSection(CHANGELOG, "1.0.0")).toBe("- First.\n");
    expect(changelogSection(CHANGELOG, "0.9.0")).toBeNull();
  });

  it("exists in this repository for the first release", () => {
    expect(changelogSection(readFileSync("CHANGELOG.md", "utf8"), "1.0.0")).toContain("One core, two doors");
  });
});

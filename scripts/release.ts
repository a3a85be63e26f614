// Releases the Action: tags the default branch's head `vX.Y.Z` (annotated), moves the major tag
// `vX` to it and pushes both — what `uses: orkestra/orkestra@v1` resolves. It refuses unless the
// work tree is clean, on the default branch, level with the remote and dist/ is fresh; `--dry-run`
// does every check and prints the git commands instead of running them. See docs/release.md.
import { execFile } from "node:child_process";
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { Command } from "commander";
import { staleActionFiles } from "./build-action.js";

interface Version {
  major: number;
  minor: number;
  patch: number;
}

export interface ReleaseOptions {
  /** `1.2.3` (or `v1.2.3`); without it, the patch after the newest `vX.Y.Z` tag (1.0.0 when there is none). */
  version?: string;
  dryRun: boolean;
  remote: string;
  /** The repository (the working directory by default). */
  cwd?: string;
  /** The dist/ files that are stale (tests replace the real build's check). */
  staleDist?: () => Promise<string[]>;
  /** Where the release's notes (its CHANGELOG.md section) are written, for the GitHub Release. */
  notesFile?: string;
  log?: (line: string) => void;
}

export interface ReleasePlan {
  version: string;
  tag: string;
  majorTag: string;
  commit: string;
  /** The git commands that make the release, as run (or, in a dry run, as printed). */
  commands: string[][];
}

export class ReleaseError extends Error {}

const TAG = /^v(\d+)\.(\d+)\.(\d+)$/;

export async function release(options: ReleaseOptions): Promise<ReleasePlan> {
  const { dryRun, remote, cwd = process.cwd(), staleDist = staleActionFiles, log = console.log } = options;
  const git = async (...args: string[]) => {
    try {
      return (await promisify(execFile)("git", args, { cwd, encoding: "utf8" })).stdout.trim();
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr?.trim();
      throw new ReleaseError(`\`git ${args.join(" ")}\` failed${stderr ? `: ${stderr}` : ""}`);
    }
  };

  // No optional locks: even the index's stat cache is left as it was.
  const dirty = await git("--no-optional-locks", "status", "--porcelain");
  if (dirty) throw new ReleaseError(`the work tree is not clean; commit or remove these first:\n${dirty}`);

  const defaultBranch = /^ref: refs\/heads\/(\S+)\s+HEAD$/m.exec(await git("ls-remote", "--symref", remote, "HEAD"))?.[1];
  if (!defaultBranch) throw new ReleaseError(`could not learn ${remote}'s default branch (git ls-remote --symref ${remote} HEAD)`);
  const branch = await git("rev-parse", "--abbrev-ref", "HEAD");
  if (branch !== defaultBranch) throw new ReleaseError(`releases are made from the default branch \`${defaultBranch}\`, not \`${branch}\``);
  const commit = await git("rev-parse", "HEAD");
  const remoteHead = (await git("ls-remote", remote, `refs/heads/${defaultBranch}`)).split(/\s/)[0];
  if (remoteHead !== commit) throw new ReleaseError(`\`${defaultBranch}\` is not level with ${remote} (here ${commit.slice(0, 12)}, there ${remoteHead?.slice(0, 12) || "nothing"}): pull or push first`);

  const remoteTags = (await git("ls-remote", "--tags", "--refs", remote)).split("\n").map((line) => line.split("refs/tags/")[1] ?? "");
  const tags = [...new Set([...(await git("tag", "--list")).split("\n"), ...remoteTags])];
  const newest = tags.map(parseTag).filter((version): version is Version => version !== null).sort(compare).at(-1);
  const version = options.version === undefined ? nextPatch(newest) : parseVersion(options.version);
  if (newest && compare(version, newest) <= 0) throw new ReleaseError(`--version ${format(version)} is not greater than the newest release tag v${format(newest)}`);

  const stale = await staleDist();
  if (stale.length > 0) throw new ReleaseError(`${stale.join(" and ")} ${stale.length === 1 ? "is" : "are"} stale: run \`npm run build:action\` and commit dist/`);

  const notes = changelogSection(readChangelog(cwd), format(version));
  if (notes === null) {
    const missing = `CHANGELOG.md has no \`## [${format(version)}]\` section for the release's notes`;
    if (!dryRun) throw new ReleaseError(`${missing}: add one (move the Unreleased entries under it) and commit it`);
    log(`warning: ${missing}; a real release would refuse`);
  }
  if (options.notesFile) writeFileSync(options.notesFile, notes ?? "");

  const tag = `v${format(version)}`;
  const majorTag = `v${version.major}`;
  const commands = [
    ["git", "tag", "--annotate", tag, "--message", `Orkestra ${tag}`, commit],
    ["git", "tag", "--force", majorTag, commit],
    ["git", "push", remote, `refs/tags/${tag}`],
    ["git", "push", "--force", remote, `refs/tags/${majorTag}`],
  ];
  log(`${dryRun ? "Dry run: would release" : "Releasing"} ${tag} (${defaultBranch} at ${commit.slice(0, 12)}) and move ${majorTag} to it${dryRun ? " with" : ":"}`);
  for (const command of commands) {
    log(`  ${command.map(quote).join(" ")}`);
    if (!dryRun) await git(...command.slice(1));
  }
  return { version: format(version), tag, majorTag, commit, commands };
}

function parseTag(tag: string): Version | null {
  const match = TAG.exec(tag);
  return match ? { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) } : null;
}

function parseVersion(text: string): Version {
  const version = parseTag(text.startsWith("v") ? text : `v${text}`);
  if (!version) throw new ReleaseError(`--version ${JSON.stringify(text)} is not a version like 1.2.3`);
  return version;
}

function nextPatch(newest: Version | undefined): Version {
  return newest ? { ...newest, patch: newest.patch + 1 } : { major: 1, minor: 0, patch: 0 };
}

function compare(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

function format(version: Version): string {
  return `${version.major}.${version.minor}.${version.patch}`;
}

function readChangelog(cwd: string): string {
  const path = join(cwd, "CHANGELOG.md");
  return existsSync(path) ? readFileSync(path, "utf8") : "";
}

/** The body of the `## [1.2.3]` section of a Keep a Changelog file, or null when it has none. */
export function changelogSection(changelog: string, version: string): string | null {
  const lines = changelog.split("\n");
  const start = lines.findIndex((line) => line.startsWith(`## [${version}]`));
  if (start < 0) return null;
  const end = lines.findIndex((line, index) => index > start && (line.startsWith("## ") || /^\[[^\]]+\]: /.test(line)));
  return `${lines
    .slice(start + 1, end < 0 ? undefined : end)
    .join("\n")
    .trim()}\n`;
}

/** A command as a shell would read it, so a printed dry run can be pasted. */
function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const program = new Command("release")
    .description("tag the default branch's head vX.Y.Z, move vX to it and push both (see docs/release.md)")
    .option("--version <x.y.z>", "the version to release (default: the next patch after the newest vX.Y.Z tag)")
    .option("--dry-run", "check everything and print the git commands, change nothing", false)
    .option("--remote <name>", "the remote to check against and push to", "origin")
    .option("--notes-file <path>", "write the release's CHANGELOG.md section here")
    .option("--outputs-file <path>", "append version=… and tag=… here (a step's $GITHUB_OUTPUT)")
    .parse();
  const flags = program.opts<{ version?: string; dryRun: boolean; remote: string; notesFile?: string; outputsFile?: string }>();
  try {
    const plan = await release({
      dryRun: flags.dryRun,
      remote: flags.remote,
      ...(flags.version === undefined ? {} : { version: flags.version }),
      ...(flags.notesFile === undefined ? {} : { notesFile: flags.notesFile }),
    });
    if (flags.outputsFile) appendFileSync(flags.outputsFile, `version=${plan.version}\ntag=${plan.tag}\n`);
  } catch (error) {
    if (!(error instanceof ReleaseError)) throw error;
    console.error(`release: ${error.message}`);
    process.exit(1);
  }
}

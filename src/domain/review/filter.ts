/**
 * Files agents should not spend budget on: lock files, generated and minified output, build
 * directories, vendored code, and the repository's own globs. Every exclusion says why, so the
 * review can list it instead of dropping it silently. `keep` globs win over everything.
 */
import picomatch from "picomatch";
import type { DiffFile } from "./diff.js";

export type ExclusionKind = "lock-file" | "generated" | "minified" | "source-map" | "build-output" | "vendored" | "config";

export interface ExcludedFile {
  file: DiffFile;
  kind: ExclusionKind;
  /** The glob or the file content that matched. */
  detail: string;
}

export interface FilterOptions {
  /** Apply the built-in lists below (default true). */
  builtIn?: boolean;
  /** The repository's extra exclusion globs. */
  paths?: readonly string[];
  /** Globs that are always reviewed, even when another rule excludes them. */
  keep?: readonly string[];
}

export interface FilterResult {
  kept: DiffFile[];
  excluded: ExcludedFile[];
}

/** Built-in exclusions; a pattern without `/` matches the file name in any directory. */
const BUILT_IN_EXCLUSIONS: Readonly<Record<Exclude<ExclusionKind, "config">, readonly string[]>> = {
  "lock-file": [
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lock",
    "bun.lockb",
    "deno.lock",
    "Cargo.lock",
    "poetry.lock",
    "Pipfile.lock",
    "uv.lock",
    "pdm.lock",
    "Gemfile.lock",
    "composer.lock",
    "go.sum",
    "go.work.sum",
    "mix.lock",
    "pubspec.lock",
    "Podfile.lock",
    "Package.resolved",
    "flake.lock",
    "gradle.lockfile",
    "packages.lock.json",
    ".terraform.lock.hcl",
  ],
  minified: ["*.min.js", "*.min.mjs", "*.min.cjs", "*.min.css"],
  "source-map": ["*.map"],
  generated: ["*.pb.go", "*_pb2.py", "*_pb2.pyi", "*.g.dart", "*.generated.*", "**/__snapshots__/**", "*.snap"],
  "build-output": ["dist/**", "**/dist/**", "build/**", "coverage/**", "**/.next/**"],
  vendored: ["vendor/**", "third_party/**", "**/node_modules/**"],
};

/** Markers generators write in a file's first lines (Go's convention, Facebook's `@generated`). */
const GENERATED_HEADER = /@generated\b|^\W*Code generated .* DO NOT EDIT\.?\s*$/m;

type Matcher = (path: string) => boolean;

export function globMatcher(pattern: string): Matcher {
  return picomatch(pattern, { dot: true, basename: !pattern.includes("/") });
}

/** The header text a generator would leave: the first lines of a hunk that starts at line 1. */
function generatedHeader(file: DiffFile): string | null {
  const first = file.hunks[0];
  if (!first || first.newStart > 1 || file.status === "removed") return null;
  const head = first.lines
    .filter((line) => line.kind !== "del")
    .slice(0, 5)
    .map((line) => line.text)
    .join("\n");
  return GENERATED_HEADER.exec(head)?.[0].trim() ?? null;
}

/** Splits files into those agents review and those excluded, each with its reason. */
export function filterFiles(files: readonly DiffFile[], options: FilterOptions = {}): FilterResult {
  const keep = (options.keep ?? []).map(globMatcher);
  const rules: Array<{ kind: ExclusionKind; pattern: string; match: Matcher }> = [];
  if (options.builtIn ?? true) {
    for (const [kind, patterns] of Object.entries(BUILT_IN_EXCLUSIONS)) {
      for (const pattern of patterns) rules.push({ kind: kind as ExclusionKind, pattern, match: globMatcher(pattern) });
    }
  }
  for (const pattern of options.paths ?? []) rules.push({ kind: "config", pattern, match: globMatcher(pattern) });

  const result: FilterResult = { kept: [], excluded: [] };
  for (const file of files) {
    if (keep.some((match) => match(file.path))) {
      result.kept.push(file);
      continue;
    }
    const rule = rules.find((candidate) => candidate.match(file.path));
    const header = rule || !(options.builtIn ?? true) ? null : generatedHeader(file);
    if (rule) result.excluded.push({ file, kind: rule.kind, detail: rule.pattern });
    else if (header) result.excluded.push({ file, kind: "generated", detail: `file header says "${header.slice(0, 60)}"` });
    else result.kept.push(file);
  }
  return result;
}

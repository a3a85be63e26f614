/**
 * Review priority of files and hunks when the diff does not fit every agent's budget.
 * Risk is a product of a few documented weights (see docs/review.md, "Packing"):
 * the kind of file (code > config > docs), security-sensitive or CI paths, tests slightly lower,
 * and the amount of change on a log scale, with deletions counting half (removed code cannot run).
 * Hunks inside a file are ranked by their own change size and risky content.
 */
import type { DiffFile, DiffHunk } from "./diff.js";

const CODE_EXTENSIONS = new Set(
  "ts tsx mts cts js jsx mjs cjs py go rs java kt kts scala c h cc cpp hpp cs rb php swift m mm sh bash zsh ps1 sql lua pl ex exs erl hs clj dart vue svelte sol".split(" "),
);
const CONFIG_EXTENSIONS = new Set("json jsonc yml yaml toml ini cfg conf xml gradle properties env tf hcl nix".split(" "));
const DOC_EXTENSIONS = new Set("md mdx rst txt adoc org".split(" "));

/** Paths where a mistake is a security problem. */
const SECURITY_PATH =
  /(^|[/_.-])(auth\w*|login|oauth|jwt|session|crypto\w*|cipher|secrets?|passwords?|tokens?|permissions?|acl|rbac|sanitiz\w*|csrf|cors|security)([/_.-]|$)/i;
/** Paths that change how code is built, deployed or run with privileges. */
const INFRA_PATH = /(^|\/)(\.github\/(workflows|actions)\/|Dockerfile|docker-compose|\.gitlab-ci|Jenkinsfile|Makefile$|\.circleci\/|deploy|migrations?\/)/i;
const TEST_PATH = /(^|\/)(tests?|__tests__|spec|e2e)\/|\.(test|spec)\.[a-z]+$/i;
/** Changed lines that deserve a closer look wherever they are. */
const RISKY_CONTENT =
  /\b(eval|exec|execSync|spawn|child_process|innerHTML|dangerouslySetInnerHTML|password|secret|private_key|token|crypto|random|chmod|sudo|pull_request_target|permissions:|DELETE FROM|DROP TABLE|unsafe)\b/i;

interface FileRisk {
  weight: number;
  tags: string[];
}

/** The path-based weight of a file and why (used in scores and shown to people). */
export function fileRisk(path: string): FileRisk {
  const tags: string[] = [];
  const extension = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase() ?? "";
  let weight = 1;
  if (CODE_EXTENSIONS.has(extension)) {
    weight = 1.5;
    tags.push("code");
  } else if (CONFIG_EXTENSIONS.has(extension)) {
    tags.push("config");
  } else if (DOC_EXTENSIONS.has(extension)) {
    weight = 0.4;
    tags.push("docs");
  }
  if (SECURITY_PATH.test(path)) {
    weight *= 3;
    tags.push("security");
  }
  if (INFRA_PATH.test(path)) {
    weight *= 2.5;
    tags.push("ci/infra");
  }
  if (TEST_PATH.test(path)) {
    weight *= 0.8;
    tags.push("test");
  }
  return { weight, tags };
}

function sizeFactor(additions: number, deletions: number): number {
  return Math.log2(2 + additions + deletions / 2);
}

function fileScore(file: DiffFile): number {
  return fileRisk(file.path).weight * sizeFactor(file.additions, file.deletions);
}

function hunkScore(hunk: DiffHunk, fileWeight: number): number {
  let additions = 0;
  let deletions = 0;
  let risky = false;
  for (const line of hunk.lines) {
    if (line.kind === "context") continue;
    if (line.kind === "add") additions++;
    else deletions++;
    if (!risky && RISKY_CONTENT.test(line.text)) risky = true;
  }
  return fileWeight * sizeFactor(additions, deletions) * (risky ? 1.5 : 1);
}

export interface RankedFile {
  file: DiffFile;
  score: number;
  /** Indices into `file.hunks`, highest priority first. */
  hunkOrder: number[];
  hunkScores: number[];
}

/** Files by descending score (ties by path), each with its hunks ranked. Deterministic. */
export function rankFiles(files: readonly DiffFile[]): RankedFile[] {
  return files
    .map((file) => {
      const weight = fileRisk(file.path).weight;
      const hunkScores = file.hunks.map((hunk) => hunkScore(hunk, weight));
      const hunkOrder = hunkScores.map((_, index) => index).sort((a, b) => (hunkScores[b] as number) - (hunkScores[a] as number) || a - b);
      return { file, score: fileScore(file), hunkOrder, hunkScores };
    })
    .sort((a, b) => b.score - a.score || (a.file.path < b.file.path ? -1 : a.file.path > b.file.path ? 1 : 0));
}

/**
 * Safe outputs: Orkestra, never the agent, decides whether what an agent produced may be written.
 * The agent's change set is checked as untrusted data — every path, mode and byte — and anything
 * refused is a failed attempt with reasons people can read. Each refusal names the file and the
 * rule; none repeats a secret, so refusals can go into comments, logs and the card as they are.
 */
import picomatch from "picomatch";
import { findSecrets } from "../secrets.js";
import { textSize } from "../review/markdown.js";
import { codeSpan } from "../untrusted-text.js";
import { formatCount as count } from "./format.js";

type ChangeKind = "add" | "modify" | "delete";

/** Git tree modes: a file, an executable, a symbolic link, a submodule (a gitlink). */
type FileMode = "100644" | "100755" | "120000" | "160000";

export interface FileChange {
  /** Repository-relative path, `/`-separated, as the agent gave it. */
  path: string;
  kind: ChangeKind;
  /** The new entry's mode (a delete's is not checked). */
  mode: FileMode;
  /** The new content; null for a delete, or when it was too large to load (then `size` says how large). */
  content: string | Uint8Array | null;
  /** Bytes of the new content as the producer reported them; the content's own size wins when larger. */
  size: number;
}

/** What the safe-output check needs; the caller maps the `execution:` configuration to it. */
export interface SafeOutputRules {
  /** Globs (picomatch, dotfiles included; without `/` they match the file name anywhere) never written. */
  protectedPaths: readonly string[];
  /** Whether content that is not UTF-8 text (a NUL byte, invalid UTF-8) may be written. */
  allowBinary: boolean;
  /** Most files one change set may touch (deletes count). */
  maxFiles: number;
  /** Most bytes of new content one change set may hold. */
  maxBytes: number;
  /** Most bytes one file may hold. */
  maxFileBytes: number;
  /** Values never to be written: the agents' own keys (shorter than 6 characters are ignored). */
  secrets: readonly string[];
}

type SafeOutputRule =
  | "too-many-files"
  | "too-many-bytes"
  | "outside-repository"
  | "duplicate"
  | "workflow"
  | "protected"
  | "symlink"
  | "submodule"
  | "no-content"
  | "binary"
  | "file-too-large"
  | "secret";

/** Order of refusals for one file (and set-wide ones first), so the same input reads the same. */
const RULE_ORDER: readonly SafeOutputRule[] = [
  "too-many-files",
  "too-many-bytes",
  "outside-repository",
  "duplicate",
  "workflow",
  "protected",
  "symlink",
  "submodule",
  "no-content",
  "binary",
  "file-too-large",
  "secret",
];

/** Never written, whatever the configuration says: an agent may not change CI. */
const WORKFLOWS_DIR = ".github/workflows";

/** How the summary counts the refusals it does not list. */
const RULE_COUNTED: Record<SafeOutputRule, string> = {
  "too-many-files": "too many files",
  "too-many-bytes": "too many bytes",
  "outside-repository": "outside the repository",
  duplicate: "listed more than once",
  workflow: `under \`${WORKFLOWS_DIR}/\``,
  protected: "protected",
  symlink: "symbolic links",
  submodule: "submodules",
  "no-content": "without content",
  binary: "binary",
  "file-too-large": "too large",
  secret: "holding keys",
};

interface Refusal {
  rule: SafeOutputRule;
  /** The sentence people read: the file (when there is one), what is wrong, and why. */
  message: string;
}

type SafeOutputCheck = { ok: true } | { ok: false; refusals: Refusal[]; summary: string };

/** Refusals listed one by one in the summary; the rest are counted. */
const SUMMARY_ITEMS = 10;
/** Longest path shown in a refusal, in characters (a longer one is shortened with `…`). */
const SHOWN_PATH_MAX = 160;
/** Findings named per file in a secret refusal. */
const SECRET_PLACES_SHOWN = 3;
/**
 * Control, format (zero-width, direction overrides), line-separator characters and half surrogate
 * pairs: invisible or misleading in a path, and HFS+ ignores some of them (`.g\u200cit` is `.git`).
 */
const INVISIBLE_RE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;
/** Half a surrogate pair: a string no UTF-8 file can hold. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Checks a change set against the rules: ok, or every refusal in a stable order (set-wide ones,
 * then by path, then by rule) with a summary short enough for a comment however many there are.
 */
export function checkChanges(changes: readonly FileChange[], rules: SafeOutputRules): SafeOutputCheck {
  // `path` null: a refusal of the whole change set, listed first.
  const found: { path: string | null; refusal: Refusal }[] = [];
  const refuse = (path: string | null, rule: SafeOutputRule, message: string) => found.push({ path, refusal: { rule, message } });

  if (changes.length > rules.maxFiles) {
    refuse(null, "too-many-files", `The change set touches ${count(changes.length)} files; at most ${count(rules.maxFiles)} may change at once.`);
  }
  const totalBytes = changes.reduce((sum, change) => sum + (change.kind === "delete" ? 0 : sizeOf(change)), 0);
  if (totalBytes > rules.maxBytes) {
    refuse(null, "too-many-bytes", `The change set holds ${count(totalBytes)} bytes of new content; at most ${count(rules.maxBytes)} may be written at once.`);
  }

  const protectedMatchers = rules.protectedPaths.map((glob) => ({ glob, match: protectedMatcher(glob) }));
  const seen = new Map<string, number>();
  for (const change of changes) seen.set(change.path, (seen.get(change.path) ?? 0) + 1);

  for (const change of changes) {
    const { path } = change;
    const times = seen.get(path) ?? 0;
    if (times === 0) continue; // a duplicate already checked
    seen.set(path, 0);
    // A path that holds a key cannot be shown: one refusal, without the path, says so.
    const inPath = findSecrets(path, rules.secrets)[0];
    if (inPath) {
      refuse(path, "secret", `A file path holds ${inPath.kind}; the path is not shown, and keys are never written.`);
      continue;
    }
    const file = codeSpan(shownPath(path));
    const outside = outsideReason(path);
    if (outside) {
      refuse(path, "outside-repository", `${file}: ${outside}; Orkestra writes only plain paths inside the repository.`);
      continue;
    }
    if (times > 1) refuse(path, "duplicate", `${file}: appears ${times} times in the change set; each file may change once.`);
    if (isUnderWorkflows(path)) {
      refuse(path, "workflow", `${file}: changes under \`${WORKFLOWS_DIR}/\` are never written (an agent may not change CI).`);
    }
    const glob = protectedMatchers.find(({ match }) => match(path))?.glob;
    if (glob !== undefined) refuse(path, "protected", `${file}: matches the protected path ${codeSpan(glob)}, which agents may not change.`);
    if (change.kind === "delete") continue;

    if (isGitmodules(path)) {
      refuse(path, "submodule", `${file}: submodules are never written (a submodule brings in code from elsewhere).`);
    }
    if (change.mode === "120000") {
      refuse(path, "symlink", `${file}: symbolic links are never written (a link can point outside the repository).`);
      continue;
    }
    if (change.mode === "160000") {
      refuse(path, "submodule", `${file}: submodules are never written (a submodule brings in code from elsewhere).`);
      continue;
    }
    const size = sizeOf(change);
    if (size > rules.maxFileBytes) {
      refuse(path, "file-too-large", `${file}: holds ${count(size)} bytes; one file may hold at most ${count(rules.maxFileBytes)}.`);
      continue; // its content is not read further: it is refused already
    }
    if (change.content === null) {
      refuse(path, "no-content", `${file}: came without its content, so it could not be checked.`);
      continue;
    }
    const content = readContent(change.content);
    if (content.binary && !rules.allowBinary) {
      refuse(path, "binary", `${file}: is binary (${content.binary}); binary files are written only when \`execution.allowBinary\` is on.`);
    }
    const secrets = secretPlaces(content, rules.secrets);
    if (secrets) refuse(path, "secret", `${file}: looks like it holds a key — ${secrets}; keys are never written (read them from the environment).`);
  }

  if (found.length === 0) return { ok: true };
  found.sort((a, b) => compare(a.path, b.path) || RULE_ORDER.indexOf(a.refusal.rule) - RULE_ORDER.indexOf(b.refusal.rule));
  const refusals = found.map((entry) => entry.refusal);
  const files = new Set(found.map((entry) => entry.path).filter((path) => path !== null)).size;
  return { ok: false, refusals, summary: summarize(refusals, files) };
}

/** Why a path does not stay inside the repository's working tree, or null when it does. */
function outsideReason(path: string): string | null {
  if (path === "") return "the path is empty";
  const odd = INVISIBLE_RE.exec(path)?.[0];
  if (odd) return `the path holds U+${codePoint(odd)}, a control, invisible or unpaired character`;
  if (path.includes("\\")) return "the path holds a backslash (a path separator on Windows)";
  if (path.startsWith("/")) return "the path is absolute";
  if (/^[A-Za-z]:/.test(path)) return "the path starts with a drive letter";
  for (const segment of path.split("/")) {
    if (segment === "") return "the path has an empty segment (`//`, or a `/` at the end)";
    if (segment === ".") return "the path has a `.` segment";
    if (segment === "..") return "the path has a `..` segment";
    if (isGitDir(segment)) return "the path goes through `.git` (git's own directory)";
    if (textSize(segment) > 255) return "a segment of the path is longer than 255 bytes";
  }
  return null;
}

/**
 * `.git` as file systems may see it: any case, with trailing dots or spaces (NTFS drops them),
 * as an NTFS stream (`.git::$INDEX_ALLOCATION`) or its 8.3 short name `git~1` — git refuses the
 * same spellings. Invisible characters HFS+ ignores are refused before this is asked.
 */
function isGitDir(segment: string): boolean {
  const name = (segment.split(":")[0] ?? "").replace(/[. ]+$/, "").toLowerCase();
  return name === ".git" || name === "git~1";
}

/** `.github/workflows` and everything under it, in any case (a case-insensitive checkout would merge them). */
function isUnderWorkflows(path: string): boolean {
  const lower = path.toLowerCase();
  return lower === WORKFLOWS_DIR || lower.startsWith(`${WORKFLOWS_DIR}/`);
}

/** `.gitmodules` declares submodules: writing it is writing a submodule. */
function isGitmodules(path: string): boolean {
  return (path.split("/").at(-1) ?? "").replace(/[. ]+$/, "").toLowerCase() === ".gitmodules";
}

function protectedMatcher(glob: string): (path: string) => boolean {
  // Case-insensitive: protection should not be undone by `Secrets/` on a case-insensitive disk.
  return picomatch(glob, { dot: true, nocase: true, basename: !glob.includes("/") });
}

function sizeOf(change: FileChange): number {
  const content = change.content;
  const own = content === null ? 0 : typeof content === "string" ? textSize(content) : content.length;
  return Math.max(change.size, own);
}

interface Content {
  /** The text to scan for keys (binary content read byte per character, so ASCII keys show). */
  text: string;
  /** Why the content is binary, or null for UTF-8 text. */
  binary: string | null;
}

function readContent(content: string | Uint8Array): Content {
  if (typeof content === "string") {
    if (content.includes("\0")) return { text: content, binary: "a NUL byte" };
    if (LONE_SURROGATE.test(content)) {
      return { text: content, binary: "not valid UTF-8" };
    }
    return { text: content, binary: null };
  }
  if (content.includes(0)) return { text: latin1(content), binary: "a NUL byte" };
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(content), binary: null };
  } catch {
    return { text: latin1(content), binary: "not valid UTF-8" };
  }
}

function latin1(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 8192) text += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return text;
}

/** "line 3 (an xAI key) and line 9 (a GitHub token)", or null when the content holds no key. */
function secretPlaces(content: Content, secrets: readonly string[]): string | null {
  const findings = findSecrets(content.text, secrets);
  if (findings.length === 0) return null;
  if (content.binary) return `its binary content holds ${findings[0]!.kind}${more(findings.length - 1)}`;
  const places: string[] = [];
  let line = 1;
  let from = 0;
  for (const finding of findings) {
    for (let at = content.text.indexOf("\n", from); at >= 0 && at < finding.index; at = content.text.indexOf("\n", at + 1)) {
      line++;
      from = at + 1;
    }
    const place = `line ${line} (${finding.kind})`;
    if (!places.includes(place)) places.push(place);
  }
  const shown = places.slice(0, SECRET_PLACES_SHOWN);
  const rest = places.length - shown.length;
  return rest > 0 ? `${shown.join(", ")}${more(rest)}` : listed(shown);
}

function more(n: number): string {
  return n > 0 ? ` and ${count(n)} more place${n === 1 ? "" : "s"}` : "";
}

function listed(items: readonly string[]): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

function summarize(refusals: readonly Refusal[], files: number): string {
  const problems = `${count(refusals.length)} problem${refusals.length === 1 ? "" : "s"}`;
  const where = files > 0 ? ` in ${count(files)} file${files === 1 ? "" : "s"}` : "";
  const lines = [`Orkestra refused to write these changes (${problems}${where}):`];
  for (const refusal of refusals.slice(0, SUMMARY_ITEMS)) lines.push(`- ${refusal.message}`);
  const rest = refusals.slice(SUMMARY_ITEMS);
  if (rest.length > 0) {
    const byRule = RULE_ORDER.map((rule) => [rule, rest.filter((refusal) => refusal.rule === rule).length] as const)
      .filter(([, n]) => n > 0)
      .map(([rule, n]) => `${count(n)} ${RULE_COUNTED[rule]}`);
    lines.push(`- … and ${count(rest.length)} more: ${byRule.join(", ")}.`);
  }
  return lines.join("\n");
}

/** The path as people may see it: invisible and control characters spelled out, long ones shortened. */
function shownPath(path: string): string {
  const spelled = path.replace(new RegExp(INVISIBLE_RE.source, "gu"), (char) => `<U+${codePoint(char)}>`);
  const chars = [...spelled];
  return chars.length > SHOWN_PATH_MAX ? `${chars.slice(0, SHOWN_PATH_MAX - 1).join("")}…` : spelled;
}

function codePoint(char: string): string {
  return (char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0");
}


/** Set-wide (null) first, then code-unit order: the same everywhere, unlike `localeCompare`. */
function compare(a: string | null, b: string | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

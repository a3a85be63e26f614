/**
 * A task's acceptance criteria, read from its issue body so the pull request can list them as a
 * checklist and reviewers can hold the work to them. Only visible text counts: fenced code, block
 * quotes and HTML comments are material, not criteria (the same reading as dependencies).
 */
import { visibleLines } from "../markdown.js";
import { FORM_FIELDS } from "../task/form.js";

/** Section names that introduce criteria (compared in lower case, punctuation and emoji ignored). */
const SECTION_NAMES = new Set([
  FORM_FIELDS.acceptance.toLowerCase(),
  "acceptance criterion",
  "acceptance",
  "definition of done",
  "done when",
  "success criteria",
]);

/** What GitHub writes for an issue-form field left empty. */
const NO_RESPONSE = "_No response_";

const ATX_HEADING_RE = /^ {0,3}(#{1,6})(?:\s+(.*?))?\s*$/;
/** A line that is all bold (`**Acceptance criteria:**`), the way people head a section without `#`. */
const BOLD_HEADING_RE = /^ {0,3}(\*\*|__)(.+?)\1\s*:?\s*$/;
/** Weaker than any `#` heading: ends only at another heading-like line. */
const BOLD_LEVEL = 7;
const LIST_ITEM_RE = /^\s*(?:[-*+]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?(.*)$/;
const TASK_ITEM_RE = /^\s*[-*+]\s+\[[ xX]\]\s+(.*)$/;
/** A task-list item that starts with an issue reference is a dependency (see `../task/dependencies.ts`). */
const DEPENDENCY_ITEM_RE = /^(?:#\d+|https:\/\/\S+)/;

/**
 * The criteria, in order and without repeats: the items of every section named like "Acceptance
 * criteria" (the task form's field, a `#` heading or a bold line; list items, or paragraphs when
 * the section has no list), or, when there is no such section or it is empty, the body's task-list
 * items (`- [ ] …`) that are not dependency references. Texts are the person's Markdown, untrusted.
 */
export function acceptanceCriteria(body: string): string[] {
  const lines = visibleLines(body).map(({ text }) => text);
  const fromSections = sectionItems(lines);
  const items = fromSections.length > 0 ? fromSections : taskListItems(lines);
  return [...new Set(items)];
}

function sectionItems(lines: readonly string[]): string[] {
  const items: string[] = [];
  let level: number | null = null;
  let current: string[] | null = null;
  const close = () => {
    const text = current?.join(" ").replace(/\s+/g, " ").trim();
    if (text && text !== NO_RESPONSE) items.push(text);
    current = null;
  };
  for (const line of lines) {
    const heading = headingOf(line);
    if (heading) {
      if (level !== null && heading.level > level) continue; // a sub-heading inside the section
      close();
      level = SECTION_NAMES.has(normalName(heading.text)) ? heading.level : null;
      continue;
    }
    if (level === null) continue;
    const item = LIST_ITEM_RE.exec(line);
    if (item) {
      close();
      current = [item[1] ?? ""];
    } else if (line.trim() === "") {
      close();
    } else {
      (current ??= []).push(line);
    }
  }
  close();
  return items;
}

function taskListItems(lines: readonly string[]): string[] {
  return lines
    .map((line) => TASK_ITEM_RE.exec(line)?.[1]?.trim() ?? "")
    .filter((text) => text !== "" && !DEPENDENCY_ITEM_RE.test(text));
}

function headingOf(line: string): { level: number; text: string } | null {
  const atx = ATX_HEADING_RE.exec(line);
  if (atx) return { level: atx[1]!.length, text: (atx[2] ?? "").replace(/\s#+$/, "") };
  const bold = BOLD_HEADING_RE.exec(line);
  return bold ? { level: BOLD_LEVEL, text: bold[2] ?? "" } : null;
}

function normalName(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z ]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

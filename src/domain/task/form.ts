import { visibleLines } from "../markdown.js";

/**
 * GitHub renders an issue form into the body as `### <field label>` headings followed by
 * the answer (`_No response_` when left empty). These are the labels of the task form
 * shipped in `.github/ISSUE_TEMPLATE/task.yml`.
 */
export const FORM_FIELDS = {
  description: "Description",
  type: "Type",
  priority: "Priority",
  dependencies: "Dependencies",
  acceptance: "Acceptance criteria",
} as const;

type FormAnswers = Partial<Record<keyof typeof FORM_FIELDS, string>>;

const NO_RESPONSE = "_No response_";

export function parseIssueForm(body: string): FormAnswers {
  const sections = new Map<string, string[]>();
  let current: string[] | null = null;
  for (const { text } of visibleLines(body)) {
    const heading = /^###\s+(.+?)\s*$/.exec(text);
    if (heading?.[1]) {
      current = [];
      sections.set(heading[1].toLowerCase(), current);
    } else {
      current?.push(text);
    }
  }
  const answers: FormAnswers = {};
  for (const [key, label] of Object.entries(FORM_FIELDS) as [keyof typeof FORM_FIELDS, string][]) {
    const value = sections.get(label.toLowerCase())?.join("\n").trim();
    if (value && value !== NO_RESPONSE) answers[key] = value;
  }
  return answers;
}

/** True when the body has the shape of the task form (its Type and Priority sections). */
export function isTaskForm(body: string): boolean {
  const headings = new Set(
    visibleLines(body)
      .map(({ text }) => /^###\s+(.+?)\s*$/.exec(text)?.[1]?.toLowerCase())
      .filter(Boolean),
  );
  return headings.has(FORM_FIELDS.type.toLowerCase()) && headings.has(FORM_FIELDS.priority.toLowerCase());
}

/**
 * Which lines of a markdown text a person "said" as plain text: lines inside fenced code
 * blocks, block quotes and HTML comments are quoted or hidden material, so commands and
 * dependency references found there are ignored.
 */
interface VisibleLine {
  /** 0-based index of the line in the original text. */
  index: number;
  text: string;
}

const FENCE_RE = /^ {0,3}(`{3,}|~{3,})/;
const QUOTE_RE = /^ {0,3}>/;

export function visibleLines(markdown: string): VisibleLine[] {
  const lines = stripHtmlComments(markdown).split(/\r?\n/);
  const visible: VisibleLine[] = [];
  let fence: string | null = null;
  lines.forEach((text, index) => {
    const opener = FENCE_RE.exec(text)?.[1];
    if (fence !== null) {
      if (opener && opener[0] === fence[0] && opener.length >= fence.length && text.trim() === opener) fence = null;
      return;
    }
    if (opener) {
      fence = opener;
      return;
    }
    if (QUOTE_RE.test(text)) return;
    visible.push({ index, text });
  });
  return visible;
}

/** Blanks HTML comments, keeping line breaks so indexes still match the original text. */
function stripHtmlComments(markdown: string): string {
  return markdown.replace(/<!--[\s\S]*?(?:-->|$)/g, (comment) => comment.replace(/[^\n]/g, ""));
}

/** `2026-11-21 10:00 UTC`: the way Orkestra prints a time everywhere. */
export function formatTime(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** `@alice @org/team`, or a plain reminder to configure maintainers when there are none. */
export function maintainerMentions(handles: readonly string[]): string {
  if (handles.length === 0) return "Maintainers (none are configured: set `maintainers` in `.github/orkestra.yml`)";
  return handles.map((handle) => `@${handle.replace(/^@/, "")}`).join(" ");
}

/** A reason as a sentence that ends with exactly one full stop, whether or not it had one. */
export function sentence(reason: string): string {
  return `${reason.trim().replace(/\.$/, "")}.`;
}

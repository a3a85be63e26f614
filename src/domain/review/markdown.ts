/**
 * Size limits of GitHub bodies and Markdown helpers that keep a body within them. Untrusted text
 * (agents' output, titles, paths) is made safe by `../untrusted-text.ts` before it gets here.
 */

/** GitHub's limit for comment and review bodies (65,536) and check-run summary/text (65,535). */
export const GITHUB_BODY_LIMIT = 65_536;
export const CHECK_TEXT_LIMIT = 65_535;

/**
 * Size as GitHub may count it: UTF-8 bytes, which is never less than the characters or UTF-16
 * units, so staying under the limit by this measure is safe whatever GitHub counts.
 */
export function textSize(text: string): number {
  let size = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) size += 1;
    else if (code < 0x800) size += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      size += 4;
      i++;
    } else size += 3;
  }
  return size;
}

/**
 * Cuts Markdown to at most `max` (by `textSize`) at a line boundary, closes an open code fence and
 * says it was cut. Text that fits is returned unchanged.
 */
export function truncateMarkdown(text: string, max: number, note = "…(truncated)"): string {
  if (textSize(text) <= max) return text;
  const lines = text.split("\n");
  const kept: string[] = [];
  let size = 0;
  let fence: string | null = null;
  const reserve = textSize(note) + 16;
  for (const line of lines) {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1] ?? null;
    let next: string | null = fence;
    if (marker) next = fence === null ? marker : marker[0] === fence[0] && marker.length >= fence.length ? null : fence;
    const cost = textSize(line) + 1;
    if (size + cost + (next ? textSize(next) + 1 : 0) + reserve > max) break;
    kept.push(line);
    size += cost;
    fence = next;
  }
  if (fence) kept.push(fence);
  kept.push(note);
  return kept.join("\n");
}

/**
 * Renders list items until `max` is reached, then "… and N more". Items are whole lines and are
 * never cut; the result (items plus the note) fits `max`.
 */
export function boundedList(items: readonly string[], max: number, more = (n: number) => `- … and ${n} more`): string {
  const out: string[] = [];
  let size = 0;
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as string;
    const remaining = items.length - i - 1;
    const tail = remaining > 0 ? textSize(more(remaining)) : 0;
    if (size + textSize(item) + 1 + tail > max) {
      const note = more(items.length - i);
      if (size + textSize(note) <= max) out.push(note);
      break;
    }
    out.push(item);
    size += textSize(item) + 1;
  }
  return out.join("\n");
}

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { diffText, lineAtPosition, renderPatch, resolveLine, type TextDiff } from "../../tools/sandbox/diff.js";

/** Applies a diff's hunks to `before`, trusting only the hunk lines: what `git apply` would do. */
function apply(before: string, diff: TextDiff): string {
  const lines = before === "" ? [] : before.split("\n");
  const trailing = before.endsWith("\n");
  if (trailing) lines.pop();
  const out: string[] = [];
  let cursor = 0;
  let endsWithNewline = trailing;
  for (const hunk of diff.hunks) {
    const start = hunk.oldCount === 0 ? hunk.oldStart : hunk.oldStart - 1;
    out.push(...lines.slice(cursor, start));
    cursor = start;
    for (const line of hunk.lines) {
      if (line.kind !== "added") {
        expect(lines[cursor]).toBe(line.text);
        cursor += 1;
      }
      if (line.kind !== "removed") {
        out.push(line.text);
        endsWithNewline = line.newline;
      }
    }
  }
  out.push(...lines.slice(cursor));
  if (cursor < lines.length) endsWithNewline = trailing;
  return out.length === 0 ? "" : `${out.join("\n")}${endsWithNewline ? "\n" : ""}`;
}

describe("line diffs", () => {
  it("prints a modified file as git does: 3 lines of context, merged close changes, split far ones", () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join("\n") + "\n";
    const after = before.replace("line 2\n", "line two\n").replace("line 5\n", "").replace("line 18\n", "line 18\nline 18b\n");
    expect(renderPatch(diffText(before, after))).toBe(
      [
        "@@ -1,8 +1,7 @@",
        " line 1",
        "-line 2",
        "+line two",
        " line 3",
        " line 4",
        "-line 5",
        " line 6",
        " line 7",
        " line 8",
        "@@ -16,5 +15,6 @@",
        " line 16",
        " line 17",
        " line 18",
        "+line 18b",
        " line 19",
        " line 20",
      ].join("\n"),
    );
  });

  it("prints new, removed and one-line files with git's ranges, and a missing final newline", () => {
    expect(renderPatch(diffText("", "a\nb\n"))).toBe("@@ -0,0 +1,2 @@\n+a\n+b");
    expect(renderPatch(diffText("a\n", ""))).toBe("@@ -1 +0,0 @@\n-a");
    expect(renderPatch(diffText("a\n", "a"))).toBe("@@ -1 +1 @@\n-a\n+a\n\\ No newline at end of file");
    expect(diffText("same\n", "same\n").hunks).toEqual([]);
  });

  it("resolves lines per side and positions as GitHub counts them", () => {
    const diff = diffText("a\nb\nc\n", "a\nB\nc\nd\n");
    // @@ -1,3 +1,4 @@ / " a" / "-b" / "+B" / " c" / "+d"
    expect(resolveLine(diff, "RIGHT", 2)?.position).toBe(3);
    expect(resolveLine(diff, "LEFT", 2)?.position).toBe(2);
    expect(resolveLine(diff, "RIGHT", 4)?.position).toBe(5);
    expect(resolveLine(diff, "LEFT", 4)).toBeUndefined();
    expect(lineAtPosition(diff, 2)).toEqual({ side: "LEFT", line: 2 });
    expect(lineAtPosition(diff, 5)).toEqual({ side: "RIGHT", line: 4 });
    expect(lineAtPosition(diff, 6)).toBeUndefined();
  });

  it("always produces hunks that turn the old text into the new one", () => {
    const text = fc
      .array(fc.constantFrom("a", "b", "c", "d", ""), { maxLength: 30 })
      .chain((lines) => fc.boolean().map((newline) => (lines.length === 0 ? "" : lines.join("\n") + (newline ? "\n" : ""))));
    fc.assert(
      fc.property(text, text, (before, after) => {
        const diff = diffText(before, after);
        expect(apply(before, diff)).toBe(after);
        expect(diff.additions + diff.deletions === 0).toBe(before === after);
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { botComments, DOORS, labelsOf, startHarness, type Harness } from "../support/harness.js";
import { approve, BASE, changedApp, openPr, reviewConfig, scriptReviews } from "../review-handler/support.js";

const cleanups: Array<() => void> = [];
const OVERLAP = "conflict:overlap";

function overlapComments(h: Harness, pr: number): string[] {
  return botComments(h.sandbox, pr).filter((body) => body.includes("orkestra:overlap"));
}

/** The shared base file with one line near the end changed. */
function changedTail(): { path: string; before: string; after: string } {
  const lines = BASE.split("\n");
  lines[26] = "tail twenty-seven";
  return { path: "src/app.ts", before: BASE, after: lines.join("\n") };
}

describe.each(DOORS)("overlapping pull requests through the %s", (door) => {
  let h: Harness;
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    expect(h.sandbox.violations).toEqual([]);
    await h.close();
  });

  it("PRs changing the same lines get the label and one sticky comment each; both go when the overlap goes or a PR closes", async () => {
    h = await startHarness(door, { files: { ".github/orkestra.yml": reviewConfig({ alpha: {} }), "src/app.ts": BASE } });
    cleanups.push(scriptReviews(() => approve()));
    const first = await openPr(h, { head: "first", title: "First", files: [changedApp("one")] });
    const apart = await openPr(h, { head: "apart", title: "Apart", files: [changedApp("x", "src/other.ts")] });
    expect(labelsOf(h.sandbox, first)).toEqual([]);

    const second = await openPr(h, { head: "second", title: "Second", files: [changedApp("two")] });
    expect(labelsOf(h.sandbox, first)).toEqual([OVERLAP]);
    expect(labelsOf(h.sandbox, second)).toEqual([OVERLAP]);
    expect(labelsOf(h.sandbox, apart)).toEqual([]);
    expect(overlapComments(h, first)).toHaveLength(1);
    expect(overlapComments(h, first)[0]).toContain(`- #${second} Second — \`src/app.ts\` (base lines 5–6)`);
    expect(overlapComments(h, second)[0]).toContain(`- #${first} First — \`src/app.ts\` (base lines 5–6)`);

    // The second PR moves to other lines of the same file: the overlap goes on both sides.
    h.sandbox.as("alice").pushCommits(second, [changedTail()]);
    await h.settle();
    expect(labelsOf(h.sandbox, first)).toEqual([]);
    expect(labelsOf(h.sandbox, second)).toEqual([]);
    expect(overlapComments(h, first)).toEqual([expect.stringContaining("No overlap any more")]);
    expect(overlapComments(h, second)).toEqual([expect.stringContaining("No overlap any more")]);

    // A third PR overlaps the first; closing it clears the first again.
    const third = await openPr(h, { head: "third", title: "Third", files: [changedApp("three")] });
    expect(labelsOf(h.sandbox, first)).toEqual([OVERLAP]);
    expect(overlapComments(h, first)).toEqual([expect.stringContaining(`- #${third} Third`)]);
    h.sandbox.as("alice").closePullRequest(third);
    await h.settle();
    expect(labelsOf(h.sandbox, first)).toEqual([]);
    expect(labelsOf(h.sandbox, third)).toEqual([]);
    expect(overlapComments(h, first)).toEqual([expect.stringContaining("No overlap any more")]);
  });
});

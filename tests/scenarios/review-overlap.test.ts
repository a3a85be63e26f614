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

  /** Starts Orkestra with one approving agent; opens "First" on src/app.ts and "Apart" on another file. */
  async function firstAndApart() {
    h = await startHarness(door, { files: { ".github/orkestra.yml": reviewConfig({ alpha: {} }), "src/app.ts": BASE } });
    cleanups.push(scriptReviews(() => approve()));
    const first = await openPr(h, { head: "first", title: "First", files: [changedApp("one")] });
    const apart = await openPr(h, { head: "apart", title: "Apart", files: [changedApp("x", "src/other.ts")] });
    return { first, apart };
  }

  /** As firstAndApart, then opens "Second", changing the same lines as "First". */
  async function overlappingPair() {
    const opened = await firstAndApart();
    const second = await openPr(h, { head: "second", title: "Second", files: [changedApp("two")] });
    return { ...opened, second };
  }

  it("a PR is not labelled while no other PR changes its lines", async () => {
    const { first } = await firstAndApart();
    expect(labelsOf(h.sandbox, first)).toEqual([]);
  });

  it("PRs changing the same lines both get the overlap label", async () => {
    const { first, second } = await overlappingPair();
    expect(labelsOf(h.sandbox, first)).toEqual([OVERLAP]);
    expect(labelsOf(h.sandbox, second)).toEqual([OVERLAP]);
  });

  it("a PR changing other files is not labelled when two others overlap", async () => {
    const { apart } = await overlappingPair();
    expect(labelsOf(h.sandbox, apart)).toEqual([]);
  });

  it("each overlapping PR gets one sticky comment naming the other PR and the base lines", async () => {
    const { first, second } = await overlappingPair();
    expect(overlapComments(h, first)).toHaveLength(1);
    expect(overlapComments(h, first)[0]).toContain(`- #${second} Second — \`src/app.ts\` (base lines 5–6)`);
    expect(overlapComments(h, second)[0]).toContain(`- #${first} First — \`src/app.ts\` (base lines 5–6)`);
  });

  it("the overlap goes on both sides when a PR moves to other lines of the same file", async () => {
    const { first, second } = await overlappingPair();
    h.sandbox.as("alice").pushCommits(second, [changedTail()]);
    await h.settle();
    expect(labelsOf(h.sandbox, first)).toEqual([]);
    expect(labelsOf(h.sandbox, second)).toEqual([]);
    expect(overlapComments(h, first)).toEqual([expect.stringContaining("No overlap any more")]);
    expect(overlapComments(h, second)).toEqual([expect.stringContaining("No overlap any more")]);
  });

  it("an overlap that comes back labels the PR again and updates its one sticky comment", async () => {
    const { first, second } = await overlappingPair();
    h.sandbox.as("alice").pushCommits(second, [changedTail()]);
    await h.settle();
    const third = await openPr(h, { head: "third", title: "Third", files: [changedApp("three")] });
    expect(labelsOf(h.sandbox, first)).toEqual([OVERLAP]);
    expect(overlapComments(h, first)).toEqual([expect.stringContaining(`- #${third} Third`)]);
  });

  it("closing an overlapping PR clears the overlap on the other", async () => {
    const { first, second } = await overlappingPair();
    h.sandbox.as("alice").closePullRequest(second);
    await h.settle();
    expect(labelsOf(h.sandbox, first)).toEqual([]);
    expect(labelsOf(h.sandbox, second)).toEqual([]);
    expect(overlapComments(h, first)).toEqual([expect.stringContaining("No overlap any more")]);
  });
});

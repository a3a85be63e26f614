import { describe, expect, it } from "vitest";
import { parsePullRequestFiles } from "../../src/domain/review/diff.js";
import { GITHUB_BODY_LIMIT, textSize } from "../../src/domain/review/markdown.js";
import {
  changedFiles,
  computeOverlaps,
  planOverlapUpdates,
  readOverlapMarker,
  renderOverlapComment,
} from "../../src/domain/review/overlap.js";
import type { OverlapState, PullRequestChanges } from "../../src/domain/review/overlap.js";
import { MODIFIED_PATCH, PR_FILES, diffEntry } from "./fixtures.js";

const LABEL = "conflict:overlap";

describe("changedFiles", () => {
  it("gives base-side ranges of the changed lines, whole files when lines are unknown", () => {
    const ranges = changedFiles(parsePullRequestFiles(PR_FILES).files);
    expect(ranges).toEqual([
      { path: "src/server.ts", ranges: [{ start: 2, end: 2 }, { start: 42, end: 42 }] },
      { path: "docs/new.md", ranges: null },
      { path: "old/legacy.js", ranges: [{ start: 1, end: 3 }] },
      { path: "lib/util.ts", ranges: [{ start: 11, end: 11 }] },
      { path: "lib/moved.ts", ranges: null },
      { path: "assets/logo.png", ranges: null },
      { path: "db/huge.sql", ranges: null },
      { path: "package-lock.json", ranges: [{ start: 1, end: 2 }] },
    ]);
  });

  it("places a pure insertion between the lines around it", () => {
    const [file] = parsePullRequestFiles([
      diffEntry({ filename: "a.ts", status: "modified", additions: 1, deletions: 0, patch: "@@ -10,2 +10,3 @@\n x\n+inserted\n y" }),
    ]).files;
    expect(changedFiles([file!])[0]!.ranges).toEqual([{ start: 10, end: 11 }]);
  });
});

function pr(number: number, files: PullRequestChanges["files"], title?: string): PullRequestChanges {
  return { number, files, ...(title ? { title } : {}) };
}

describe("computeOverlaps", () => {
  const server = changedFiles(parsePullRequestFiles([diffEntry({ filename: "src/server.ts", status: "modified", additions: 3, deletions: 2, patch: MODIFIED_PATCH })]).files);

  it("finds overlapping and near ranges in the same file, both ways", () => {
    const prs = [
      pr(2, server),
      pr(5, [{ path: "src/server.ts", ranges: [{ start: 44, end: 50 }] }], "Tidy start()"),
      pr(7, [{ path: "src/server.ts", ranges: [{ start: 100, end: 120 }] }]),
      pr(9, [{ path: "src/other.ts", ranges: [{ start: 1, end: 5 }] }]),
    ];
    const overlaps = computeOverlaps(prs, 3);
    expect(overlaps.get(2)).toEqual([{ number: 5, title: "Tidy start()", files: [{ path: "src/server.ts", lines: [{ start: 42, end: 42 }] }] }]);
    expect(overlaps.get(5)).toEqual([{ number: 2, files: [{ path: "src/server.ts", lines: [{ start: 44, end: 50 }] }] }]);
    expect(overlaps.get(7)).toEqual([]);
    expect(overlaps.get(9)).toEqual([]);
    expect(computeOverlaps(prs, 0).get(2)).toEqual([]);
  });

  it("counts the same file as overlapping when either side's lines are unknown", () => {
    const overlaps = computeOverlaps([pr(1, [{ path: "logo.png", ranges: null }]), pr(2, [{ path: "logo.png", ranges: [{ start: 1, end: 1 }] }])]);
    expect(overlaps.get(1)).toEqual([{ number: 2, files: [{ path: "logo.png", lines: null }] }]);
  });
});

describe("planOverlapUpdates", () => {
  const a = pr(1, [{ path: "src/a.ts", ranges: [{ start: 10, end: 20 }] }]);
  const b = pr(2, [{ path: "src/a.ts", ranges: [{ start: 15, end: 16 }] }]);
  const c = pr(3, [{ path: "src/c.ts", ranges: [{ start: 1, end: 2 }] }]);

  it("labels and comments on every PR of a new overlap", () => {
    const updates = planOverlapUpdates({ prs: [a, b, c], previous: new Map(), label: LABEL });
    expect(updates.map((update) => [update.pr, update.addLabel, update.removeLabel, update.comment?.action])).toEqual([
      [1, true, false, "upsert"],
      [2, true, false, "upsert"],
    ]);
    const body = updates[0]!.comment!.body;
    expect(body).toContain("- #2 — `src/a.ts` (base lines 10–20)");
    expect(readOverlapMarker(body)).toMatchObject({ v: 1, pr: 1, others: [2] });
  });

  it("changes nothing when labels and comments are already right", () => {
    const first = planOverlapUpdates({ prs: [a, b], previous: new Map(), label: LABEL });
    const previous = new Map<number, OverlapState>(first.map((update) => [update.pr, { labeled: true, marker: readOverlapMarker(update.comment!.body) }]));
    expect(planOverlapUpdates({ prs: [a, b], previous, label: LABEL })).toEqual([]);
  });

  it("clears the label and resolves the comment when the overlap goes", () => {
    const first = planOverlapUpdates({ prs: [a, b], previous: new Map(), label: LABEL });
    const previous = new Map<number, OverlapState>(first.map((update) => [update.pr, { labeled: true, marker: readOverlapMarker(update.comment!.body) }]));
    const moved = pr(2, [{ path: "src/a.ts", ranges: [{ start: 90, end: 95 }] }]);
    const updates = planOverlapUpdates({ prs: [a, moved], previous, label: LABEL });
    expect(updates.map((update) => [update.pr, update.addLabel, update.removeLabel, update.comment?.action])).toEqual([
      [1, false, true, "resolve"],
      [2, false, true, "resolve"],
    ]);
    expect(updates[0]!.comment!.body).toContain("No overlap any more");
    expect(readOverlapMarker(updates[0]!.comment!.body)).toMatchObject({ others: [], signature: "" });
  });

  it("updates the remaining PR when the other one closes", () => {
    const previous = new Map<number, OverlapState>([[1, { labeled: true, marker: { v: 1, pr: 1, others: [2], signature: "x" } }]]);
    expect(planOverlapUpdates({ prs: [a], previous, label: LABEL })).toMatchObject([{ pr: 1, removeLabel: true, comment: { action: "resolve" } }]);
  });

  it("rewrites a comment when the list of overlapping PRs changes", () => {
    const first = planOverlapUpdates({ prs: [a, b], previous: new Map(), label: LABEL });
    const previous = new Map<number, OverlapState>(first.map((update) => [update.pr, { labeled: true, marker: readOverlapMarker(update.comment!.body) }]));
    const d = pr(4, [{ path: "src/a.ts", ranges: [{ start: 18, end: 30 }] }]);
    const updates = planOverlapUpdates({ prs: [a, b, d], previous, label: LABEL });
    expect(updates.map((update) => [update.pr, update.addLabel, update.comment?.action])).toEqual([
      [1, false, "upsert"],
      [2, false, "upsert"],
      [4, true, "upsert"],
    ]);
  });

  it("keeps the sticky comment under GitHub's limit", () => {
    const many = Array.from({ length: 3_000 }, (_, i) => ({
      number: i + 10,
      title: "t".repeat(200),
      files: Array.from({ length: 12 }, (_, j) => ({ path: `src/very/long/path/name/${j}.ts`, lines: [{ start: 1, end: 2 }] })),
    }));
    const body = renderOverlapComment(1, many, LABEL);
    expect(textSize(body)).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    expect(body).toMatch(/- … and [\d]+ more/);
  });
});

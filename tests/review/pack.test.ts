import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { estimateTokens } from "../../src/domain/tokens.js";
import type { DiffFile } from "../../src/domain/review/diff.js";
import { parsePullRequestFiles } from "../../src/domain/review/diff.js";
import { filterFiles } from "../../src/domain/review/filter.js";
import type { FilterResult } from "../../src/domain/review/filter.js";
import { coverageNote, packReview, packetText } from "../../src/domain/review/pack.js";
import type { OmittedFile, PackAgent, PackResult, ReviewPacket } from "../../src/domain/review/pack.js";
import { PR_FILES, diffEntry, syntheticPatch } from "./fixtures.js";

/** Keys `path#hunk#line` of every changed line in reviewable files. */
function allChangedLines(filtered: FilterResult): Set<string> {
  const keys = new Set<string>();
  for (const file of filtered.kept) {
    if (file.patch !== "present") continue;
    file.hunks.forEach((hunk, h) => hunk.lines.forEach((line, i) => line.kind !== "context" && keys.add(`${file.path}#${h}#${i}`)));
  }
  return keys;
}

function partKeys(filtered: FilterResult, path: string, parts: Array<{ hunk: number; from: number; to: number }>): string[] {
  const file = filtered.kept.find((candidate) => candidate.path === path)!;
  const keys: string[] = [];
  for (const part of parts) {
    for (let i = part.from; i < part.to; i++) if (file.hunks[part.hunk]!.lines[i]!.kind !== "context") keys.push(`${path}#${part.hunk}#${i}`);
  }
  return keys;
}

function wholeFileKeys(filtered: FilterResult, path: string): string[] {
  const file = filtered.kept.find((candidate) => candidate.path === path)!;
  return partKeys(filtered, path, file.hunks.map((hunk, h) => ({ hunk: h, from: 0, to: hunk.lines.length })));
}

function seenKeys(filtered: FilterResult, packet: ReviewPacket): string[] {
  return packet.files.flatMap((file) => partKeys(filtered, file.path, file.parts));
}

function omittedKeys(filtered: FilterResult, omitted: readonly OmittedFile[]): string[] {
  return omitted
    .filter((entry) => entry.reason === "budget")
    .flatMap((entry) => (entry.parts ? partKeys(filtered, entry.path, entry.parts) : wholeFileKeys(filtered, entry.path)));
}

/** The invariants every packing must keep. */
function checkInvariants(filtered: FilterResult, result: PackResult): void {
  const all = allChangedLines(filtered);
  const everSeen = new Set<string>();
  for (const packet of result.packets) {
    expect(packet.estimatedTokens).toBeLessThanOrEqual(packet.budgetTokens);
    expect(estimateTokens(packetText(packet))).toBeLessThanOrEqual(packet.budgetTokens);
    const seen = seenKeys(filtered, packet);
    const missed = omittedKeys(filtered, packet.omitted);
    // Each changed line is either seen or listed as not seen, exactly once.
    expect(seen.length + missed.length).toBe(all.size);
    expect(new Set([...seen, ...missed])).toEqual(all);
    expect(packet.seenChangedLines).toBe(seen.length);
    expect(packet.totalChangedLines).toBe(all.size);
    seen.forEach((key) => everSeen.add(key));
  }
  const unreviewed = new Set(omittedKeys(filtered, result.unreviewed));
  for (const key of all) expect(everSeen.has(key) !== unreviewed.has(key)).toBe(true);
  expect(result.totals.coveredChangedLines).toBe(everSeen.size);
}

function syntheticFiles(count: number, hunks: number, lines: number): DiffFile[] {
  const entries = Array.from({ length: count }, (_, i) =>
    diffEntry({
      filename: `src/module${i}/file${i}.ts`,
      status: "modified",
      additions: hunks * (lines - Math.floor(lines / 3)),
      deletions: hunks * Math.floor(lines / 3),
      patch: syntheticPatch(hunks, lines, i),
    }),
  );
  return parsePullRequestFiles(entries).files;
}

describe("packReview on a real-looking PR", () => {
  const filtered = filterFiles(parsePullRequestFiles(PR_FILES).files);
  const result = packReview(filtered, [
    { name: "claude", budgetTokens: 10_000 },
    { name: "gemini", budgetTokens: 10_000 },
  ]);

  it("gives every agent the whole small diff", () => {
    checkInvariants(filtered, result);
    for (const packet of result.packets) {
      expect(packet.seenChangedLines).toBe(packet.totalChangedLines);
      expect(packet.files.map((file) => file.path).sort()).toEqual(["docs/new.md", "old/legacy.js", "src/server.ts", "src/util.ts"]);
    }
  });

  it("lists excluded, binary and patch-less files for every agent and as unreviewed", () => {
    const reasons = result.unreviewed.map((entry) => [entry.path, entry.reason]);
    expect(reasons).toEqual([
      ["package-lock.json", "excluded:lock-file"],
      ["assets/logo.png", "binary"],
      ["db/huge.sql", "no-patch"],
    ]);
    for (const packet of result.packets) expect(packet.omitted.map((entry) => [entry.path, entry.reason])).toEqual(reasons);
  });

  it("renders line numbers the agent can cite", () => {
    const server = result.packets[0]!.files.find((file) => file.path === "src/server.ts")!;
    expect(server.header).toBe("\n### src/server.ts (modified, +3/-2)\n");
    expect(server.hunks[1]).toBe(
      [
        "@@ -40,6 +41,6 @@ function start(port: number) {",
        " 41 |   const server = app.listen(port);",
        ' 42 |   server.on("error", (error) => {',
        "-42 |     console.error(error);",
        "+43 |     log.error(error);",
        " 44 |   });",
        " 45 |   return server;",
        " 46 | }",
        "",
      ].join("\n"),
    );
    const doc = result.packets[0]!.files.find((file) => file.path === "docs/new.md")!;
    expect(doc.hunks[0]).toContain("+3 | Body text\n\\ No newline at end of file\n");
  });
});

describe("packReview under budget pressure", () => {
  it("gives files one agent has no room for to another agent", () => {
    const filtered = filterFiles(syntheticFiles(12, 2, 30));
    const result = packReview(filtered, [
      { name: "small", budgetTokens: 2_000 },
      { name: "large", budgetTokens: 30_000 },
    ]);
    checkInvariants(filtered, result);
    expect(result.unreviewed).toEqual([]);
    const small = result.packets.find((packet) => packet.agent === "small")!;
    expect(small.seenChangedLines).toBeLessThan(small.totalChangedLines);
    expect(small.omitted.length).toBeGreaterThan(0);
  });

  it("covers the whole diff between agents when only their combined budget allows it", () => {
    const filtered = filterFiles(syntheticFiles(20, 3, 20));
    const needed = packReview(filtered, [{ name: "solo", budgetTokens: 1e9 }]).packets[0]!.estimatedTokens;
    const third = Math.ceil(needed / 3) + 400;
    const result = packReview(filtered, ["a", "b", "c"].map((name) => ({ name, budgetTokens: third })));
    checkInvariants(filtered, result);
    expect(result.unreviewed).toEqual([]);
    for (const packet of result.packets) expect(packet.seenChangedLines).toBeLessThan(packet.totalChangedLines);
  });

  it("splits a hunk too big for any budget at line boundaries and lists what nobody saw", () => {
    const filtered = filterFiles(syntheticFiles(1, 1, 3_000));
    const agents: PackAgent[] = [
      { name: "a", budgetTokens: 9_000, reserveTokens: 1_000 },
      { name: "b", budgetTokens: 6_000, reserveTokens: 1_000 },
    ];
    const result = packReview(filtered, agents);
    checkInvariants(filtered, result);
    for (const packet of result.packets) {
      expect(packet.files[0]!.hunks.length).toBeGreaterThan(0);
      expect(packet.files[0]!.hunks.every((hunk) => /^@@ .* \[split\]\n/.test(hunk))).toBe(true);
    }
    expect(result.unreviewed).toHaveLength(1);
    expect(result.unreviewed[0]).toMatchObject({ path: "src/module0/file0.ts", reason: "budget" });
    expect(result.unreviewed[0]!.parts!.length).toBeGreaterThan(0);
    expect(result.totals.coveredChangedLines).toBeLessThan(result.totals.reviewableChangedLines);
  });

  it("reports everything as not seen for an agent without room", () => {
    const filtered = filterFiles(syntheticFiles(2, 1, 10));
    const result = packReview(filtered, [{ name: "tiny", budgetTokens: 500, reserveTokens: 600 }]);
    checkInvariants(filtered, result);
    expect(result.packets[0]).toMatchObject({ budgetTokens: 0, estimatedTokens: 0, files: [], seenChangedLines: 0 });
    expect(result.unreviewed.map((entry) => entry.path).sort()).toEqual(["src/module0/file0.ts", "src/module1/file1.ts"]);
  });

  it("shortens an overlong line visibly", () => {
    const long = "x".repeat(5_000);
    const filtered = filterFiles(parsePullRequestFiles([diffEntry({ filename: "data.ts", status: "added", additions: 1, deletions: 0, patch: `@@ -0,0 +1 @@\n+${long}` })]).files);
    const [packet] = packReview(filtered, [{ name: "a", budgetTokens: 10_000 }], { maxLineChars: 100 }).packets;
    expect(packet!.shortenedLines).toBe(1);
    expect(packet!.files[0]!.hunks[0]).toContain(`+1 | ${"x".repeat(100)} …[shortened: 4900 more characters]`);
  });

  it("packs a 50,000-line diff within every budget", () => {
    const files = syntheticFiles(500, 4, 25);
    const filtered = filterFiles(files);
    const result = packReview(filtered, [
      { name: "claude", budgetTokens: 200_000, reserveTokens: 8_000 },
      { name: "gemini", budgetTokens: 1_000_000, reserveTokens: 8_000 },
      { name: "grok", budgetTokens: 128_000, reserveTokens: 8_000 },
    ]);
    expect(result.totals.reviewableChangedLines).toBe(50_000);
    checkInvariants(filtered, result);
    const rooms = result.packets.reduce((sum, packet) => sum + packet.budgetTokens, 0);
    const needed = packReview(filtered, [{ name: "solo", budgetTokens: 1e9 }]).packets[0]!.estimatedTokens;
    if (rooms > needed * 1.05) expect(result.unreviewed).toEqual([]);
    expect(result.totals.coveredChangedLines).toBeGreaterThan(0);
  });
});

describe("packReview properties", () => {
  const fileArb = fc.record({
    hunks: fc.array(
      fc.record({
        context: fc.integer({ min: 0, max: 3 }),
        deletions: fc.integer({ min: 0, max: 40 }),
        additions: fc.integer({ min: 0, max: 40 }),
        width: fc.integer({ min: 0, max: 120 }),
      }),
      { minLength: 1, maxLength: 5 },
    ),
    path: fc.constantFrom("src/auth/login.ts", "README.md", "lib/a.py", "config.yml", ".github/workflows/ci.yml", "test/a.test.ts"),
  });

  function buildFiles(specs: Array<{ hunks: Array<{ context: number; deletions: number; additions: number; width: number }>; path: string }>): DiffFile[] {
    const entries = specs.map((spec, index) => {
      let old = 1;
      let now = 1;
      let additions = 0;
      let deletions = 0;
      const lines: string[] = [];
      for (const hunk of spec.hunks) {
        const dels = hunk.deletions + (hunk.deletions + hunk.additions === 0 ? 1 : 0);
        lines.push(`@@ -${old},${hunk.context + dels} +${now},${hunk.context + hunk.additions} @@`);
        for (let i = 0; i < hunk.context; i++) lines.push(` ctx ${"c".repeat(hunk.width)}`);
        for (let i = 0; i < dels; i++) lines.push(`-del ${"d".repeat((hunk.width * (i + 1)) % 150)}`);
        for (let i = 0; i < hunk.additions; i++) lines.push(`+add ${"a".repeat((hunk.width * (i + 2)) % 150)}`);
        old += hunk.context + dels + 5;
        now += hunk.context + hunk.additions + 5;
        additions += hunk.additions;
        deletions += dels;
      }
      return diffEntry({ filename: `${index}/${spec.path}`, status: "modified", additions, deletions, patch: lines.join("\n") });
    });
    return parsePullRequestFiles(entries).files;
  }

  const agentsArb = fc.array(
    fc.record({ budgetTokens: fc.integer({ min: 0, max: 6_000 }), reserveTokens: fc.integer({ min: 0, max: 800 }) }),
    { minLength: 1, maxLength: 4 },
  );

  it("never exceeds a budget and never loses a changed line silently", () => {
    fc.assert(
      fc.property(fc.array(fileArb, { minLength: 1, maxLength: 12 }), agentsArb, (specs, budgets) => {
        const filtered = filterFiles(buildFiles(specs));
        const agents = budgets.map((budget, i) => ({ name: `agent${i}`, ...budget }));
        checkInvariants(filtered, packReview(filtered, agents));
      }),
      { numRuns: 100, seed: 20261121 },
    );
  });

  it("covers every changed line when the combined rooms allow it", () => {
    fc.assert(
      fc.property(fc.array(fileArb, { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 4 }), (specs, count) => {
        const filtered = filterFiles(buildFiles(specs));
        const needed = packReview(filtered, [{ name: "solo", budgetTokens: 1e9 }]).packets[0]!.estimatedTokens;
        // Slack per agent: file headers it may repeat, one line and one split-hunk header.
        const headers = filtered.kept.length * 20;
        const room = Math.ceil(needed / count) + headers + 120;
        const result = packReview(filtered, Array.from({ length: count }, (_, i) => ({ name: `agent${i}`, budgetTokens: room })));
        checkInvariants(filtered, result);
        expect(result.unreviewed).toEqual([]);
      }),
      { numRuns: 100, seed: 7 },
    );
  });

  it("is deterministic", () => {
    const filtered = filterFiles(syntheticFiles(30, 3, 12));
    const agents = [
      { name: "b", budgetTokens: 5_000 },
      { name: "a", budgetTokens: 5_000 },
    ];
    expect(packReview(filtered, agents)).toEqual(packReview(filtered, agents));
  });
});

describe("coverageNote", () => {
  it("tells the agent what it does not see, within the limit", () => {
    const filtered = filterFiles(syntheticFiles(300, 1, 20));
    const [packet] = packReview(filtered, [{ name: "a", budgetTokens: 3_000 }]).packets;
    const note = coverageNote(packet!, 500);
    expect(note.length).toBeLessThanOrEqual(500);
    expect(note).toMatch(/^You see \d+ of 6000 reviewable changed lines/);
    expect(note).toContain(": not shown");
    expect(note).toMatch(/- … and \d+ more files$/);
    const full = packReview(filterFiles(syntheticFiles(1, 1, 5)), [{ name: "a", budgetTokens: 3_000 }]).packets[0]!;
    expect(coverageNote(full)).toBe("You see 5 of 5 reviewable changed lines of this pull request.");
  });
});

import { describe, expect, it } from "vitest";
import { parseMarker } from "../../src/domain/markers.js";
import { CHECK_RUN_NAME, renderCheckRun } from "../../src/domain/review/check-run.js";
import { CommentableIndex } from "../../src/domain/review/commentable.js";
import { parsePullRequestFiles } from "../../src/domain/review/diff.js";
import type { DiffFile } from "../../src/domain/review/diff.js";
import { filterFiles } from "../../src/domain/review/filter.js";
import { mergeFindings, placeFindings } from "../../src/domain/review/findings.js";
import type { MergedFinding } from "../../src/domain/review/findings.js";
import { GITHUB_BODY_LIMIT, boundedList, textSize, truncateMarkdown } from "../../src/domain/review/markdown.js";
import { defuse } from "../../src/domain/untrusted-text.js";
import { packReview } from "../../src/domain/review/pack.js";
import { decideReview } from "../../src/domain/review/policy.js";
import type { PolicyOptions } from "../../src/domain/review/policy.js";
import { renderCostLine, renderInlineComment, renderReviewBody, renderReviewComments } from "../../src/domain/review/render.js";
import { isSuperseded, readReviewMarker, renderSupersededBody } from "../../src/domain/review/review-marker.js";
import { PR_FILES, abstain, diffEntry, finding, ok, syntheticPatch } from "./fixtures.js";

const policy: PolicyOptions = { allowApprove: false, labels: { blocked: "review:blocked", needsClarification: "review:needs-clarification" }, maintainers: ["octocat"] };
const HEAD = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
const files = parsePullRequestFiles(PR_FILES).files;
const index = new CommentableIndex(files);

describe("renderReviewBody", () => {
  const outcomes = [
    ok("claude", "blocker", [
      finding({ file: "src/server.ts", line: 43, severity: "blocker", message: "log is not imported" }),
      finding({ file: "src/server.ts", line: 20, message: "Outside the diff: @alice should look <!-- orkestra:review {} -->" }),
    ]),
    ok("gemini", "approve", [], "All good.\n\n```ts\nconst x = 1;\n```"),
    abstain("grok"),
  ];
  const placement = placeFindings(mergeFindings(outcomes), index);
  const decision = decideReview(outcomes, policy);
  const pack = packReview(filterFiles(files), [
    { name: "claude", budgetTokens: 10_000 },
    { name: "gemini", budgetTokens: 10_000 },
  ]);
  const body = renderReviewBody({
    pr: 2,
    headSha: HEAD,
    decision,
    outcomes,
    placement,
    pack,
    usage: [
      { agent: "claude", inputTokens: 12_345, outputTokens: 1_234, estimatedCostUsd: 0.0512 },
      { agent: "gemini", inputTokens: 9_000, outputTokens: 800, estimatedCostUsd: 0.004 },
    ],
  });

  it("starts with a review marker the next run can read", () => {
    expect(body.startsWith("<!-- orkestra:review ")).toBe(true);
    expect(readReviewMarker(body)).toEqual({
      v: 1,
      pr: 2,
      headSha: HEAD,
      agents: ["claude", "gemini", "grok"],
      outcome: "blocked",
      event: "REQUEST_CHANGES",
      // What a person's review later decides merge readiness again from, without the agents.
      verdicts: [
        { agent: "claude", verdict: "blocker" },
        { agent: "gemini", verdict: "approve" },
      ],
      missing: [{ agent: "grok", status: "timeout" }],
    });
  });

  it("shows the decision, the mention, every verdict and the missing agent", () => {
    expect(body).toContain("## 🛑 Orkestra review — Blocked: 1 of 2 agents found a blocker");
    expect(body).toContain("cc @octocat");
    expect(body).toContain("- 🛑 **claude** — blocker: claude summary");
    expect(body).toContain("- ✅ **gemini** — approve: All good. ```ts const x = 1; ```");
    expect(body).toContain("- ⏸️ **grok** — no answer (timed out)\n");
    expect(body).not.toContain("did not answer in time");
  });

  it("lists findings not placed inline, with agent text neutralised", () => {
    expect(body).toContain("### Findings not placed inline (1)");
    expect(body).toContain("`src/server.ts` line 20 · claude · _line not in the diff_");
    expect(body).toContain("@\u200balice");
    expect(body).not.toContain("<!-- orkestra:review {}");
    expect(body.match(/<!-- orkestra:/g)).toHaveLength(1);
  });

  it("says what was not reviewed and what it cost", () => {
    expect(body).toContain("**Not reviewed by any agent:**");
    expect(body).toContain("`package-lock.json` — excluded: lock-file (`package-lock.json`), 4 changed lines");
    expect(body).toContain("`assets/logo.png` — binary, 0 changed lines");
    expect(body).toContain("`db/huge.sql` — no diff from GitHub, 20,005 changed lines");
    expect(body).toContain("Cost: claude 12,345 in + 1,234 out tokens ≈ $0.05 · gemini 9,000 in + 800 out tokens ≈ $0.0040 · total ≈ $0.06");
  });

  it("keeps a code fence in an agent summary closed", () => {
    expect(body).toContain("#### gemini (approve)\n\nAll good.\n\n```ts\nconst x = 1;\n```");
  });

  it("stays under GitHub's limit with huge inputs and ends lists with '… and N more'", () => {
    const many = Array.from({ length: 3_000 }, (_, i) => finding({ file: `src/f${i}.ts`, line: i + 1, message: `problem ${i} `.repeat(40) }));
    const huge = [ok("claude", "concern", many.slice(0, 1500), "s".repeat(4000)), ok("gemini", "concern", many.slice(1500), "ü".repeat(4000))];
    const bigFiles = parsePullRequestFiles(
      Array.from({ length: 2_000 }, (_, i) => diffEntry({ filename: `pkg/${i}/index.ts`, status: "modified", additions: 8, deletions: 4, patch: syntheticPatch(1, 12, i) })),
    ).files;
    const bigPack = packReview(filterFiles(bigFiles), [
      { name: "claude", budgetTokens: 5_000 },
      { name: "gemini", budgetTokens: 5_000 },
    ]);
    const text = renderReviewBody({
      pr: 2,
      headSha: HEAD,
      decision: decideReview(huge, policy),
      outcomes: huge,
      placement: placeFindings(mergeFindings(huge), new CommentableIndex(bigFiles)),
      pack: bigPack,
      usage: [{ agent: "claude", inputTokens: 1, outputTokens: 1, estimatedCostUsd: null }],
    });
    expect(textSize(text)).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    expect(text).toMatch(/- … and [\d,]+ more/);
    expect(readReviewMarker(text)?.outcome).toBe("needs-clarification");
    expect(text).toContain("Cost: claude 1 in + 1 out tokens cost unknown · total ≥ $0.00");
  });
});

describe("inline comments", () => {
  const merged: MergedFinding = {
    file: "src/server.ts",
    side: "RIGHT",
    line: 43,
    startLine: null,
    severity: "warning",
    message: "Use the logger. cc @bob",
    suggestion: "    log.error(error, { context });",
    agents: ["claude", "gemini"],
    k: 2,
    n: 3,
    variants: [{ agent: "gemini", severity: "info", line: 42, message: "Prefer the logger" }],
  };

  it("shows severity, k of n agents, a suggestion block and other wordings", () => {
    const body = renderInlineComment(merged, { path: "src/server.ts", line: 43, side: "RIGHT" });
    expect(body).toBe(
      [
        "**⚠️ warning** · 2 of 3 agents (claude, gemini)",
        "",
        "Use the logger. cc @\u200bbob",
        "",
        "```suggestion\n    log.error(error, { context });\n```",
        "",
        "<details><summary>Other agents' wording</summary>\n\n- **gemini** (info, line 42): Prefer the logger\n</details>",
      ].join("\n"),
    );
  });

  it("does not offer a suggestion on deleted lines or when the range was narrowed", () => {
    const left = renderInlineComment({ ...merged, side: "LEFT" }, { path: "src/server.ts", line: 42, side: "LEFT" });
    expect(left).not.toContain("```suggestion");
    expect(left).toContain("Suggested change:");
    const narrowed = renderInlineComment({ ...merged, startLine: 30 }, { path: "src/server.ts", line: 43, side: "RIGHT" });
    expect(narrowed).not.toContain("```suggestion");
  });

  it("uses a longer fence when the suggestion holds backticks", () => {
    const body = renderInlineComment({ ...merged, suggestion: "const s = ```;" }, { path: "src/server.ts", line: 43, side: "RIGHT" });
    expect(body).toContain("````suggestion\nconst s = ```;\n````");
  });

  it("builds createReview comments only from placed findings", () => {
    const placement = placeFindings(mergeFindings([ok("a", "concern", [finding({ file: "src/server.ts", line: 3, startLine: 1, message: "range" })])]), index);
    expect(renderReviewComments(placement)).toEqual([
      { path: "src/server.ts", line: 3, side: "RIGHT", start_line: 1, start_side: "RIGHT", body: expect.stringContaining("range") as string },
    ]);
  });
});

describe("renderCheckRun", () => {
  it("chunks annotations by 50 and only annotates head-side lines in the diff", () => {
    const lines = Array.from({ length: 120 }, (_, i) => `+line ${i}`);
    const bigFile: DiffFile[] = parsePullRequestFiles([
      diffEntry({ filename: "src/big.ts", status: "added", additions: 120, deletions: 0, patch: `@@ -0,0 +1,120 @@\n${lines.join("\n")}` }),
    ]).files;
    const outcomes = [
      ok("a", "concern", [
        ...Array.from({ length: 120 }, (_, i) => finding({ file: "src/big.ts", line: i + 1, severity: i % 2 ? "info" : "warning", message: `m${i}` })),
        finding({ file: "src/big.ts", line: 500, message: "outside" }),
        finding({ file: "src/big.ts", line: 3, side: "LEFT", message: "old side" }),
      ]),
    ];
    const merged = mergeFindings(outcomes);
    const plan = renderCheckRun({ decision: decideReview(outcomes, policy), findings: merged, index: new CommentableIndex(bigFile) });
    expect(plan.name).toBe(CHECK_RUN_NAME);
    expect(plan.conclusion).toBe("action_required");
    expect(plan.output.annotations).toHaveLength(50);
    expect(plan.moreAnnotations.map((chunk) => chunk.length)).toEqual([50, 20]);
    const all = [plan.output.annotations, ...plan.moreAnnotations].flat();
    expect(all.every((annotation) => annotation.path === "src/big.ts" && annotation.start_line >= 1 && annotation.end_line <= 120)).toBe(true);
    expect(new Set(all.map((annotation) => annotation.annotation_level))).toEqual(new Set(["warning", "notice"]));
    expect(plan.output.text).toContain("outside");
    expect(plan.output.text).toContain("old side");
  });

  it("says how merge readiness decided the conclusion", () => {
    const outcomes = [ok("a", "blocker")];
    const decision = decideReview(outcomes, { ...policy, mergeReadiness: "agents-and-people" }, { votes: [{ login: "alice", vote: "approve" }] });
    const plan = renderCheckRun({ decision, findings: [], index });
    expect(plan.conclusion).toBe("success");
    expect(plan.output.summary).toContain("**Merge readiness:** ready");
    expect(plan.output.summary).toContain("method `agents-and-people`");
    expect(plan.output.text).toBeUndefined();
  });
});

describe("markdown helpers", () => {
  it("truncates at a line boundary and closes an open fence", () => {
    const text = ["intro", "```js", ...Array.from({ length: 100 }, (_, i) => `line ${i}`), "```", "outro"].join("\n");
    const cut = truncateMarkdown(text, 200);
    expect(textSize(cut)).toBeLessThanOrEqual(200);
    expect(cut.split("\n").filter((line) => line.startsWith("```"))).toHaveLength(2);
    expect(cut.endsWith("```\n…(truncated)")).toBe(true);
    expect(truncateMarkdown("short", 200)).toBe("short");
  });

  it("bounds a list and counts the rest", () => {
    const list = boundedList(["- a", "- b", "- c", "- d"], 24);
    expect(list).toBe("- a\n- b\n- … and 2 more");
    expect(textSize(list)).toBe(24);
    expect(boundedList(["- a", "- b"], 100)).toBe("- a\n- b");
  });

  it("counts size in UTF-8 bytes (never less than GitHub's count)", () => {
    expect(textSize("aé€😀")).toBe(1 + 2 + 3 + 4);
  });

  it("defuses agent text with the one rule of untrusted-text, e-mail addresses and code spans included", () => {
    expect(defuse("hi @team and a@b.c `@x` <!-- x -->")).toBe("hi @\u200bteam and a@\u200bb.c `@\u200bx` <\u200b!-- x --\u200b>");
  });
});

describe("superseding", () => {
  it("marks a previous review of another head as superseded, once", () => {
    const previous = { v: 1 as const, pr: 2, headSha: "aaaaaaa1", agents: ["claude"], outcome: "blocked" as const, event: "REQUEST_CHANGES" as const };
    expect(isSuperseded(previous, "aaaaaaa1")).toBe(false);
    expect(isSuperseded(previous, "bbbbbbb2")).toBe(true);
    const body = renderSupersededBody(previous, "bbbbbbb2");
    const marker = readReviewMarker(body)!;
    expect(marker.supersededBy).toBe("bbbbbbb2");
    expect(isSuperseded(marker, "ccccccc3")).toBe(false);
    expect(parseMarker(body)?.kind).toBe("review");
  });

  it("ignores markers of other kinds or with bad data", () => {
    expect(readReviewMarker('<!-- orkestra:overlap {"v":1} -->')).toBeNull();
    expect(readReviewMarker('<!-- orkestra:review {"v":2} -->')).toBeNull();
  });
});

describe("renderCostLine", () => {
  it("is empty without usage", () => {
    expect(renderCostLine([])).toBe("");
  });
});

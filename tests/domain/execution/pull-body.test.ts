import { describe, expect, it } from "vitest";
import { pullRequestBody, readExecutionMarker, resultComment } from "../../../src/domain/execution/pull-body.js";
import { GITHUB_BODY_LIMIT, textSize } from "../../../src/domain/review/markdown.js";

const Z = "\u200b";

function body(overrides: Partial<Parameters<typeof pullRequestBody>[0]> = {}): string {
  return pullRequestBody({
    issue: 12,
    agent: "claude",
    mode: "api",
    attempt: 2,
    round: 1,
    usage: { inputTokens: 10_000, outputTokens: 2_345, costUsd: 0.1234 },
    summary: "Added a `--version` flag because users asked for it.",
    files: [
      { path: "src/cli.ts", kind: "modify" },
      { path: "tests/cli.test.ts", kind: "add" },
    ],
    criteria: ["`--version` prints the version"],
    openedWithJobToken: false,
    ...overrides,
  });
}

function comment(overrides: Partial<Parameters<typeof resultComment>[0]> = {}): string {
  return resultComment({
    issue: 7,
    agent: "gemini",
    mode: "api",
    attempt: 1,
    usage: { inputTokens: 1_000, outputTokens: 500, costUsd: null },
    result: "Three options exist; the second is cheapest.",
    ...overrides,
  });
}

describe("pullRequestBody", () => {
  it("starts with the execution marker Orkestra finds its pull requests by", () => {
    expect(readExecutionMarker(body())).toEqual({ v: 1, issue: 12, agent: "claude", attempt: 2, round: 1, output: "pull-request" });
  });

  it("closes the task's issue", () => {
    expect(body()).toContain("\nCloses #12\n");
  });

  it("says what changed and why in the agent's words", () => {
    expect(body()).toContain("### What changed and why\n\nAdded a `--version` flag because users asked for it.");
  });

  it("lists the files changed with what happened to each", () => {
    expect(body()).toContain("### Files changed (2)\n\n- modified `src/cli.ts`\n- added `tests/cli.test.ts`");
  });

  it("lists the acceptance criteria as an unchecked checklist", () => {
    expect(body()).toContain("### Acceptance criteria\n\n- [ ] `--version` prints the version");
  });

  it("says so when the issue names no acceptance criteria", () => {
    expect(body({ criteria: [] })).toContain("_The issue names no acceptance criteria._");
  });

  it("states the agent, mode, attempt, round, tokens and cost", () => {
    expect(body()).toContain(
      "<sub>🎼 agent `claude` (API mode) · attempt 2 · 12,345 tokens (10,000 in + 2,345 out) · ≈ $0.12 · review round 1</sub>",
    );
  });

  it("explains that CI has not run when the job's GITHUB_TOKEN opened the pull request", () => {
    expect(body({ openedWithJobToken: true })).toContain("CI has not run");
    expect(body({ openedWithJobToken: false })).not.toContain("CI has not run");
  });

  it("defuses mentions and slash commands in the agent's summary", () => {
    const text = body({ summary: "Thanks @alice\n/approve" });
    expect(text).toContain(`@${Z}alice`);
    expect(text).not.toMatch(/^\/approve/m);
  });

  it("keeps the agent from closing other issues with closing keywords", () => {
    const text = body({ summary: "Fixes #3, closes: #4, resolves o/r#5 and fixed https://github.com/o/r/issues/6", criteria: ["closes #8"] });
    const ownClose = "\nCloses #12\n";
    expect(text).toContain(ownClose);
    const rest = text.replace(ownClose, "\n");
    expect(rest).not.toMatch(/\b(?:fix(?:e[sd])?|close[sd]?|resolve[sd]?):?\s+(?:o\/r)?#\d/i);
    expect(rest).not.toMatch(/\bfixed https/i);
  });

  it("closes a code fence the summary leaves open", () => {
    const text = body({ summary: "Example:\n```ts\nconst a = 1;" });
    expect(text).toContain("const a = 1;\n```\n\n### Files changed");
  });

  it("breaks an HTML element that would swallow the sections after it", () => {
    expect(body({ summary: "see <pre>output" })).toContain(`<${Z}pre>output`);
  });

  it("stays under GitHub's limit with a huge summary and keeps its own parts", () => {
    const text = body({ summary: "word ".repeat(100_000), openedWithJobToken: true });
    expect(textSize(text)).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    expect(text).toContain("…(cut to fit GitHub's size limit)");
    expect(text).toContain("Closes #12");
    expect(text).toContain("- [ ] `--version` prints the version");
    expect(text).toMatch(/review round 1<\/sub>$/);
  });

  it("keeps the start of a summary written as one huge line", () => {
    const text = body({ summary: `Start. ${"x".repeat(200_000)}` });
    expect(textSize(text)).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    expect(text).toContain("### What changed and why\n\nStart. xxx");
  });

  it("stays under GitHub's limit with many files and criteria, counting the rest", () => {
    const files = Array.from({ length: 20_000 }, (_, i) => ({ path: `src/generated/file-${i}.ts`, kind: "add" as const }));
    const criteria = Array.from({ length: 5_000 }, (_, i) => `criterion number ${i} is met`);
    const text = body({ files, criteria });
    expect(textSize(text)).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    expect(text).toMatch(/- … and [\d,]+ more\n\n### Acceptance criteria/);
  });
});

describe("resultComment", () => {
  it("starts with an execution marker for a comment", () => {
    expect(readExecutionMarker(comment())).toEqual({ v: 1, issue: 7, agent: "gemini", attempt: 1, round: null, output: "comment" });
  });

  it("gives the agent's result, defused, with the facts", () => {
    const text = comment({ result: "Ask @bob." });
    expect(text).toContain(`Ask @${Z}bob.`);
    expect(text).toContain("<sub>🎼 agent `gemini` (API mode) · attempt 1 · 1,500 tokens (1,000 in + 500 out) · cost unknown</sub>");
  });

  it("stays under GitHub's limit with a huge result", () => {
    expect(textSize(comment({ result: "é".repeat(200_000) }))).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
  });

  it("says so when the agent gave nothing", () => {
    expect(comment({ result: "  " })).toContain("_The agent gave no account._");
  });
});

describe("readExecutionMarker", () => {
  it("reads nothing from a body whose first marker is another kind", () => {
    expect(readExecutionMarker(`<!-- orkestra:task {"v":1} -->\n${body()}`)).toBeNull();
  });
});

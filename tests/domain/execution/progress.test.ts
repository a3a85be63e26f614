import { describe, expect, it } from "vitest";
import { executionStateSchema, renderProgress } from "../../../src/domain/execution/progress.js";

type State = ReturnType<typeof executionStateSchema.parse>;

const STARTED: State = {
  mode: "cli",
  agent: "claude",
  attempt: 1,
  output: "pull-request",
  startedAt: "2026-03-01T10:00:00.000Z",
  run: null,
  branch: null,
  commits: 0,
  pr: null,
  comment: null,
  round: 1,
  maxRounds: 3,
  review: null,
  checks: null,
  usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
  lastRefusal: null,
};

describe("renderProgress", () => {
  it("shows a started attempt with every later step still open", () => {
    expect(renderProgress(STARTED)).toBe(
      [
        "**Progress** · attempt 1 by `claude` (CLI mode)",
        "",
        "- [x] Started 2026-03-01 10:00 UTC",
        "- [ ] Branch",
        "- [ ] Commits",
        "- [ ] Pull request",
        "- [ ] Review round 1 of 3",
        "- [ ] Checks",
        "",
        "<sub>Used so far: 0 tokens (0 in + 0 out) · ≈ $0.00</sub>",
      ].join("\n"),
    );
  });

  it("links the worker run", () => {
    expect(renderProgress({ ...STARTED, run: { id: 9, url: "https://github.com/o/r/actions/runs/9" } })).toContain(
      "- [x] Started 2026-03-01 10:00 UTC — [worker run](<https://github.com/o/r/actions/runs/9>)",
    );
  });

  it("ticks the branch, commits, pull request, approved review and passing checks", () => {
    const text = renderProgress({ ...STARTED, branch: "orkestra/12-x", commits: 3, pr: 45, round: 2, review: "approved", checks: "passing" });
    expect(text).toContain(
      [
        "- [x] Branch `orkestra/12-x`",
        "- [x] 3 commits",
        "- [x] Pull request #45",
        "- [x] Review round 2 of 3 — approved",
        "- [x] Checks — passing",
      ].join("\n"),
    );
  });

  it("says how to start checks a job's GITHUB_TOKEN did not start", () => {
    expect(renderProgress({ ...STARTED, pr: 45, checks: "not-run" })).toContain("- [ ] Checks — not run (a job's `GITHUB_TOKEN` opened the pull request");
  });

  it("shows a result comment instead of the pull-request steps for a task without files", () => {
    const text = renderProgress({ ...STARTED, mode: "api", output: "comment", comment: 321 });
    expect(text).toContain("- [x] [Result posted](#issuecomment-321)");
    expect(text).not.toContain("Branch");
  });

  it("shows the last refusal on one defused line", () => {
    const text = renderProgress({ ...STARTED, lastRefusal: "Refused:\n- `x`: @alice's key" });
    expect(text).toContain("**Last refusal:** Refused: - `x`: @\u200balice's key");
  });
});

describe("executionStateSchema", () => {
  it("reads back a state as the card stores it", () => {
    expect(executionStateSchema.parse(JSON.parse(JSON.stringify(STARTED)))).toEqual(STARTED);
  });

  it("refuses a run link that is not https", () => {
    expect(executionStateSchema.safeParse({ ...STARTED, run: { id: 1, url: "javascript:alert(1)" } }).success).toBe(false);
  });
});

/** Every write Orkestra makes is an Effect, and the applier is the one place that performs it. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { GitHubPort } from "../../src/github/port.js";
import { GitHubError } from "../../src/github/port.js";
import { silentLogger } from "../../src/shared/logger.js";
import { applyEffect, applyEffects } from "../../src/runtime/apply.js";
import type { GitHubWrite } from "../../src/runtime/context.js";
import { describeEffect, type Effect, type EffectKind } from "../../src/runtime/effects.js";

const label = { name: "status:done", color: "0e8a16", description: "Task completed" };

/** One effect of every kind: the mapped type makes this fail to compile when a kind is added without a sample. */
const SAMPLES: { [K in EffectKind]: Extract<Effect, { kind: K }> } = {
  "add-labels": { kind: "add-labels", issue: 1, labels: [label], why: "task done" },
  "remove-labels": { kind: "remove-labels", issue: 1, names: ["status:pending"], why: "task done" },
  "create-comment": { kind: "create-comment", issue: 1, body: "card", why: "task created" },
  "update-comment": { kind: "update-comment", issue: 1, commentId: 7, body: "card", why: "task changed" },
  "delete-comment": { kind: "delete-comment", issue: 1, commentId: 8, why: "duplicate card" },
  react: { kind: "react", issue: 1, commentId: 9, content: "eyes", why: "command received" },
  "set-state": { kind: "set-state", issue: 1, state: "closed", reason: "completed", why: "/status done" },
  "create-issue": { kind: "create-issue", issue: 10, newIssue: { title: "Parse the config", body: "Part of #10" }, why: "plan approved" },
  "update-issue-body": { kind: "update-issue-body", issue: 3, body: "the board", why: "the board changed" },
  "pin-issue": { kind: "pin-issue", issue: 3, nodeId: "I_3", why: "the dashboard", bestEffort: true },
  "update-refs": { kind: "update-refs", repositoryId: "R_1", updates: [{ ref: "orkestra/state/ledger", before: null, after: "a".repeat(40) }], why: "the ledger and the dashboard" },
  "add-sub-issue": { kind: "add-sub-issue", issue: 10, child: { number: 11, id: 1100 }, why: "plan approved" },
  "add-blocked-by": { kind: "add-blocked-by", issue: 1, blocker: { number: 2, id: 200 }, why: "depends on #2", bestEffort: true },
  "remove-blocked-by": { kind: "remove-blocked-by", issue: 1, blocker: { number: 2, id: 200 }, why: "no longer depends", bestEffort: true },
  "create-commit": { kind: "create-commit", message: "orkestra usage 2026-12-04\n\n{}", tree: "t".repeat(40), parents: [], why: "agents' spending" },
  "create-ref": { kind: "create-ref", issue: 1, ref: "orkestra/locks/1", sha: "a".repeat(40), why: "claim for claude" },
  "fast-forward-ref": { kind: "fast-forward-ref", ref: "orkestra/usage/2026-12-04", sha: "b".repeat(40), why: "agents' spending" },
  "delete-ref": { kind: "delete-ref", issue: 1, ref: "orkestra/locks/1", why: "released by claude" },
  "create-review": { kind: "create-review", issue: 3, review: { commitId: "c".repeat(40), event: "COMMENT", body: "review", comments: [] }, why: "agents reviewed" },
  "update-review-body": { kind: "update-review-body", issue: 3, reviewId: 11, body: "superseded", why: "superseded" },
  "dismiss-review": { kind: "dismiss-review", issue: 3, reviewId: 12, message: "Superseded.", why: "superseded" },
  "create-check-run": {
    kind: "create-check-run",
    issue: 3,
    run: { name: "orkestra/review", headSha: "d".repeat(40), status: "in_progress", startedAt: "2026-12-04T10:00:00Z" },
    why: "review started",
  },
  "update-check-run": { kind: "update-check-run", issue: 3, checkRunId: 5, name: "orkestra/review", update: { status: "completed", conclusion: "success" }, why: "approved" },
  "create-blob": { kind: "create-blob", issue: 4, path: "src/a.ts", content: "export {};\n", why: "claude's change for #4" },
  "create-tree": {
    kind: "create-tree",
    issue: 4,
    baseTree: "f".repeat(40),
    changes: [
      { path: "src/a.ts", mode: "100644", sha: "1".repeat(40) },
      { path: "old.ts", sha: null },
    ],
    why: "claude's change for #4",
  },
  "update-ref": { kind: "update-ref", issue: 4, ref: "heads/orkestra/4-claude", sha: "2".repeat(40), why: "claude's second attempt" },
  "create-pull": { kind: "create-pull", issue: 4, pull: { title: "Fix #4", body: "Closes #4", head: "orkestra/4-claude", base: "main", draft: true }, why: "claude's change for #4" },
  "update-pull": { kind: "update-pull", issue: 9, changes: { title: "Fix #4 (checked)" }, why: "checks passed" },
  "mark-ready-for-review": { kind: "mark-ready-for-review", issue: 9, nodeId: "PR_kwDOA", why: "checks passed" },
  "enable-auto-merge": { kind: "enable-auto-merge", issue: 9, nodeId: "PR_kwDOA", method: "SQUASH", why: "autonomy full: review policy passed" },
  "dispatch-workflow": { kind: "dispatch-workflow", issue: 4, workflow: "orkestra-worker.yml", ref: "main", inputs: { task: "4" }, why: "claude works on #4" },
};

/** The port method each kind is written with (the first one, for kinds that may need two). */
const WRITTEN_WITH: Record<EffectKind, GitHubWrite> = {
  "add-labels": "addLabels",
  "remove-labels": "removeLabel",
  "create-comment": "createComment",
  "update-comment": "updateComment",
  "delete-comment": "deleteComment",
  react: "react",
  "set-state": "setIssueState",
  "create-issue": "createIssue",
  "update-issue-body": "updateIssueBody",
  "pin-issue": "pinIssue",
  "update-refs": "updateRefs",
  "add-sub-issue": "addSubIssue",
  "add-blocked-by": "addBlockedBy",
  "remove-blocked-by": "removeBlockedBy",
  "create-commit": "createCommit",
  "create-ref": "createRef",
  "fast-forward-ref": "fastForwardRef",
  "delete-ref": "deleteRef",
  "create-review": "createReview",
  "update-review-body": "updateReviewBody",
  "dismiss-review": "dismissReview",
  "create-check-run": "createCheckRun",
  "update-check-run": "updateCheckRun",
  "create-blob": "createBlob",
  "create-tree": "createTree",
  "update-ref": "forceUpdateRef",
  "create-pull": "createPull",
  "update-pull": "updatePull",
  "mark-ready-for-review": "markReadyForReview",
  "enable-auto-merge": "enableAutoMerge",
  "dispatch-workflow": "dispatchWorkflow",
};

/** A port that records every call and answers with a plausible value. */
function recordingPort(fail?: { method: string; error: Error }): { port: GitHubPort; calls: string[] } {
  const calls: string[] = [];
  const answers: Record<string, unknown> = {
    addLabels: [{ ...label }],
    createRef: true,
    fastForwardRef: true,
    react: true,
    createCommit: "e".repeat(40),
    createCheckRun: 5,
    createBlob: "3".repeat(40),
    createTree: "4".repeat(40),
    createPull: { number: 9, nodeId: "PR_kwDOA" },
    dispatchWorkflow: 77,
  };
  const port = new Proxy({} as GitHubPort, {
    get: (_target, name: string) => async () => {
      calls.push(name);
      if (fail?.method === name) throw fail.error;
      return answers[name];
    },
  });
  return { port, calls };
}

function options(dryRun: boolean) {
  const lines: string[] = [];
  return { lines, options: { dryRun, log: silentLogger, record: (line: string) => lines.push(line) } };
}

describe("the applier", () => {
  it.each(Object.values(SAMPLES))("describes $kind in a dry run and writes nothing", async (effect) => {
    const { port, calls } = recordingPort();
    const { lines, options: dry } = options(true);
    await expect(applyEffect(port, effect, dry)).resolves.toBeNull();
    expect(calls).toEqual([]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^(#${effect.issue ?? ""}|repository): .+ — ${effect.why.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`));
  });

  it.each(Object.values(SAMPLES))("writes $kind through its port method and reports the same line", async (effect) => {
    const { port, calls } = recordingPort();
    const { lines: dryLines, options: dry } = options(true);
    await applyEffect(port, effect, dry);
    const { lines, options: real } = options(false);
    await applyEffect(port, effect, real);
    expect(calls[0]).toBe(WRITTEN_WITH[effect.kind]);
    expect(lines).toEqual(dryLines);
  });

  it("returns what GitHub answered for writes a later step needs", async () => {
    const { port } = recordingPort();
    const { options: real } = options(false);
    await expect(applyEffect(port, SAMPLES["create-ref"], real)).resolves.toBe(true);
    await expect(applyEffect(port, SAMPLES["create-check-run"], real)).resolves.toBe(5);
    await expect(applyEffect(port, SAMPLES["create-commit"], real)).resolves.toBe("e".repeat(40));
  });

  it("returns the shas, the pull request and the run a pull request's writes need next", async () => {
    const { port } = recordingPort();
    const { options: real } = options(false);
    await expect(applyEffect(port, SAMPLES["create-blob"], real)).resolves.toBe("3".repeat(40));
    await expect(applyEffect(port, SAMPLES["create-tree"], real)).resolves.toBe("4".repeat(40));
    await expect(applyEffect(port, SAMPLES["create-pull"], real)).resolves.toMatchObject({ number: 9, nodeId: "PR_kwDOA" });
    await expect(applyEffect(port, SAMPLES["dispatch-workflow"], real)).resolves.toBe(77);
  });

  it("describes a pull request's writes in one line each", () => {
    const lines = (["create-blob", "create-tree", "update-ref", "create-pull", "update-pull", "mark-ready-for-review", "dispatch-workflow"] as const).map((kind) =>
      describeEffect(SAMPLES[kind]),
    );
    expect(lines).toEqual([
      "#4: store `src/a.ts` (11 bytes) — claude's change for #4",
      "#4: make a tree with 1 file(s) changed, 1 deleted over fffffff — claude's change for #4",
      "#4: force-move `refs/heads/orkestra/4-claude` to 2222222 — claude's second attempt",
      '#4: open draft pull request "Fix #4" from `orkestra/4-claude` into `main` — claude\'s change for #4',
      "#9: edit the pull request's title — checks passed",
      "#9: mark ready for review — checks passed",
      "#4: dispatch workflow `orkestra-worker.yml` on `main` — claude works on #4",
    ]);
  });

  it("names the write that failed, why it was wanted and GitHub's answer, keeping the status", async () => {
    const { port } = recordingPort({ method: "setIssueState", error: new GitHubError("GitHub API: PATCH /repos/o/r/issues/1: Server Error", 500) });
    const failure = applyEffect(port, SAMPLES["set-state"], options(false).options);
    await expect(failure).rejects.toThrow("#1: could not close as completed (/status done): GitHub API: PATCH /repos/o/r/issues/1: Server Error");
    await expect(failure).rejects.toMatchObject({ status: 500 });
  });

  it("stops a batch at the first failed write", async () => {
    const { port, calls } = recordingPort({ method: "addLabels", error: new GitHubError("GitHub API: boom", 500) });
    await expect(applyEffects(port, [SAMPLES["add-labels"], SAMPLES["create-comment"]], options(false).options)).rejects.toThrow("could not add labels");
    expect(calls).toEqual(["addLabels"]);
  });

  it("goes on past a failed best-effort write", async () => {
    const { port, calls } = recordingPort({ method: "addBlockedBy", error: new GitHubError("GitHub API: boom", 500) });
    const { lines, options: real } = options(false);
    await applyEffects(port, [SAMPLES["add-blocked-by"], SAMPLES["create-comment"]], real);
    expect(calls).toEqual(["addBlockedBy", "createComment"]);
    expect(lines).toEqual(["#1: post a comment — task created"]);
  });
});

describe("writes outside the applier", () => {
  const WRITE = new RegExp(`\\.(${Object.values(WRITTEN_WITH).concat(["updateLabel"]).join("|")})\\(`);

  function sources(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? sources(path) : path.endsWith(".ts") ? [path] : [];
    });
  }

  it("no code in src calls a GitHub write method except the applier and the GitHub port", () => {
    const offenders = sources("src")
      .filter((path) => !path.startsWith(join("src", "github")) && path !== join("src", "runtime", "apply.ts"))
      .flatMap((path) =>
        readFileSync(path, "utf8")
          .split("\n")
          .map((line, index) => ({ line, where: `${path}:${index + 1}` }))
          .filter(({ line }) => WRITE.test(line))
          .map(({ where, line }) => `${where}: ${line.trim()}`),
      );
    expect(offenders).toEqual([]);
  });
});

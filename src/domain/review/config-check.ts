/**
 * The `orkestra/config` check run on a pull request that changes Orkestra's configuration file:
 * whether the file at the PR's head is valid, each problem as an annotation on its line. The PR's
 * configuration is only parsed here, never used: the base branch's stays in force until merged.
 */
import type { CheckAnnotation } from "./check-run.js";
import { oneLine } from "../untrusted-text.js";
import { CHECK_TEXT_LIMIT, truncateMarkdown } from "./markdown.js";

export const CONFIG_CHECK_NAME = "orkestra/config";
/** GitHub takes at most 50 annotations per request; the rest are counted in the summary. */
const MAX_ANNOTATIONS = 50;

/** One problem of the file, as the loader reports it (narrowed here: the domain reads no config module). */
export interface ConfigProblem {
  path: string;
  message: string;
  line?: number;
}

/** What the PR's head holds: the file's problems (none: valid), or no file at all. */
export type ConfigAtHead = { kind: "parsed"; problems: readonly ConfigProblem[] } | { kind: "deleted" };

interface ConfigCheckPlan {
  conclusion: "success" | "failure";
  title: string;
  summary: string;
  annotations: CheckAnnotation[];
}

function describe(problem: ConfigProblem): string {
  return `${problem.path ? `\`${oneLine(problem.path, 200)}\`: ` : ""}${oneLine(problem.message, 1000)}`;
}

export function renderConfigCheck(file: string, head: ConfigAtHead, shortSha: string): ConfigCheckPlan {
  if (head.kind === "deleted") {
    return {
      conclusion: "success",
      title: "Configuration removed: the defaults apply",
      summary: `This pull request deletes \`${file}\` at ${shortSha}. Once merged, the Action runs with Orkestra's default settings, and the App stops acting in this repository (without the file it is not onboarded).`,
      annotations: [],
    };
  }
  if (head.problems.length === 0) {
    return { conclusion: "success", title: "Configuration valid", summary: `\`${file}\` at ${shortSha} is valid.`, annotations: [] };
  }
  const placed = head.problems.filter((problem) => problem.line !== undefined);
  const annotations = placed.slice(0, MAX_ANNOTATIONS).map(
    (problem): CheckAnnotation => ({
      path: file,
      start_line: problem.line!,
      end_line: problem.line!,
      annotation_level: "failure",
      title: "Invalid configuration",
      message: describe(problem).slice(0, 4000),
    }),
  );
  const more = placed.length - annotations.length;
  const lines = head.problems.map((problem) => `- ${problem.line !== undefined ? `line ${problem.line}` : "file"} — ${describe(problem)}`);
  const summary = [
    `\`${file}\` at ${shortSha} is not valid; merged as it is, Orkestra would stop with a configuration error. The configuration in force is not changed by this pull request.`,
    lines.join("\n"),
    ...(more > 0 ? [`${more} more problem(s) with a line are not annotated (GitHub takes ${MAX_ANNOTATIONS} annotations per request).`] : []),
  ].join("\n\n");
  const count = head.problems.length;
  return { conclusion: "failure", title: `Configuration invalid: ${count} problem${count === 1 ? "" : "s"}`, summary: truncateMarkdown(summary, CHECK_TEXT_LIMIT), annotations };
}

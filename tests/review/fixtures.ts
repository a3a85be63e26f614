import type { components } from "@octokit/openapi-types";
import type { AgentOutcome, AgentReview, Finding } from "../../src/domain/review/schema.js";

/** One item of `pulls.listFiles`, typed by GitHub's own REST description. */
type DiffEntry = components["schemas"]["diff-entry"];

const HEAD = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";

export function diffEntry(fields: Pick<DiffEntry, "filename" | "status" | "additions" | "deletions"> & Partial<DiffEntry>): DiffEntry {
  return {
    sha: "bbcd538c8e72b8c175046e27cc8f907076331401",
    changes: fields.additions + fields.deletions,
    blob_url: `https://github.com/Codertocat/Hello-World/blob/${HEAD}/${fields.filename}`,
    raw_url: `https://github.com/Codertocat/Hello-World/raw/${HEAD}/${fields.filename}`,
    contents_url: `https://api.github.com/repos/Codertocat/Hello-World/contents/${fields.filename}?ref=${HEAD}`,
    ...fields,
  };
}

export const MODIFIED_PATCH = [
  "@@ -1,7 +1,8 @@",
  ' import express from "express";',
  '-import { auth } from "./auth";',
  '+import { auth, verify } from "./auth";',
  '+import { log } from "./log";',
  " ",
  " const app = express();",
  " app.use(auth);",
  " ",
  " export default app;",
  "@@ -40,6 +41,6 @@ function start(port: number) {",
  "   const server = app.listen(port);",
  '   server.on("error", (error) => {',
  "-    console.error(error);",
  "+    log.error(error);",
  "   });",
  "   return server;",
  " }",
].join("\n");

const ADDED_PATCH = ["@@ -0,0 +1,3 @@", "+# Title", "+", "+Body text", "\\ No newline at end of file"].join("\n");

const REMOVED_PATCH = ["@@ -1,3 +0,0 @@", "-module.exports = 1;", "-// a", "-// b"].join("\n");

export const RENAMED_PATCH = [
  "@@ -10,4 +10,4 @@ export function pad(s: string) {",
  "   const width = 8;",
  "-  return s.padStart(width);",
  '+  return s.padStart(width, " ");',
  " }",
  " export {};",
].join("\n");

/** A PR's files as the API returns them: every kind of entry Orkestra must handle. */
export const PR_FILES: DiffEntry[] = [
  diffEntry({ filename: "src/server.ts", status: "modified", additions: 3, deletions: 2, patch: MODIFIED_PATCH }),
  diffEntry({ filename: "docs/new.md", status: "added", additions: 3, deletions: 0, patch: ADDED_PATCH }),
  diffEntry({ filename: "old/legacy.js", status: "removed", additions: 0, deletions: 3, patch: REMOVED_PATCH }),
  diffEntry({ filename: "src/util.ts", previous_filename: "lib/util.ts", status: "renamed", additions: 1, deletions: 1, patch: RENAMED_PATCH }),
  diffEntry({ filename: "src/moved.ts", previous_filename: "lib/moved.ts", status: "renamed", additions: 0, deletions: 0 }),
  diffEntry({ filename: "assets/logo.png", status: "added", additions: 0, deletions: 0 }),
  diffEntry({ filename: "db/huge.sql", status: "modified", additions: 20000, deletions: 5 }),
  diffEntry({ filename: "package-lock.json", status: "modified", additions: 2, deletions: 2, patch: "@@ -1,2 +1,2 @@\n-a\n-b\n+c\n+d" }),
];

export function finding(fields: Partial<Finding> & Pick<Finding, "file" | "line">): Finding {
  return { startLine: null, side: "RIGHT", severity: "warning", message: "Something is off here.", suggestion: null, ...fields };
}

export function ok(agent: string, verdict: AgentReview["verdict"], findings: Finding[] = [], summary = `${agent} summary`): AgentOutcome {
  return { agent, status: "ok", review: { verdict, summary, findings } };
}

export function abstain(agent: string, status: "error" | "timeout" | "invalid" = "timeout"): AgentOutcome {
  return { agent, status, error: `${agent} did not answer in time` };
}

/** A synthetic diff of `files` files × `hunks` hunks × `lines` changed lines each. */
export function syntheticPatch(hunks: number, linesPerHunk: number, seed = 0): string {
  const out: string[] = [];
  let oldLine = 1;
  let newLine = 1;
  for (let h = 0; h < hunks; h++) {
    const deletions = Math.floor(linesPerHunk / 3);
    const additions = linesPerHunk - deletions;
    out.push(`@@ -${oldLine},${deletions + 2} +${newLine},${additions + 2} @@ block${h}`);
    out.push(` context before ${h}`);
    for (let i = 0; i < deletions; i++) out.push(`-  old value ${seed}-${h}-${i} = compute(${i});`);
    for (let i = 0; i < additions; i++) out.push(`+  const value${i} = computeSomething(${seed}, ${h}, ${i}); // changed`);
    out.push(` context after ${h}`);
    oldLine += deletions + 2 + 10;
    newLine += additions + 2 + 10;
  }
  return out.join("\n");
}

/** The outcome file the read-only job hands to the publish job: written by Orkestra, read as untrusted. */
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { outcomeFile, readOutcomeFile, writeOutcomeFile } from "../../src/action/worker/outcome.js";
import { tempDir } from "./support.js";

const JOB = { issue: 7, agent: "claude", attempt: 2, round: 1 };
const BASE = "a".repeat(40);
const USAGE = { inputTokens: 150, outputTokens: 40, costUsd: 0.0123 };
const b64 = (text: string | Uint8Array) => Buffer.from(text).toString("base64");

function file(overrides: Record<string, unknown> = {}, change: Record<string, unknown> = {}) {
  return { version: 1, job: JOB, usage: USAGE, ok: true, baseSha: BASE, summary: "Done.", changes: [{ path: "src/a.ts", kind: "modify", mode: "100644", content: b64("a\n"), ...change }], ...overrides };
}

function written(content: unknown): string {
  const path = join(tempDir(), "outcome.json");
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

async function refusal(content: unknown): Promise<string> {
  const read = await readOutcomeFile(written(content), JOB);
  if (read.ok || read.missing) throw new Error("expected a refusal");
  return read.error;
}

describe("the outcome file", () => {
  it("carries text, binary content, links, executables, deletions and submodules through base64, and usage", async () => {
    const binary = new Uint8Array([0, 1, 2, 255]);
    const changes = [
      { path: "src/a.ts", kind: "modify" as const, mode: "100644" as const, content: "export const a = 'ä';\n", size: 23 },
      { path: "img/logo.png", kind: "add" as const, mode: "100644" as const, content: binary, size: 4 },
      { path: "link", kind: "add" as const, mode: "120000" as const, content: "src/a.ts", size: 8 },
      { path: "bin/run", kind: "add" as const, mode: "100755" as const, content: "#!/bin/sh\n", size: 10 },
      { path: "old.txt", kind: "delete" as const, mode: "100644" as const, content: null, size: 0 },
      { path: "vendor/lib", kind: "add" as const, mode: "160000" as const, content: null, size: 0 },
    ];
    const path = join(tempDir(), "out", "outcome.json");
    await writeOutcomeFile(path, outcomeFile(JOB, BASE, { ok: true, changes, summary: "Done.", usage: USAGE, log: [] }));
    const read = await readOutcomeFile(path, JOB);
    expect(read).toEqual({ ok: true, outcome: { ok: true, summary: "Done.", baseSha: BASE, usage: USAGE, changes: changes.map((change) => ({ ...change, content: change.content instanceof Uint8Array ? new Uint8Array(change.content) : change.content })) } });
  });

  it("carries a failed run's reason, with no usage when the CLI reported none", async () => {
    const path = join(tempDir(), "outcome.json");
    await writeOutcomeFile(path, outcomeFile(JOB, null, { ok: false, reason: "claude: claude exited with code 1", log: [] }));
    expect(await readOutcomeFile(path, JOB)).toEqual({ ok: true, outcome: { ok: false, reason: "claude: claude exited with code 1", usage: { inputTokens: 0, outputTokens: 0, costUsd: null } } });
  });

  it("turns changes publish would refuse into a failed round on the worker's side", () => {
    const made = outcomeFile(JOB, BASE, { ok: true, changes: [{ path: "a\nb", kind: "add", mode: "100644", content: "x", size: 1 }], summary: "", usage: USAGE, log: [] });
    expect(made).toMatchObject({ ok: false, reason: "the changes cannot be handed over: changes.0.path: control characters are not allowed in a path" });
  });

  it("is missing (not refused) when the work job handed nothing over", async () => {
    expect(await readOutcomeFile(join(tempDir(), "none.json"), JOB)).toEqual({ ok: false, missing: true });
  });

  it("refuses paths that leave the repository or reach .git, absolute paths and duplicates", async () => {
    expect(await refusal(file({}, { path: "../x" }))).toMatch(/changes\.0\.path: a path has no empty, `\.` or `\.\.` part/);
    expect(await refusal(file({}, { path: "a/../../x" }))).toMatch(/changes\.0\.path/);
    expect(await refusal(file({}, { path: "/etc/passwd" }))).toMatch(/changes\.0\.path: a path is relative to the repository root/);
    expect(await refusal(file({}, { path: "src\\a.ts" }))).toMatch(/changes\.0\.path: a path is relative/);
    expect(await refusal(file({}, { path: "sub/.GIT/config" }))).toMatch(/a path never goes into `\.git`/);
    expect(await refusal(file({}, { path: 7 }))).toMatch(/changes\.0\.path: Invalid input: expected string/);
    const twice = file();
    twice.changes.push({ ...twice.changes[0]! });
    expect(await refusal(twice)).toMatch(/changes\.1\.path: "src\/a\.ts" is listed twice/);
  });

  it("refuses bad base64, unknown modes and kinds, content on a deletion and none on an addition", async () => {
    expect(await refusal(file({}, { content: "YQ=\n" }))).toMatch(/changes\.0\.content: content is not base64/);
    expect(await refusal(file({}, { content: "%%%%" }))).toMatch(/content is not base64/);
    expect(await refusal(file({}, { mode: "100777" }))).toMatch(/changes\.0\.mode/);
    expect(await refusal(file({}, { kind: "rename" }))).toMatch(/changes\.0\.kind/);
    expect(await refusal(file({}, { kind: "delete" }))).toMatch(/a deletion or a submodule has no content/);
    expect(await refusal(file({}, { content: null }))).toMatch(/an added or modified file needs its content/);
  });

  it("refuses extra fields anywhere, a wrong version and a short sha", async () => {
    expect(await refusal(file({}, { size: 2 }))).toMatch(/changes\.0: Unrecognized key: "size"/);
    expect(await refusal(file({ pushTo: "main" }))).toMatch(/Unrecognized key: "pushTo"/);
    expect(await refusal(file({ job: { ...JOB, token: "x" } }))).toMatch(/job: Unrecognized key: "token"/);
    expect(await refusal(file({ version: 2 }))).toMatch(/version/);
    expect(await refusal(file({ baseSha: "abc123" }))).toMatch(/baseSha: a full commit sha/);
    expect(await refusal({ version: 1, job: JOB, usage: USAGE, ok: false, reason: "x", changes: [] })).toMatch(/Unrecognized key: "changes"/);
  });

  it("refuses oversized files and fields before trusting them", async () => {
    const path = written(file());
    const small = await readOutcomeFile(path, JOB, 100);
    expect(!small.ok && !small.missing && small.error).toMatch(/was refused: it is \d+ bytes, more than 100\. Nothing was written\.$/);
    expect(await refusal(file({ summary: "x".repeat(70_000) }))).toMatch(/summary: Too big/);
    const many = file({ changes: Array.from({ length: 10_001 }, (_, i) => ({ path: `f${i}`, kind: "delete", mode: "100644", content: null })) });
    expect(await refusal(many)).toMatch(/changes: Too big/);
    expect(await refusal(file({ usage: { ...USAGE, inputTokens: -1 } }))).toMatch(/usage\.inputTokens/);
  });

  it("refuses what is not JSON, not a regular file, or for another job", async () => {
    expect(await refusal("{ not json")).toMatch(/was refused: it is not JSON/);
    const dir = tempDir();
    writeFileSync(join(dir, "real.json"), JSON.stringify(file()));
    symlinkSync(join(dir, "real.json"), join(dir, "link.json"));
    const linked = await readOutcomeFile(join(dir, "link.json"), JOB);
    expect(!linked.ok && !linked.missing && linked.error).toMatch(/it is not a regular file/);
    mkdirSync(join(dir, "a-dir"));
    const folder = await readOutcomeFile(join(dir, "a-dir"), JOB);
    expect(!folder.ok && !folder.missing && folder.error).toMatch(/it is not a regular file/);
    expect(await refusal(file({ job: { ...JOB, attempt: 1 } }))).toMatch(/it is for #7 `claude` attempt 1 round 1, and this run publishes #7 `claude` attempt 2 round 1/);
  });
});

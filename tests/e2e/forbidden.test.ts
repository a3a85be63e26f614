// A token without a permission Orkestra needs: what the person who installed it reads, in each door.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { pino } from "pino";
import { Probot, ProbotOctokit } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { startOrkestraApp } from "../../src/app/index.js";
import { DEFAULT_INTEGRATION_PERMISSIONS } from "../../tools/sandbox/permissions.js";
import { startSandbox, type Sandbox } from "../../tools/sandbox/index.js";
import { generateKeyPairSync } from "node:crypto";

const READ_ONLY_ISSUES = { ...DEFAULT_INTEGRATION_PERMISSIONS, issues: "read" } as const;
const NAMED = /GitHub API: POST \/repos\/octo-org\/orkestra-demo\/issues\/1\/labels: Resource not accessible by integration \(403\) — the token needs issues: write/;

describe("a 403 reaches the user naming the route and the permission to add", () => {
  let sandbox: Sandbox | undefined;
  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  it("the bundled Action, run as a runner runs it (token only as `github-token`), fails the step with the route and the permission", async () => {
    sandbox = await startSandbox({ owner: "octo-org", repo: "orkestra-demo", collaborators: { alice: "write" }, actionsPermissions: READ_ONLY_ISSUES });
    const issue = sandbox.as("alice").openIssue({ title: "Labels need issues: write" });
    const event = sandbox.deliveries.find((delivery) => delivery.name === "issues" && delivery.payload.action === "opened")!;
    const dir = mkdtempSync(join(tmpdir(), "orkestra-forbidden-"));
    writeFileSync(join(dir, "event.json"), JSON.stringify(event.payload));
    const summary = join(dir, "summary.md");
    writeFileSync(summary, "");
    const env = {
      PATH: process.env.PATH,
      GITHUB_EVENT_NAME: "issues",
      GITHUB_EVENT_PATH: join(dir, "event.json"),
      GITHUB_REPOSITORY: `${sandbox.owner}/${sandbox.repo}`,
      GITHUB_API_URL: sandbox.url,
      GITHUB_REF: `refs/heads/${sandbox.defaultBranch}`,
      GITHUB_STEP_SUMMARY: summary,
      "INPUT_GITHUB-TOKEN": sandbox.tokens.actions,
    };
    const run = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = execFile(process.execPath, ["dist/index.js"], { env, timeout: 60_000 }, (_error, stdout) => resolve({ code: child.exitCode, stdout }));
    });
    // The step fails (exit 1), with an error annotation a person sees on the run's page and in the summary.
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`::error::#1: could not add labels .*: ${NAMED.source}`));
    expect(readFileSync(summary, "utf8")).toMatch(NAMED);
    // GitHub refused the write, so nothing else was written either.
    expect(sandbox.state.issue(issue.number)?.labels).toEqual([]);
  }, 60_000);

  it("the App logs the same line for an installation whose permissions lack it", async () => {
    // A repository that merged its onboarding pull request: the App is on there.
    sandbox = await startSandbox({ owner: "octo-org", repo: "orkestra-demo", collaborators: { alice: "write" }, app: { permissions: READ_ONLY_ISSUES }, files: { ".github/orkestra.yml": "# Orkestra is on with the defaults.\n" } });
    const lines: string[] = [];
    const log = pino({ level: "info" }, new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()) }));
    const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
    const probot = new Probot({
      appId: sandbox.app.id,
      privateKey,
      baseUrl: sandbox.url,
      log,
      Octokit: ProbotOctokit.defaults((options: { throttle?: object }) => ({ ...options, retry: { enabled: false }, throttle: { ...options.throttle, enabled: false } })),
    });
    startOrkestraApp(probot, { sweepTickMinutes: 0, env: {} });
    sandbox.onEvent((event) => probot.receive({ id: event.id, name: event.name, payload: event.payload } as never));
    sandbox.as("alice").openIssue({ title: "Labels need issues: write" });
    await sandbox.settled();
    const errors = lines.map((line) => JSON.parse(line) as { level: number; msg: string }).filter((entry) => entry.level >= 50);
    expect(errors.map((entry) => entry.msg)).toEqual([expect.stringMatching(NAMED)]);
  }, 60_000);
});

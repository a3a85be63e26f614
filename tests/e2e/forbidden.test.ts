// A token without a permission Orkestra needs: what the person who installed it reads, in each door.
import { Writable } from "node:stream";
import { pino } from "pino";
import { Probot, ProbotOctokit } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { startOrkestraApp } from "../../src/app/index.js";
import { DEFAULT_INTEGRATION_PERMISSIONS } from "../../tools/sandbox/permissions.js";
import { startSandbox, type Sandbox } from "../../tools/sandbox/index.js";
import { runActionStep } from "../support/runner.js";
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
    const run = await runActionStep(sandbox, event);
    // The step fails (exit 1) with one error annotation — the line a person sees on the run's page —
    // and the same line in the job summary and the `errors` output.
    expect(run.code).toBe(1);
    const annotations = run.stdout.split("\n").filter((line) => line.startsWith("::error"));
    expect(annotations).toEqual([expect.stringMatching(new RegExp(`^::error::#1: could not add labels .*: ${NAMED.source}`))]);
    expect(run.summary).toMatch(NAMED);
    expect(JSON.parse(run.outputs.errors ?? "[]")).toEqual([expect.stringMatching(NAMED)]);
    expect(run.outputs.result).toBe("error");
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

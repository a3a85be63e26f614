import { createRequire } from "node:module";
import type { WebhookDefinition } from "@octokit/webhooks-examples";
import { Octokit } from "@octokit/rest";
import { afterEach, describe, expect, it } from "vitest";
import { fixedClock } from "../../tools/fixed-clock.js";
import { scriptedProvider } from "../../tools/scripted/index.js";
import { OctokitGitHub } from "../../src/github/octokit.js";
import { emptyReport, type Services } from "../../src/runtime/context.js";
import { handleEvent } from "../../src/handlers/index.js";
import { configRefFor, pullRequestEventSchema, wantsPullRequestEvent } from "../../src/handlers/review/index.js";
import { silentLogger } from "../../src/shared/logger.js";
import { startSandbox, type Sandbox } from "../../tools/sandbox/index.js";
import { approve, blocker, changedApp, reviewConfig, scriptReviews } from "./support.js";

/** The recorded `pull_request` deliveries GitHub documents (api.github.com). */
const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as WebhookDefinition[];
const recorded = examples.find((entry) => entry.name === "pull_request")!.examples as unknown as Array<Record<string, unknown> & { action: string }>;

describe("recorded pull_request payloads", () => {
  it("all parse, and only the actions that can need a review or an overlap check are wanted", () => {
    expect(recorded.length).toBeGreaterThan(10);
    const wanted: string[] = [];
    for (const payload of recorded) {
      const parsed = pullRequestEventSchema.safeParse(payload);
      expect(parsed.success, payload.action).toBe(true);
      if (wantsPullRequestEvent(parsed.data!, emptyReport())) wanted.push(payload.action);
    }
    expect([...new Set(wanted)].sort()).toEqual(["closed", "opened", "ready_for_review", "reopened", "synchronize"]);
    const report = emptyReport();
    expect(wantsPullRequestEvent(pullRequestEventSchema.parse(recorded.find((p) => p.action === "labeled")), report)).toBe(false);
    expect(report.notes).toEqual(["pull_request `labeled` needs nothing from Orkestra"]);
  });

  it("read the configuration from the base branch only when it is not the default branch", () => {
    const opened = pullRequestEventSchema.parse(recorded.find((p) => p.action === "opened"));
    expect(configRefFor(opened.pull_request.base.ref, opened.repository.default_branch)).toBeUndefined();
    expect(configRefFor("release", "master")).toBe("release");
    expect(configRefFor("release", undefined)).toBeUndefined();
  });
});

describe("a recorded synchronize payload handled by the core", () => {
  let sandbox: Sandbox;
  afterEach(async () => {
    expect(sandbox.violations).toEqual([]);
    await sandbox.close();
  });

  it("reviews the sandbox PR it is pointed at, as `pull_request` and as `pull_request_target`", async () => {
    const clock = fixedClock("2026-11-21T09:00:00Z");
    sandbox = await startSandbox({ clock, collaborators: { alice: "write" }, files: { ".github/orkestra.yml": reviewConfig({ alpha: {} }) } });
    const stop = scriptReviews(() => approve());
    const pull = sandbox.as("alice").openPullRequest({ title: "Change", head: "feature", files: [changedApp()] });
    const octokit = new Octokit({ auth: sandbox.tokens.actions, baseUrl: sandbox.url, retry: { enabled: false } });
    const services: Services = { github: new OctokitGitHub(octokit, { owner: sandbox.owner, repo: sandbox.repo }), clock, log: silentLogger, dryRun: false, repoPrivate: false, env: {}, agentOptions: { scripted: scriptedProvider() } };
    const template = recorded.find((p) => p.action === "synchronize") as unknown as { pull_request: Record<string, unknown> & { head: object; base: object } };
    const payload = {
      ...template,
      number: pull.number,
      pull_request: { ...template.pull_request, number: pull.number, head: { ...template.pull_request.head, sha: pull.head.sha }, base: { ...template.pull_request.base, ref: "main" } },
      repository: { ...(template as unknown as { repository: object }).repository, default_branch: "main" },
    };
    try {
      const first = await handleEvent(services, { name: "pull_request_target", payload });
      expect(first.errors).toEqual([]);
      expect(first.notes[0]).toMatch(/^#1: reviewed [0-9a-f]{7} with alpha: Approved by 1 of 1 agent → COMMENT, check success$/);
      const again = await handleEvent(services, { name: "pull_request", payload });
      expect(again.actions).toEqual([]);
      expect(again.notes).toContain(`#1: no review of ${pull.head.sha.slice(0, 7)}: ${pull.head.sha.slice(0, 7)} is reviewed already`);
      // A stale payload (another head) is skipped before anything is read but the PR.
      const stale = await handleEvent(services, { name: "pull_request", payload: { ...payload, pull_request: { ...payload.pull_request, head: { ...payload.pull_request.head, sha: "0".repeat(40) } } } });
      expect(stale.notes).toEqual([`#1: this event is about 0000000, the head is now ${pull.head.sha.slice(0, 7)}; skipped`]);
    } finally {
      stop();
    }
  });

  it("in a dry run says which agent it would ask with how big a prompt, asks none, and writes nothing", async () => {
    const clock = fixedClock("2026-11-21T09:00:00Z");
    sandbox = await startSandbox({ clock, collaborators: { alice: "write" }, files: { ".github/orkestra.yml": reviewConfig({ alpha: {} }) } });
    const calls: string[] = [];
    const stop = scriptReviews(() => blocker("No."), calls);
    const pull = sandbox.as("alice").openPullRequest({ title: "Change", head: "feature", files: [changedApp()] });
    const octokit = new Octokit({ auth: sandbox.tokens.actions, baseUrl: sandbox.url, retry: { enabled: false } });
    const services: Services = { github: new OctokitGitHub(octokit, { owner: sandbox.owner, repo: sandbox.repo }), clock, log: silentLogger, dryRun: true, repoPrivate: false, env: {}, agentOptions: { scripted: scriptedProvider() } };
    try {
      const report = await handleEvent(services, sandbox.deliveries.find((event) => event.name === "pull_request")!);
      const short = pull.head.sha.slice(0, 7);
      // Agents cost money: a dry run stops before asking them, so there is nothing to publish.
      expect(report.actions).toEqual([expect.stringMatching(new RegExp(`^#1: would ask \`alpha\` to review ${short}: ~\\d+ prompt tokens, 1 file \\(dry run: not asked\\)$`))]);
      expect(calls).toEqual([]);
      expect(sandbox.state.reviews(1)).toEqual([]);
      expect(sandbox.state.checkRuns()).toEqual([]);
      expect(sandbox.requests.filter((request) => request.method !== "GET")).toEqual([]);
    } finally {
      stop();
    }
  });
});

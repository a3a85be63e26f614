import { generateKeyPairSync } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { startProbotServer, type RunningServer } from "../../tools/demo/probot-server.js";
import { parseCard } from "../../src/domain/task/card.js";
import { startSandbox, type Sandbox } from "../../tools/sandbox/index.js";
import { CONFIG_PATH } from "../../src/config/schema.js";
import { starterConfig } from "../../src/config/starter.js";

const SECRET = "reliability";
const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();

function labels(sandbox: Sandbox, number: number): string[] {
  return (sandbox.state.issue(number)?.labels ?? []).map((label) => (typeof label === "string" ? label : label.name ?? "")).sort();
}

function cards(sandbox: Sandbox, number: number) {
  return sandbox.state.comments(number).map((comment) => parseCard(comment.body)).filter((card) => card !== null);
}

describe("reliability, through the real Probot server", () => {
  let sandbox: Sandbox | undefined;
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.stop();
    await sandbox?.close();
  });

  async function start(options: { throttle?: boolean } = {}) {
    // A repository that merged its onboarding pull request (without one the App only onboards).
    sandbox = await startSandbox({ collaborators: { alice: "write" }, files: { [CONFIG_PATH]: starterConfig() } });
    server = await startProbotServer({
      baseUrl: `${sandbox.url}/api/v3`,
      appId: sandbox.app.id,
      privateKey,
      webhookSecret: SECRET,
      env: {},
      throttle: options.throttle ?? false,
    });
    sandbox.deliverWebhooks({ url: server.webhookUrl, secret: SECRET });
    return sandbox;
  }

  it("duplicate and out-of-order deliveries still end in the right state, with one card", async () => {
    const github = await start();
    github.webhookFaults({ duplicate: true, reorder: true, seed: 7 });
    const dep = github.as("alice").openIssue({ title: "Dependency" });
    const task = github.as("alice").openIssue({ title: "Task", body: "first draft" });
    github.as("alice").editIssue(task.number, { body: `depends on #${dep.number}` });
    github.as("alice").addLabels(task.number, ["priority:high"]);
    await github.settled();
    expect(github.webhookDeliveries.length).toBeGreaterThan(8);
    expect(cards(github, task.number)).toHaveLength(1);
    expect(cards(github, task.number)[0]?.deps).toEqual([{ number: dep.number, state: "open" }]);
    expect(labels(github, task.number)).toEqual(["orkestra:task", "priority:high", "status:blocked", "type:technical"]);
    expect(cards(github, dep.number)).toHaveLength(1);
  });

  it("a 502 and a secondary rate limit on the way are retried, and the task ends right", async () => {
    const github = await start({ throttle: true });
    github.faults.inject({ method: "POST", route: "/repos/{owner}/{repo}/issues/{issue_number}/labels", status: 502, times: 1 });
    github.faults.inject({ method: "POST", route: "/repos/{owner}/{repo}/issues/{issue_number}/comments", status: 403, secondary: true, retryAfter: 1, times: 1 });
    const issue = github.as("alice").openIssue({ title: "Flaky GitHub" });
    await github.settled();
    const statuses = github.requests.filter((request) => request.method === "POST").map((request) => request.status);
    expect(statuses).toContain(502);
    expect(statuses).toContain(403);
    expect(labels(github, issue.number)).toEqual(["orkestra:task", "priority:medium", "status:pending", "type:technical"]);
    expect(cards(github, issue.number)).toHaveLength(1);
  }, 30_000);
});

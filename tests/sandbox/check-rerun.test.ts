import { describe, expect, it } from "vitest";
import { octokitFor, repoOf, sandboxFor } from "./helpers.js";
import { webhookSchemaErrors } from "./webhook-schemas.js";

async function runBy(token: "installation" | "actions") {
  const { sandbox } = await sandboxFor({ collaborators: { maya: "write", rita: "read" }, files: { "a.txt": "a\n" } });
  const pull = sandbox.as("maya").openPullRequest({ title: "Change a", head: "change-a", files: [{ path: "a.txt", after: "b\n" }] });
  const app = octokitFor(sandbox, sandbox.tokens[token]);
  const { data: run } = await app.rest.checks.create({ ...repoOf(sandbox), name: "orkestra/review", head_sha: pull.head.sha, conclusion: "success", output: { title: "Approved", summary: "ok" } });
  await sandbox.settled();
  return { sandbox, run };
}

describe("Re-run on a check run", () => {
  it("announces check_run.rerequested by the person who pressed it, leaving the run as it was", async () => {
    const { sandbox, run } = await runBy("installation");
    sandbox.as("maya").rerunCheck(run.id);
    await sandbox.settled();
    const event = sandbox.deliveries.at(-1)!;
    expect(event).toMatchObject({ name: "check_run", viaActionsToken: false, payload: { action: "rerequested", sender: { login: "maya" }, check_run: { id: run.id, app: { slug: "orkestra" } } } });
    expect(webhookSchemaErrors(event.name, event.payload)).toEqual([]);
    expect(sandbox.state.checkRuns().find((r) => r.id === run.id)).toMatchObject({ status: "completed", conclusion: "success" });
  });

  it("starts no workflow for a run of GitHub Actions' suite (GitHub's rule against recursion)", async () => {
    const { sandbox, run } = await runBy("actions");
    sandbox.as("maya").rerunCheck(run.id);
    await sandbox.settled();
    expect(sandbox.deliveries.at(-1)).toMatchObject({ name: "check_run", viaActionsToken: true, payload: { action: "rerequested", sender: { login: "maya" } } });
  });

  it("is refused to people without write access (GitHub shows them no Re-run button)", async () => {
    const { sandbox, run } = await runBy("installation");
    const before = sandbox.deliveries.length;
    expect(() => sandbox.as("rita").rerunCheck(run.id)).toThrow(/^403 /);
    await sandbox.settled();
    expect(sandbox.deliveries).toHaveLength(before);
  });
});

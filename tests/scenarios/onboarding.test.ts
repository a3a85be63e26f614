import { afterEach, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import { CONFIG_PATH } from "../../src/config/schema.js";
import { starterConfig } from "../../src/config/starter.js";
import { ONBOARDING_BRANCH } from "../../src/handlers/onboarding.js";
import type { Sandbox } from "../../tools/sandbox/index.js";
import { labelsOf, orkestraRequests, startHarness, type Harness } from "../support/harness.js";

/** The App's `installation.created` as GitHub sends it: the repositories without their details. */
function installationCreated(sandbox: Sandbox): Record<string, unknown> {
  const repository = sandbox.state.repository();
  return {
    action: "created",
    installation: { id: sandbox.app.installationId, account: { login: sandbox.owner, id: 1, type: "Organization" } },
    repositories: [{ id: repository.id, node_id: repository.node_id, name: repository.name, full_name: repository.full_name, private: repository.private }],
    sender: { login: "mona", id: 9, type: "User" },
  };
}

/** Pull requests from the onboarding branch, as GitHub lists them. */
function onboardingPulls(sandbox: Sandbox): { number: number; state: string; body: string }[] {
  return sandbox.state
    .issues()
    .filter((issue) => issue.pull_request && sandbox.state.pull(issue.number)?.head.ref === ONBOARDING_BRANCH)
    .map((issue) => ({ number: issue.number, state: issue.state, body: issue.body ?? "" }));
}

const writes = (sandbox: Sandbox) => orkestraRequests(sandbox).filter((line) => !line.startsWith("GET"));
const reads = (sandbox: Sandbox) => orkestraRequests(sandbox).filter((line) => line.startsWith("GET"));
const changedApp = () => ({ path: "src/app.ts", after: "export const answer = 42;\n" });

describe("the App on a repository without configuration (onboarding)", () => {
  const open: Harness[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((h) => h.close()));
  });

  it("opens one onboarding pull request and does nothing else until it is merged; merging turns Orkestra on", async () => {
    // Agents answer offline (scripted) whatever the keys: a configured repository would get reviews.
    const h = await startHarness("app", { config: null }, { agentOptions: { offline: true } });
    open.push(h);
    await h.deliver("installation", installationCreated(h.sandbox));
    const [pull, ...more] = onboardingPulls(h.sandbox);
    expect(more).toEqual([]);
    expect(pull).toMatchObject({ state: "open" });
    expect(pull!.body).toMatch(/stays \*\*off\*\*/);
    expect(pull!.body).toMatch(/operator/);
    expect(pull!.body).toMatch(/Close this pull request/);
    // The proposed file is the starter, and it parses.
    const proposed = h.sandbox.state.file(CONFIG_PATH, ONBOARDING_BRANCH);
    expect(proposed).toBe(starterConfig());
    expect(parseConfig(proposed!)).toMatchObject({ ok: true, source: "file" });

    // Events change nothing: no task, no review, no label, no comment, no ledger.
    h.sandbox.clearRequests();
    const issue = h.sandbox.as("alice").openIssue({ title: "Add a dark mode", body: "" });
    const other = h.sandbox.as("alice").openPullRequest({ title: "Answer", head: "feature/answer", files: [changedApp()] });
    await h.settle();
    expect(labelsOf(h.sandbox, issue.number)).toEqual([]);
    expect(h.sandbox.state.comments(issue.number)).toEqual([]);
    expect(h.sandbox.state.reviews(other.number)).toEqual([]);
    expect(writes(h.sandbox)).toEqual([]);
    // Per event two reads: the pause listing (pausable routes) and the configuration that is not there.
    const perEvent = ["GET /repos/{owner}/{repo}/git/matching-refs/{ref}", "GET /repos/{owner}/{repo}/contents/{path}"];
    expect(reads(h.sandbox)).toEqual([...perEvent, ...perEvent]);

    // The sweep reads the file and finds the pull request: two reads, no write, no second pull request.
    h.sandbox.clearRequests();
    const [report] = await h.sweep();
    expect(writes(h.sandbox)).toEqual([]);
    expect(reads(h.sandbox)).toEqual(["GET /repos/{owner}/{repo}/contents/{path}", "GET /repos/{owner}/{repo}/pulls"]);
    expect(report!.notes.join("\n")).toMatch(`waiting for #${pull!.number}`);
    expect(onboardingPulls(h.sandbox)).toHaveLength(1);

    // Merged: the next event finds the file on the default branch, and Orkestra is on.
    h.sandbox.as("mona").closePullRequest(pull!.number, { merge: true });
    await h.settle();
    expect(h.sandbox.state.file(CONFIG_PATH)).toBe(starterConfig());
    const task = h.sandbox.as("alice").openIssue({ title: "Add a light mode", body: "" });
    const reviewed = h.sandbox.as("alice").openPullRequest({ title: "Answer again", head: "feature/again", files: [changedApp()] });
    await h.settle();
    expect(labelsOf(h.sandbox, task.number)).toContain("orkestra:task");
    expect(h.sandbox.state.reviews(reviewed.number).length).toBeGreaterThan(0);
  });

  it("a closed onboarding pull request is a no that stands: no new one, nothing done; adding the file by hand turns it on", async () => {
    const h = await startHarness("app", { config: null });
    open.push(h);
    await h.sweep();
    const [pull] = onboardingPulls(h.sandbox);
    expect(pull).toMatchObject({ state: "open" });
    // A second sweep and a redelivered installation event find it: still one.
    await h.sweep();
    await h.deliver("installation", installationCreated(h.sandbox));
    expect(onboardingPulls(h.sandbox)).toHaveLength(1);

    h.sandbox.as("mona").closePullRequest(pull!.number);
    await h.settle();
    h.sandbox.clearRequests();
    await h.sweep();
    const issue = h.sandbox.as("alice").openIssue({ title: "Task", body: "" });
    await h.settle();
    expect(onboardingPulls(h.sandbox).map(({ state }) => state)).toEqual(["closed"]);
    expect(labelsOf(h.sandbox, issue.number)).toEqual([]);
    expect(writes(h.sandbox)).toEqual([]);

    h.sandbox.setFile(CONFIG_PATH, "tasks:\n  from: all\n");
    const later = h.sandbox.as("alice").openIssue({ title: "Later task", body: "" });
    await h.settle();
    expect(labelsOf(h.sandbox, later.number)).toContain("orkestra:task");
  });

  it("a repository added to an installation is onboarded at once; one that has the file is left to the sweep", async () => {
    const h = await startHarness("app", { config: null });
    open.push(h);
    const { repositories, ...rest } = installationCreated(h.sandbox);
    const added = { ...rest, action: "added", repository_selection: "selected", repositories_added: repositories, repositories_removed: [] };
    await h.deliver("installation_repositories", added);
    expect(onboardingPulls(h.sandbox)).toHaveLength(1);

    const configured = await startHarness("app");
    open.push(configured);
    configured.sandbox.clearRequests();
    await configured.deliver("installation_repositories", { ...added, repositories_added: installationCreated(configured.sandbox).repositories });
    expect(onboardingPulls(configured.sandbox)).toEqual([]);
    expect(writes(configured.sandbox)).toEqual([]);
  });

  it("a branch left without its pull request is reused", async () => {
    const h = await startHarness("app", { config: null });
    open.push(h);
    h.sandbox.setFile("NOTES.md", "left by an earlier attempt\n", { ref: ONBOARDING_BRANCH });
    await h.sweep();
    const [pull, ...more] = onboardingPulls(h.sandbox);
    expect(more).toEqual([]);
    expect(pull).toMatchObject({ state: "open" });
    expect(h.sandbox.state.file("NOTES.md", ONBOARDING_BRANCH)).toBe("left by an earlier attempt\n");
  });

  it("the Action needs no opt-in: without the file the defaults apply", async () => {
    const h = await startHarness("action", { config: null });
    open.push(h);
    const issue = h.sandbox.as("alice").openIssue({ title: "Task", body: "" });
    await h.settle();
    await h.sweep();
    expect(labelsOf(h.sandbox, issue.number)).toContain("orkestra:task");
    expect(onboardingPulls(h.sandbox)).toEqual([]);
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { DOORS, botComments, orkestraRequests, startHarness, type Harness } from "../support/harness.js";
import { approve, changedApp, checkRunsOf, openPr, reviewConfig, scriptReviews } from "../review-handler/support.js";

const cleanups: Array<() => void> = [];
const CONFIG = ".github/orkestra.yml";
const REPO_CONFIG = reviewConfig({ alpha: {} });
/** Line 3 sets an unknown key, line 5 a number where a word is wanted. */
const BROKEN = ["agents:", "  claude: { enabled: false }", "bogus: true", "tasks:", "  defaultType: 42", ""].join("\n");

function configChecks(h: Harness, pr: number) {
  return h.sandbox.state.checkRuns(h.sandbox.state.pull(pr)!.head.sha).filter((run) => run.name === "orkestra/config");
}

describe.each(DOORS)("the orkestra/config check on pull requests through the %s", (door) => {
  let h: Harness;
  let calls: string[];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    expect(h.sandbox.violations).toEqual([]);
    await h.close();
  });

  async function start() {
    h = await startHarness(door, { files: { [CONFIG]: REPO_CONFIG } });
    calls = [];
    cleanups.push(scriptReviews(() => approve(), calls));
  }

  it("fails a PR that breaks the configuration, with each problem on its line; the repository's own stays in force", async () => {
    await start();
    const pr = await openPr(h, { files: [changedApp(), { path: CONFIG, after: BROKEN }] });
    const [check, ...more] = configChecks(h, pr);
    expect(more).toEqual([]);
    expect(check).toMatchObject({ status: "completed", conclusion: "failure", output: { title: "Configuration invalid: 2 problems", annotations_count: 2 } });
    expect(check!.output.summary).toMatch(/- line 3 — `bogus`: /);
    expect(check!.output.summary).toMatch(/- line 5 — `tasks\.defaultType`: /);
    // The PR's configuration was only parsed: the base branch's ran the review, and no error was posted.
    expect(calls).toEqual(["alpha"]);
    expect(checkRunsOf(h, pr)).toMatchObject([{ conclusion: "success" }]);
    expect(botComments(h.sandbox, pr).join("\n")).not.toMatch(/configuration/i);
    expect(h.sandbox.state.file(CONFIG)).toBe(REPO_CONFIG);
  });

  it("passes a valid change, and checks again after a push that breaks it", async () => {
    await start();
    const pr = await openPr(h, { files: [{ path: CONFIG, after: `${REPO_CONFIG}\nvoting: { defaultMethod: majority }\n` }] });
    expect(configChecks(h, pr)).toMatchObject([{ conclusion: "success", output: { title: "Configuration valid" } }]);
    h.sandbox.as("alice").pushCommits(pr, [{ path: CONFIG, after: BROKEN }]);
    await h.settle();
    expect(configChecks(h, pr)).toMatchObject([{ conclusion: "failure" }]);
  });

  it("passes a PR that deletes the file, saying the defaults apply", async () => {
    await start();
    const pr = await openPr(h, { files: [{ path: CONFIG, after: null }] });
    expect(configChecks(h, pr)).toMatchObject([{ conclusion: "success", output: { title: "Configuration removed: the defaults apply" } }]);
  });

  it("checks a fork's PR through the API", async () => {
    await start();
    h.sandbox.addCollaborator("fern", "read");
    const pr = await openPr(h, { by: "fern", fromFork: true, head: "tune", files: [{ path: CONFIG, after: BROKEN }] });
    expect(configChecks(h, pr)).toMatchObject([{ conclusion: "failure", output: { annotations_count: 2 } }]);
  });

  it("gives a PR that does not touch the file no config check and no extra request once the review listed the files", async () => {
    await start();
    const pr = await openPr(h);
    expect(configChecks(h, pr)).toEqual([]);
    expect(calls).toEqual(["alpha"]);
    expect(orkestraRequests(h.sandbox).filter((line) => line === "GET /repos/{owner}/{repo}/pulls/{pull_number}/files")).toHaveLength(1);
    expect(orkestraRequests(h.sandbox).filter((line) => line.startsWith("GET /repos/{owner}/{repo}/contents/"))).toHaveLength(1);
  });
});

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runActionMode } from "../../src/action/main.js";
import { configPathInput } from "../../src/action/surface.js";
import { silentLogger } from "../../src/shared/logger.js";
import { startSandbox, type Sandbox } from "../../tools/sandbox/index.js";
import { runActionStep, type StepRun } from "../support/runner.js";

/*
 * The `config-path` input and the step's outputs, through the Action's door exactly as a runner
 * uses it: the entry (src/action/index.ts) in its own process, inputs as INPUT_* variables, the
 * token only as the `github-token` input, outputs read back from the GITHUB_OUTPUT file.
 */

const CUSTOM = "ops/orkestra.yml";
// A setting whose effect is visible: the priority labels' prefix.
const CUSTOM_CONFIG = 'labels:\n  prefixes:\n    priority: "prio/"\n';

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

/** Runs the Action's entry for the sandbox's `issues.opened` event, with the given inputs. */
function runStep(box: Sandbox, inputs: Record<string, string>): Promise<StepRun> {
  const event = box.deliveries.find((delivery) => delivery.name === "issues" && delivery.payload.action === "opened")!;
  return runActionStep(box, event, { inputs, entry: "src" });
}

const labelsOf = (box: Sandbox, issue: number) => box.state.issue(issue)?.labels.map((label) => (typeof label === "string" ? label : label.name)).sort();

describe("the Action's `config-path` input", () => {
  it("reads the configuration at the configured path, not at .github/orkestra.yml, and says what it did in its outputs", async () => {
    // The default path holds a broken file: reading it would fail the run.
    sandbox = await startSandbox({ collaborators: { alice: "write" }, files: { [CUSTOM]: CUSTOM_CONFIG, ".github/orkestra.yml": "tasks: [not, a, section]\n" } });
    const issue = sandbox.as("alice").openIssue({ title: "Configured elsewhere" });
    sandbox.clearRequests();
    const step = await runStep(sandbox, { "config-path": CUSTOM });
    expect(step.stdout).not.toContain("::error");
    expect(step.code).toBe(0);
    expect(labelsOf(sandbox, issue.number)).toEqual(["orkestra:task", "prio/medium", "status:pending", "type:technical"]);
    const read = sandbox.requests.filter((request) => request.path.includes("/contents/")).map((request) => decodeURIComponent(request.path));
    expect(read.some((path) => path.includes(`/contents/${CUSTOM}`))).toBe(true);
    expect(read.filter((path) => path.includes("/contents/.github/orkestra.yml"))).toEqual([]);
    expect(step.outputs).toMatchObject({ result: "ok", errors: "[]" });
    expect(Number(step.outputs.actions)).toBeGreaterThan(0);
    expect(step.outputs["ledger-head"]).toBe(sandbox.internals.store.git.refs.get("refs/orkestra/state/ledger"));
  }, 60_000);

  it("names the configured file in the annotation, the issue's comment and the outputs when it is invalid", async () => {
    sandbox = await startSandbox({ collaborators: { alice: "write" }, files: { [CUSTOM]: "labels:\n  prefixes:\n    priority: 3\n" } });
    const issue = sandbox.as("alice").openIssue({ title: "Broken configuration" });
    const step = await runStep(sandbox, { "config-path": CUSTOM });
    expect(step.code).toBe(1);
    expect(step.stdout).toMatch(new RegExp(`::error title=Invalid Orkestra configuration,file=${CUSTOM.replace(/[./]/g, "\\$&")},line=3,`));
    const comment = sandbox.state.comments(issue.number).find((c) => c.body?.includes("could not use"));
    expect(comment?.body).toContain(`Orkestra could not use \`${CUSTOM}\``);
    expect(step.outputs.result).toBe("config-error");
    expect(JSON.parse(step.outputs.errors!)).toEqual([expect.stringContaining("labels.prefixes.priority")]);
  }, 60_000);

  it("fails the step, naming the input, for a path outside the repository, before any request", async () => {
    sandbox = await startSandbox({ collaborators: { alice: "write" } });
    const issue = sandbox.as("alice").openIssue({ title: "Escape" });
    sandbox.clearRequests();
    const step = await runStep(sandbox, { "config-path": "../secrets/orkestra.yml" });
    expect(step.code).toBe(1);
    expect(step.stdout).toContain('::error::`config-path` is "../secrets/orkestra.yml": `..` leaves the repository');
    expect(sandbox.requests).toEqual([]);
    expect(labelsOf(sandbox, issue.number)).toEqual([]);
    expect(step.outputs.result).toBe("error");
  }, 60_000);
});

describe("the worker modes' `config-path`", () => {
  it("is where `worker-prepare` reads the configuration too, and a bad one fails before any request", async () => {
    sandbox = await startSandbox({ collaborators: { alice: "write" }, files: { ".github/orkestra.yml": "", [CUSTOM]: "execution: [broken]\n" } });
    const box = sandbox;
    const dir = mkdtempSync(join(tmpdir(), "orkestra-config-path-"));
    const prepare = (configPath: string) =>
      runActionMode({
        env: {
          GITHUB_EVENT_NAME: "workflow_dispatch",
          GITHUB_REPOSITORY: `${box.owner}/${box.repo}`,
          GITHUB_API_URL: box.url,
          RUNNER_TEMP: dir,
          "INPUT_GITHUB-TOKEN": box.tokens.actions,
          INPUT_MODE: "worker-prepare",
          INPUT_ISSUE: "1",
          INPUT_AGENT: "copilot",
          INPUT_ATTEMPT: "1",
          "INPUT_CONFIG-PATH": configPath,
        },
        log: silentLogger,
        throttle: false,
      });
    sandbox.clearRequests();
    const { report, outputs } = await prepare(CUSTOM);
    expect(report.configErrors.map((error) => error.path)).toEqual(["execution"]);
    expect(outputs.ready).toBe("false");
    expect(sandbox.requests.filter((request) => request.path.includes("/contents/")).map((request) => decodeURIComponent(request.path))).toEqual([
      expect.stringContaining(`/contents/${CUSTOM}`),
    ]);
    sandbox.clearRequests();
    await expect(prepare("/etc/orkestra.yml")).rejects.toThrow('`config-path` is "/etc/orkestra.yml": an absolute path leaves the repository');
    expect(sandbox.requests).toEqual([]);
  });
});

describe("reading `config-path`", () => {
  it("is .github/orkestra.yml when empty, a normalised relative path otherwise", () => {
    expect(configPathInput("")).toBe(".github/orkestra.yml");
    expect(configPathInput("./ops//orkestra.yml")).toBe("ops/orkestra.yml");
    expect(configPathInput("orkestra.yml")).toBe("orkestra.yml");
  });

  it("refuses anything that is not a file inside the repository, naming the input", () => {
    const refused: [string, string][] = [
      ["/etc/orkestra.yml", "an absolute path leaves the repository"],
      ["C:/orkestra.yml", "an absolute path leaves the repository"],
      ["ops/../../orkestra.yml", "`..` leaves the repository"],
      ["..", "`..` leaves the repository"],
      ["ops\\orkestra.yml", "use `/` between folders"],
      ["ops/", "that is a folder, not a file"],
      [".", "that is a folder, not a file"],
      [".git/config", "`.git` is not part of the repository's files"],
      ["ops/\norkestra.yml", "it holds control characters"],
    ];
    for (const [value, why] of refused) {
      expect(() => configPathInput(value), value).toThrow(`\`config-path\` is ${JSON.stringify(value)}: ${why}; give a file in the repository relative to its root, like .github/orkestra.yml`);
    }
  });
});

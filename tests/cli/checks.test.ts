/** `validate`, `doctor`, and how every command fails: usage errors (2), GitHub errors (3). */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { doctorJsonSchema, validateJsonSchema } from "../../src/cli/json.js";
import { DEFAULT_INTEGRATION_PERMISSIONS } from "../../tools/sandbox/permissions.js";
import { startSandbox, type Sandbox, type SandboxOptions } from "../../tools/sandbox/index.js";
import { against, cli, writes } from "./support.js";

const WORKFLOW = `name: Orkestra
on:
  issues:
    types: [opened]
  schedule:
    - cron: "*/15 * * * *"
  workflow_dispatch: {}
permissions:
  issues: write
jobs:
  orkestra:
    runs-on: ubuntu-latest
    steps:
      - uses: orkestra/orkestra@v1
`;

function file(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "orkestra-cli-"));
  const path = join(dir, "orkestra.yml");
  writeFileSync(path, text);
  return path;
}

describe("orkestra validate", () => {
  it("prints each problem with its line number and exits 1", async () => {
    const path = file("tasks:\n  defaultType: technical\nvoting:\n  quorum: -3\nbogus: true\n");
    const run = await cli(["validate", path]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`${path}:4`);
    expect(run.stdout).toContain(`${path}:5`);
    expect(run.stdout).toMatch(/bogus/);
    const json = validateJsonSchema.parse(JSON.parse((await cli(["validate", path, "--json"])).stdout));
    expect(json.ok).toBe(false);
    expect(json.errors.map((error) => error.line)).toEqual(expect.arrayContaining([4, 5]));
  });

  it("accepts a valid file, offline and with no token", async () => {
    const run = await cli(["validate", file("tasks:\n  defaultType: research\n")]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("✓");
  });

  it("a YAML syntax error is located too", async () => {
    const run = await cli(["validate", file("tasks:\n  defaultType: [unclosed\n")]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/orkestra\.yml:\d+(:\d+)?: YAML syntax/);
  });

  it("a file that is not there is a usage error (2)", async () => {
    const run = await cli(["validate", join(tmpdir(), "does-not-exist.yml")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("no such file");
  });
});

describe("usage errors exit 2", () => {
  it.each([
    [["tasks", "--limit", "0"], "--limit"],
    [["tasks", "--status", "sleeping"], "sleeping"],
    [["audit", "--since", "yesterday"], "--since"],
    [["audit", "--kind", "gossip"], "gossip"],
    [["tasks", "--frobnicate"], "--frobnicate"],
    [["frobnicate"], "frobnicate"],
    [[], "Usage"],
  ])("orkestra %j", async (args, mention) => {
    const run = await cli(args, { GITHUB_TOKEN: "x" });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(mention);
  });

  it("--help and --version exit 0", async () => {
    expect((await cli(["--help"])).code).toBe(0);
    const version = await cli(["--version"]);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("no repository anywhere is a usage error naming --repo", async () => {
    const run = await cli(["tasks"], { GITHUB_TOKEN: "x" });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--repo owner/name");
  });
});

describe("orkestra doctor", () => {
  let sandbox: Sandbox;
  afterEach(async () => {
    // Every probe fits GitHub's OpenAPI description, and none wrote anything.
    expect(sandbox.violations).toEqual([]);
    await sandbox.close();
  });

  async function doctor(options: SandboxOptions, token: (sandbox: Sandbox) => string = (s) => s.tokens.actions, extra: string[] = []) {
    sandbox = await startSandbox({ files: { ".github/workflows/orkestra.yml": WORKFLOW }, ...options });
    const { flags, env } = against(sandbox, token(sandbox));
    const before = sandbox.state.issues().length;
    const run = await cli(["doctor", ...flags, ...extra], { ...env, ANTHROPIC_API_KEY: "k", OPENAI_API_KEY: "k", GEMINI_API_KEY: "k", XAI_API_KEY: "k", COPILOT_GITHUB_TOKEN: "k" });
    expect(sandbox.state.issues().length).toBe(before);
    expect(sandbox.state.labels()).toEqual([]);
    return run;
  }

  it("passes with the Action's default permissions, and says who the token writes as", async () => {
    const run = await doctor({});
    expect(run.stdout).toContain("writes as @github-actions[bot]");
    for (const scope of ["issues", "pull_requests", "contents", "checks", "actions"]) expect(run.stdout).toContain(`✓ ${scope}: write`);
    expect(run.stdout).toContain("✓ .github/workflows/orkestra.yml runs the sweep on a schedule");
    expect(run.code).toBe(0);
    // The probes were refused as invalid: nothing was created.
    expect(writes(sandbox).every((line) => line.startsWith("POST "))).toBe(true);
  });

  it("names a missing permission precisely: checks: read → ✗ needs `checks: write`", async () => {
    const run = await doctor({ actionsPermissions: { ...DEFAULT_INTEGRATION_PERMISSIONS, checks: "read" } });
    expect(run.code).toBe(1);
    const line = run.stdout.split("\n").find((text) => text.startsWith("✗"))!;
    expect(line).toContain("needs `checks: write`");
    expect(run.stdout).toContain("add `checks: write` to the workflow's `permissions:`");
    expect(run.stdout).toContain("✓ issues: write");
  });

  it("--json lists every check, and an App without pull_requests: write fails on it", async () => {
    const run = await doctor(
      { app: { permissions: { ...DEFAULT_INTEGRATION_PERMISSIONS, pull_requests: "read" } } },
      (s) => s.tokens.installation,
      ["--json"],
    );
    expect(run.code).toBe(1);
    const report = doctorJsonSchema.parse(JSON.parse(run.stdout));
    expect(report.ok).toBe(false);
    expect(report.login).toBe(sandbox.app.botLogin);
    const failed = report.checks.filter((check) => check.status === "fail");
    expect(failed.map((check) => check.id)).toEqual(["permission:pull_requests"]);
    expect(failed[0]!.summary).toContain("pull_requests: write");
    expect(failed[0]!.fix).toContain("pull-requests: write");
  });

  it("an invalid configuration in the repository is ✗ with its line", async () => {
    const run = await doctor({ files: { ".github/workflows/orkestra.yml": WORKFLOW, ".github/orkestra.yml": "tasks:\n  nope: 1\n" } });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✗ \.github\/orkestra\.yml is invalid: line 2/);
  });

  it("a token GitHub refuses exits 3", async () => {
    sandbox = await startSandbox({});
    const { flags } = against(sandbox, "");
    const run = await cli(["doctor", ...flags], { GITHUB_TOKEN: "ghp_wrong" });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("401");
  });

  it("no token at all exits 3 and says where one is looked for", async () => {
    sandbox = await startSandbox({});
    const { flags } = against(sandbox, "");
    const run = await cli(["doctor", ...flags], {});
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("GITHUB_TOKEN");
    expect(run.stderr).toContain("gh auth login");
  });
});

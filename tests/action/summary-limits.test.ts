import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { runAction } from "../../src/action/main.js";
import { failureMessage, renderReport } from "../../src/action/summary.js";
import { emptyReport } from "../../src/runtime/context.js";
import { silentLogger } from "../../src/shared/logger.js";
import { startSandbox, type Sandbox, type SandboxEvent } from "../../tools/sandbox/index.js";
import { fixedClock } from "../../tools/fixed-clock.js";

const MIB = 1024 * 1024;

describe("the job summary", () => {
  it("stays under GitHub's 1 MiB, keeps every error and says what was cut", () => {
    const report = emptyReport();
    report.errors.push(...Array.from({ length: 300 }, (_, i) => `error ${i}: GitHub answered 500`));
    report.actions.push(...Array.from({ length: 5_000 }, (_, i) => `#${i}: labelled \`status:pending\` ${"é".repeat(100)}`));
    report.notes.push(...Array.from({ length: 20_000 }, (_, i) => `#${i}: not a task (tasks.from: label) ${"x".repeat(100)}`));
    const summary = renderReport("schedule", report, false);
    expect(Buffer.byteLength(summary, "utf8")).toBeLessThan(MIB);
    for (const error of report.errors) expect(summary).toContain(`- ${error}\n`);
    expect(summary).toMatch(/\*\*Summary cut\*\* — the last [\d,]+ of [\d,]+ lines are not shown/);
  });

  it("is unchanged when it fits", () => {
    const report = emptyReport();
    report.actions.push("#1: labelled `status:pending`");
    expect(renderReport("issues", report, false)).toBe("### Orkestra — `issues`\n\n**Done**\n\n- #1: labelled `status:pending`");
  });

  it("clips one huge error, and the failure message stays short", () => {
    const report = emptyReport();
    report.errors.push("x".repeat(2 * MIB), ...Array.from({ length: 50 }, (_, i) => `error ${i}`));
    expect(Buffer.byteLength(renderReport("schedule", report, false), "utf8")).toBeLessThan(MIB);
    expect(failureMessage(report).length).toBeLessThan(5_000);
    expect(failureMessage(report)).toContain("51 errors");
  });
});

describe("annotations", () => {
  let sandbox: Sandbox | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    await sandbox?.close();
  });

  it("at most 9 error annotations (the failed step adds the 10th); every configuration error is in the summary", async () => {
    const keys = Array.from({ length: 30 }, (_, i) => `  unknownKey${i}: 1`).join("\n");
    sandbox = await startSandbox({
      owner: "octo-org",
      repo: "orkestra-demo",
      collaborators: { alice: "write" },
      clock: fixedClock("2026-11-21T09:00:00Z"),
      files: { ".github/orkestra.yml": `tasks:\n${keys}\n` },
    });
    const events: SandboxEvent[] = [];
    sandbox.onEvent((event) => {
      events.push(event);
    });
    sandbox.as("alice").openIssue({ title: "Task" });
    await sandbox.settled();
    const opened = events.find((event) => event.name === "issues");
    const dir = mkdtempSync(join(tmpdir(), "orkestra-summary-"));
    const eventPath = join(dir, "event.json");
    const summaryPath = join(dir, "summary.md");
    writeFileSync(eventPath, JSON.stringify(opened?.payload));
    writeFileSync(summaryPath, "");
    vi.stubEnv("GITHUB_STEP_SUMMARY", summaryPath);
    const written: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const report = await runAction({
      env: {
        GITHUB_EVENT_NAME: "issues",
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_REPOSITORY: "octo-org/orkestra-demo",
        GITHUB_API_URL: sandbox.url,
        GITHUB_TOKEN: sandbox.tokens.actions,
        GITHUB_STEP_SUMMARY: summaryPath,
      },
      log: silentLogger,
      throttle: false,
    });
    vi.restoreAllMocks();
    expect(report.configErrors).toHaveLength(30);
    const annotations = written.join("").split("\n").filter((line) => line.startsWith("::error"));
    expect(annotations).toHaveLength(9);
    expect(annotations.at(-1)).toContain("and 22 more configuration errors: all are listed in the job summary");
    const summary = readFileSync(summaryPath, "utf8");
    for (let i = 0; i < 30; i++) expect(summary).toContain(`\`tasks.unknownKey${i}\``);
  });
});

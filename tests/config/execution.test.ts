import { describe, expect, it } from "vitest";
import { safeOutputRules } from "../../src/config/execution.js";
import { defaultConfig } from "../../src/config/schema.js";
import { parseConfig } from "../../src/config/load.js";

function errorsOf(text: string) {
  const result = parseConfig(text);
  if (result.ok) throw new Error("expected errors");
  return result.errors;
}

describe("execution configuration", () => {
  it("has documented defaults, with execution off", () => {
    expect(defaultConfig().execution).toEqual({
      enabled: false,
      types: ["technical"],
      resultTypes: ["research", "content"],
      mode: "auto",
      limits: { maxTurns: 30, maxTokens: 400_000, maxCostUsd: 5, maxFilesChanged: 50, maxBytesChanged: 500_000, maxFileBytes: 200_000 },
      protectedPaths: [],
      allowBinary: false,
      maxRounds: 3,
      trustedAuthorsOnly: true,
      worker: { workflow: "orkestra-worker.yml", ref: null },
      mergeMethod: "squash",
    });
  });

  it("gives the safe-output check its rules, with the keys from the caller", () => {
    const result = parseConfig("execution:\n  protectedPaths: ['infra/**']\n  allowBinary: true\n  limits: { maxFilesChanged: 10 }\n");
    if (!result.ok) throw new Error("expected a valid file");
    expect(safeOutputRules(result.config.execution, ["agent-key-123456"])).toEqual({
      protectedPaths: ["infra/**"],
      allowBinary: true,
      maxFiles: 10,
      maxBytes: 500_000,
      maxFileBytes: 200_000,
      secrets: ["agent-key-123456"],
    });
  });

  it("reports an unknown mode at its line with the allowed values", () => {
    const [error] = errorsOf("execution:\n  mode: docker\n");
    expect(error).toMatchObject({ path: "execution.mode", line: 2 });
    expect(error?.message).toMatch(/"api"\|"cli"\|"auto"/);
  });

  it("suggests the key a misspelt one meant", () => {
    expect(errorsOf("execution:\n  limits:\n    maxTurn: 5\n")).toEqual([
      { path: "execution.limits.maxTurn", message: "unknown key `maxTurn` — did you mean `maxTurns`?", line: 3, column: 5 },
    ]);
  });

  it("refuses a type that would end both in a pull request and in a result comment", () => {
    const [error] = errorsOf("execution:\n  types: [technical, research]\n");
    expect(error).toMatchObject({ path: "execution.resultTypes.0" });
    expect(error?.message).toContain("`research` is also in execution.types");
  });

  it("refuses a type that is not a task type once execution is on", () => {
    const [error] = errorsOf("execution:\n  enabled: true\n  types: [technicl]\n");
    expect(error).toMatchObject({ path: "execution.types.0", line: 3 });
    expect(error?.message).toContain("`technicl` is not a task type");
  });

  it("leaves the default types alone while execution is off, whatever the task types", () => {
    expect(parseConfig("tasks:\n  types: [bug]\n  defaultType: bug\n").ok).toBe(true);
  });

  it("refuses a protected glob with a leading slash", () => {
    const [error] = errorsOf("execution:\n  protectedPaths: ['/secrets/**']\n");
    expect(error).toMatchObject({ path: "execution.protectedPaths.0", line: 2 });
    expect(error?.message).toContain("drop the leading `/`");
  });

  it("refuses a file limit above the change-set limit", () => {
    const [error] = errorsOf("execution:\n  limits:\n    maxBytesChanged: 1000\n    maxFileBytes: 2000\n");
    expect(error).toMatchObject({ path: "execution.limits.maxFileBytes", line: 4 });
  });

  it("refuses a worker workflow that is not a workflow file name", () => {
    const [error] = errorsOf("execution:\n  worker:\n    workflow: ../evil\n");
    expect(error).toMatchObject({ path: "execution.worker.workflow", line: 3 });
    expect(error?.message).toContain("a workflow file name");
  });

  it("refuses a limit of the wrong type", () => {
    const [error] = errorsOf("execution:\n  limits:\n    maxCostUsd: lots\n");
    expect(error).toMatchObject({ path: "execution.limits.maxCostUsd", line: 3 });
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { botComments, DOORS, labelsOf, startHarness, type Harness } from "../support/harness.js";

describe.each(DOORS)("configuration through the %s", (door) => {
  let h: Harness;
  afterEach(async () => h?.close());

  it.each([
    ["malformed YAML", "tasks: [all\n", "YAML syntax"],
    ["an unknown key", "tasks:\n  defualtType: research\n", "line 2 — `tasks.defualtType`: unknown key `defualtType` — did you mean `defaultType`?"],
    ["a wrong type", "tasks:\n  maxDependencies: many\n", "line 2 — `tasks.maxDependencies`:"],
  ])("%s gets one clear comment and nothing else changes", async (_what, yaml, message) => {
    h = await startHarness(door, { files: { ".github/orkestra.yml": yaml } });
    const issue = h.sandbox.as("alice").openIssue({ title: "Task" });
    h.sandbox.as("alice").editIssue(issue.number, { body: "more detail" });
    await h.settle();
    const comments = botComments(h.sandbox, issue.number);
    expect(comments).toHaveLength(1);
    expect(comments[0]).toContain("Orkestra could not use `.github/orkestra.yml`");
    expect(comments[0]).toContain(message);
    expect(labelsOf(h.sandbox, issue.number)).toEqual([]);
    if (door === "action") expect(h.reports.every((report) => report.configErrors.length > 0)).toBe(true);
  });

  it("once the file is fixed the next event works and the error comment says so", async () => {
    h = await startHarness(door, { files: { ".github/orkestra.yml": "tasks: [\n" } });
    const issue = h.sandbox.as("alice").openIssue({ title: "Task" });
    await h.settle();
    h.sandbox.setFile(".github/orkestra.yml", "tasks:\n  defaultPriority: high\n");
    h.sandbox.as("alice").editIssue(issue.number, { body: "retry" });
    await h.settle();
    expect(labelsOf(h.sandbox, issue.number)).toContain("priority:high");
    expect(botComments(h.sandbox, issue.number).some((body) => body.includes("reported here is fixed"))).toBe(true);
  });
});

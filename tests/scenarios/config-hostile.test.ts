import { afterEach, describe, expect, it } from "vitest";
import { aliasBomb } from "../support/config.js";
import { botComments, DOORS, labelsOf, startHarness, type Harness } from "../support/harness.js";

const CONFIG = ".github/orkestra.yml";

describe.each(DOORS)("hostile configuration through the %s", (door) => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("while the configuration is broken, a plain comment on an issue gets no error comment; a command does", async () => {
    h = await startHarness(door, { files: { [CONFIG]: "tasks:\n  from: all\n" } });
    const issue = h.sandbox.as("alice").openIssue({ title: "Task" });
    await h.settle();
    const before = botComments(h.sandbox, issue.number).length;
    h.sandbox.setFile(CONFIG, "tasks: [not, a, mapping]\n");
    h.sandbox.as("alice").comment(issue.number, "Looks good to me.");
    await h.settle();
    expect(botComments(h.sandbox, issue.number)).toHaveLength(before);
    h.sandbox.as("alice").comment(issue.number, "/status blocked");
    await h.settle();
    expect(botComments(h.sandbox, issue.number).at(-1)).toContain("Orkestra could not use `.github/orkestra.yml`");
  });

  it("an alias bomb gets the error comment instead of a dropped event", async () => {
    h = await startHarness(door, { files: { [CONFIG]: aliasBomb() } });
    const issue = h.sandbox.as("alice").openIssue({ title: "Task" });
    await h.settle();
    const comments = botComments(h.sandbox, issue.number);
    expect(comments).toHaveLength(1);
    expect(comments[0]).toContain("Orkestra could not use `.github/orkestra.yml`");
    expect(comments[0]).toMatch(/alias/i);
    expect(labelsOf(h.sandbox, issue.number)).toEqual([]);
    if (door === "action") expect(h.reports.at(-1)?.configErrors.length).toBe(1);
  });

  it("a 50,000-entry list gets one error comment GitHub accepts, counting what it does not list", async () => {
    const paths = Array.from({ length: 50_000 }, () => "1").join(",");
    h = await startHarness(door, { files: { [CONFIG]: `review:\n  exclude:\n    paths: [${paths}]\n` } });
    const issue = h.sandbox.as("alice").openIssue({ title: "Task" });
    await h.settle();
    const comments = botComments(h.sandbox, issue.number);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.length).toBeLessThanOrEqual(65_536);
    expect(comments[0]).toContain("line 3 — `review.exclude.paths.0`");
    expect(comments[0]).toMatch(/and [\d,]+ more problems not listed/);
  });

  it.each([
    ["a comment without commands", (h: Harness, n: number) => h.sandbox.as("alice").comment(n, "Any news on this?")],
    ["a label Orkestra does not manage", (h: Harness, n: number) => h.sandbox.as("alice").addLabels(n, ["question"])],
    ["a command", (h: Harness, n: number) => h.sandbox.as("alice").comment(n, "/priority critical")],
  ])("once the file is fixed, %s turns the waiting issue into a task", async (_what, act) => {
    h = await startHarness(door, { files: { [CONFIG]: "tasks: [\n" } });
    const issue = h.sandbox.as("alice").openIssue({ title: "Task" });
    await h.settle();
    expect(labelsOf(h.sandbox, issue.number)).toEqual([]);
    h.sandbox.setFile(CONFIG, "tasks:\n  defaultPriority: high\n");
    act(h, issue.number);
    await h.settle();
    const labels = labelsOf(h.sandbox, issue.number);
    expect(labels.some((label) => label.startsWith("status:"))).toBe(true);
    expect(labels.some((label) => label.startsWith("priority:"))).toBe(true);
    const comments = botComments(h.sandbox, issue.number);
    expect(comments.some((body) => body.includes("reported here is fixed"))).toBe(true);
    expect(comments.some((body) => body.startsWith("<!-- orkestra:task "))).toBe(true);
  });

  it("a comment on an issue that is not waiting changes nothing and gets no reaction", async () => {
    h = await startHarness(door, { files: { [CONFIG]: "tasks:\n  from: label\n" } });
    const issue = h.sandbox.as("alice").openIssue({ title: "Just a question" });
    h.sandbox.as("rita").comment(issue.number, "first");
    await h.settle();
    const second = h.sandbox.as("alice").comment(issue.number, "second");
    await h.settle();
    expect(labelsOf(h.sandbox, issue.number)).toEqual([]);
    expect(botComments(h.sandbox, issue.number)).toEqual([]);
    expect(h.sandbox.state.reactions(second.id)).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { failure, octokitFor, repoOf, sandboxFor } from "./helpers.js";

describe("repository labels", () => {
  it.each(["root", "enterprise"] as const)("keeps names unique ignoring case (%s layout)", async (layout) => {
    const { sandbox } = await sandboxFor({ collaborators: { maya: "write" } });
    const octokit = octokitFor(sandbox, sandbox.tokenFor("maya"), layout);
    const created = await octokit.rest.issues.createLabel({ ...repoOf(sandbox), name: "status:pending", color: "fbca04" });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({ name: "status:pending", color: "fbca04", default: false, description: null });
    expect(created.data.url).toBe(`${sandbox.url}/repos/octo-org/orkestra-demo/labels/status%3Apending`);

    const clash = await failure(octokit.rest.issues.createLabel({ ...repoOf(sandbox), name: "STATUS:Pending", color: "000000" }));
    expect(clash.status).toBe(422);
    expect(clash.body).toEqual({
      message: "Validation Failed",
      errors: [{ resource: "Label", code: "already_exists", field: "name" }],
      documentation_url: "https://docs.github.com/rest",
      status: "422",
    });

    const fetched = await octokit.rest.issues.getLabel({ ...repoOf(sandbox), name: "Status:PENDING" });
    expect(fetched.data.id).toBe(created.data.id);
  });

  it("rejects a colour with '#' and changes nothing", async () => {
    const { sandbox } = await sandboxFor({ collaborators: { maya: "write" } });
    const octokit = octokitFor(sandbox, sandbox.tokenFor("maya"));
    const bad = await failure(octokit.rest.issues.createLabel({ ...repoOf(sandbox), name: "bug", color: "#ff0000" }));
    expect(bad.status).toBe(422);
    expect(sandbox.state.labels()).toEqual([]);
  });

  /** Labels "bug" and "feature", and an issue labelled "bug", managed by maya (write). */
  async function bugAndFeature() {
    const { sandbox } = await sandboxFor({ collaborators: { maya: "write" } });
    const octokit = octokitFor(sandbox, sandbox.tokenFor("maya"));
    await octokit.rest.issues.createLabel({ ...repoOf(sandbox), name: "bug", color: "d73a4a" });
    await octokit.rest.issues.createLabel({ ...repoOf(sandbox), name: "feature", color: "a2eeef" });
    const issue = sandbox.as("maya").openIssue({ title: "t", labels: ["bug"] });
    const names = async () => (await octokit.paginate(octokit.rest.issues.listLabelsForRepo, repoOf(sandbox))).map((l) => l.name);
    return { sandbox, octokit, issue, names };
  }

  it("renames and recolours a label, also on its issues", async () => {
    const { sandbox, octokit, issue } = await bugAndFeature();
    const renamed = await octokit.rest.issues.updateLabel({ ...repoOf(sandbox), name: "bug", new_name: "type:bug", color: "ff0000" });
    expect(renamed.data).toMatchObject({ name: "type:bug", color: "ff0000" });
    expect(sandbox.state.issue(issue.number)?.labels).toMatchObject([{ name: "type:bug" }]);
  });

  it("refuses to rename a label onto another label's name", async () => {
    const { sandbox, octokit } = await bugAndFeature();
    const clash = await failure(octokit.rest.issues.updateLabel({ ...repoOf(sandbox), name: "bug", new_name: "FEATURE" }));
    expect(clash.status).toBe(422);
  });

  it("lets a label change the case of its own name", async () => {
    const { sandbox, octokit, names } = await bugAndFeature();
    await octokit.rest.issues.updateLabel({ ...repoOf(sandbox), name: "feature", new_name: "Feature" });
    expect(await names()).toContain("Feature");
  });

  it("deletes a label, whatever the case of the name given, also from its issues", async () => {
    const { sandbox, octokit, issue, names } = await bugAndFeature();
    expect((await octokit.rest.issues.deleteLabel({ ...repoOf(sandbox), name: "BUG" })).status).toBe(204);
    expect(sandbox.state.issue(issue.number)?.labels).toEqual([]);
    expect((await failure(octokit.rest.issues.getLabel({ ...repoOf(sandbox), name: "bug" }))).status).toBe(404);
    expect(await names()).toEqual(["feature"]);
  });

  it("needs write access to manage labels", async () => {
    const { sandbox } = await sandboxFor({ collaborators: { tri: "triage" } });
    const octokit = octokitFor(sandbox, sandbox.tokenFor("tri"));
    const denied = await failure(octokit.rest.issues.createLabel({ ...repoOf(sandbox), name: "x", color: "ffffff" }));
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ message: "Must have push access to repository.", status: "403" });
  });
});

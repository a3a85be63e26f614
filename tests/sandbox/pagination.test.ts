import { describe, expect, it } from "vitest";
import { octokitFor, repoOf, sandboxFor } from "./helpers.js";

describe("pagination", () => {
  it("lets octokit.paginate walk 250 issues in pages of 100 (3 requests) at / and /api/v3", async () => {
    const { sandbox } = await sandboxFor({ collaborators: { maya: "write" } });
    const maya = sandbox.as("maya");
    for (let i = 1; i <= 250; i += 1) maya.openIssue({ title: `task ${i}` });
    for (const layout of ["root", "enterprise"] as const) {
      sandbox.clearRequests();
      const octokit = octokitFor(sandbox, sandbox.tokens.installation, layout);
      const all = await octokit.paginate(octokit.rest.issues.listForRepo, { ...repoOf(sandbox), per_page: 100, direction: "asc" });
      expect(all.map((issue) => issue.number)).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
      expect(sandbox.requests.map((r) => r.path)).toEqual(
        [1, 2, 3].map((page) => `${layout === "root" ? "" : "/api/v3"}/repos/octo-org/orkestra-demo/issues?per_page=100&direction=asc${page > 1 ? `&page=${page}` : ""}`),
      );
    }
  });

  it("sends GitHub's Link header: next and last, then prev and first", async () => {
    const { sandbox } = await sandboxFor({ collaborators: { maya: "write" } });
    for (let i = 1; i <= 250; i += 1) sandbox.as("maya").openIssue({ title: `task ${i}` });
    const octokit = octokitFor(sandbox, sandbox.tokens.installation);
    const base = `${sandbox.url}/repos/octo-org/orkestra-demo/issues?per_page=100`;

    const first = await octokit.rest.issues.listForRepo({ ...repoOf(sandbox), per_page: 100 });
    expect(first.data).toHaveLength(100);
    expect(first.headers.link).toBe(`<${base}&page=2>; rel="next", <${base}&page=3>; rel="last"`);

    const middle = await octokit.rest.issues.listForRepo({ ...repoOf(sandbox), per_page: 100, page: 2 });
    expect(middle.headers.link).toBe(
      `<${base}&page=1>; rel="prev", <${base}&page=3>; rel="next", <${base}&page=3>; rel="last", <${base}&page=1>; rel="first"`,
    );
    const last = await octokit.rest.issues.listForRepo({ ...repoOf(sandbox), per_page: 100, page: 3 });
    expect(last.data).toHaveLength(50);
    expect(last.headers.link).toBe(`<${base}&page=2>; rel="prev", <${base}&page=1>; rel="first"`);
  });

  async function with120Issues() {
    const { sandbox } = await sandboxFor();
    for (let i = 1; i <= 120; i += 1) sandbox.as("ann").openIssue({ title: `t${i}` });
    return { sandbox, octokit: octokitFor(sandbox, sandbox.tokens.installation) };
  }

  it("defaults to 30 per page", async () => {
    const { sandbox, octokit } = await with120Issues();
    expect((await octokit.rest.issues.listForRepo(repoOf(sandbox))).data).toHaveLength(30);
  });

  it("caps per_page at 100", async () => {
    const { sandbox, octokit } = await with120Issues();
    expect((await octokit.rest.issues.listForRepo({ ...repoOf(sandbox), per_page: 500 })).data).toHaveLength(100);
  });

  it("sends no Link header when one page holds everything", async () => {
    const { sandbox } = await sandboxFor();
    const labels = await octokitFor(sandbox, sandbox.tokens.installation).rest.issues.listLabelsForRepo(repoOf(sandbox));
    expect(labels.headers.link).toBeUndefined();
  });
});

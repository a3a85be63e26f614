import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { insertStep, type Sandbox } from "../../tools/sandbox/index.js";
import { coreRoutes } from "../../tools/sandbox/routes/index.js";
import { failure, octokitFor, repoOf, sandboxFor } from "./helpers.js";

const subset = JSON.parse(readFileSync(new URL("../../tools/sandbox/openapi/github-subset.json", import.meta.url), "utf8")) as {
  info: Record<string, string>;
  paths: Record<string, Record<string, unknown>>;
};

/** Makes GET …/labels answer a body that breaks the `label` schema. */
function breakLabelsResponse(sandbox: Sandbox): void {
  insertStep(
    sandbox.internals.steps,
    {
      name: "broken-labels",
      run: (state) => (state.match?.template === "GET /repos/{owner}/{repo}/labels" ? { status: 200, body: [{ name: 5 }] } : undefined),
    },
    { before: "handle" },
  );
}

describe("OpenAPI validation", () => {
  it("commits the description of exactly the routes the sandbox serves, without documentation", () => {
    // POST /graphql is not a REST operation: it is served without a description.
    const served = coreRoutes.filter((route) => route.openapi !== false).map((route) => `${route.method} ${route.path}`).sort();
    const described = Object.entries(subset.paths)
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(described).toEqual(served);
    expect(subset.info["x-source"]).toBe("@octokit/openapi@23.0.1 generated/api.github.com.json");
    // Documentation is text (a property that happens to be called "description" is a schema object).
    const documentation: string[] = [];
    JSON.stringify(subset, (key, value: unknown) => {
      if (["description", "example", "summary"].includes(key) && typeof value === "string") documentation.push(key);
      return value;
    });
    expect(documentation).toEqual([]);
  });

  /** Sends four requests that do not fit the description; returns their failures and the violations recorded (then cleared). */
  async function sendMisfits() {
    const { sandbox } = await sandboxFor({ collaborators: { maya: "write" } });
    const octokit = octokitFor(sandbox, sandbox.tokenFor("maya"));
    const repo = repoOf(sandbox);
    const wrongType = await failure(octokit.request("POST /repos/{owner}/{repo}/issues", { ...repo, title: "t", labels: "bug" } as never));
    const badEnum = await failure(octokit.request("GET /repos/{owner}/{repo}/issues", { ...repo, state: "bogus" } as never));
    const badInteger = await failure(octokit.request("GET /repos/{owner}/{repo}/issues", { ...repo, per_page: "ten" } as never));
    const nested = await failure(
      octokit.request("POST /repos/{owner}/{repo}/check-runs", { ...repo, name: "x", head_sha: "abc", output: { title: 1 } } as never),
    );
    const violations = [...sandbox.violations];
    sandbox.clearViolations();
    return { sandbox, wrongType, badEnum, badInteger, nested, violations };
  }

  it("refuses requests that do not fit the description with GitHub's 422 and the reason", async () => {
    const { wrongType, badEnum, badInteger, nested } = await sendMisfits();
    expect(wrongType.body).toEqual({
      message: `Invalid request.\n\nFor 'properties/labels', "bug" is not an array.`,
      documentation_url: "https://docs.github.com/rest/issues/issues#create-an-issue",
      status: "422",
    });
    expect(badEnum).toMatchObject({ status: 422, body: { message: `Invalid request.\n\nFor 'state', "bogus" is not a member of ["open","closed","all"].` } });
    expect(badInteger.body).toMatchObject({ message: `Invalid request.\n\nFor 'per_page', "ten" is not an integer.` });
    expect(nested.body).toMatchObject({
      message: `Invalid request.\n\nFor 'properties/output', "summary" wasn't supplied.\nFor 'properties/output/properties/title', 1 is not a string.`,
    });
  });

  it("records every mismatch of a refused request as a violation", async () => {
    const { violations } = await sendMisfits();
    expect(violations).toEqual([
      { method: "POST", path: "/repos/octo-org/orkestra-demo/issues", kind: "request", message: `For 'properties/labels', "bug" is not an array.` },
      { method: "GET", path: "/repos/octo-org/orkestra-demo/issues?state=bogus", kind: "request", message: `For 'state', "bogus" is not a member of ["open","closed","all"].` },
      { method: "GET", path: "/repos/octo-org/orkestra-demo/issues?per_page=ten", kind: "request", message: `For 'per_page', "ten" is not an integer.` },
      { method: "POST", path: "/repos/octo-org/orkestra-demo/check-runs", kind: "request", message: `For 'properties/output', "summary" wasn't supplied.` },
      { method: "POST", path: "/repos/octo-org/orkestra-demo/check-runs", kind: "request", message: `For 'properties/output/properties/title', 1 is not a string.` },
    ]);
  });

  it("changes nothing on a refused request", async () => {
    const { sandbox } = await sendMisfits();
    expect(sandbox.state.issues()).toEqual([]);
    expect(sandbox.requests.map((r) => r.status)).toEqual([422, 422, 422, 422]);
  });

  it("checks every JSON response against the schema of its status and records mismatches", async () => {
    const { sandbox } = await sandboxFor();
    breakLabelsResponse(sandbox);
    const octokit = octokitFor(sandbox, sandbox.tokens.installation);
    await octokit.rest.issues.listLabelsForRepo(repoOf(sandbox));
    expect(sandbox.violations).toHaveLength(1);
    expect(sandbox.violations[0]).toMatchObject({ method: "GET", kind: "response" });
    expect(sandbox.violations[0]?.message).toMatch(/^GET \/repos\/\{owner\}\/\{repo\}\/labels → 200: /);
    expect(sandbox.violations[0]?.message).toContain("/0 must have required property 'id'");
    expect(sandbox.violations[0]?.message).toContain("/0/name must be string");
    sandbox.clearViolations();
    // The real responses fit: error bodies too (404 basic-error, 422 validation-error).
    await failure(octokit.rest.issues.get({ ...repoOf(sandbox), issue_number: 9 }));
    await failure(octokit.rest.issues.createLabel({ ...repoOf(sandbox), name: "x", color: "nothex" }));
    expect(sandbox.violations).toEqual([]);
  });

  async function withResponsesUnchecked() {
    const { sandbox } = await sandboxFor({ validateResponses: false });
    breakLabelsResponse(sandbox);
    return { sandbox, octokit: octokitFor(sandbox, sandbox.tokens.installation) };
  }

  it("can leave responses unchecked (validateResponses: false)", async () => {
    const { sandbox, octokit } = await withResponsesUnchecked();
    await octokit.rest.issues.listLabelsForRepo(repoOf(sandbox));
    expect(sandbox.violations).toEqual([]);
  });

  it("checks requests even when responses are left unchecked", async () => {
    const { sandbox, octokit } = await withResponsesUnchecked();
    await failure(octokit.request("GET /repos/{owner}/{repo}/labels", { ...repoOf(sandbox), page: "first" } as never));
    expect(sandbox.violations.map((v) => v.kind)).toEqual(["request"]);
    sandbox.clearViolations();
  });
});

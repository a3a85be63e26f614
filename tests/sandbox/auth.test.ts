import { generateKeyPairSync } from "node:crypto";
import { ProbotOctokit } from "probot";
import { describe, expect, it } from "vitest";
import { failure, octokitFor, repoOf, sandboxFor } from "./helpers.js";

const badCredentials = { message: "Bad credentials", documentation_url: "https://docs.github.com/rest", status: "401" };

describe("authentication and permissions", () => {
  it("answers 401 Bad credentials without a token or with an unknown one", async () => {
    const { sandbox } = await sandboxFor();
    const none = await fetch(`${sandbox.url}/repos/octo-org/orkestra-demo`);
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual(badCredentials);
    expect(none.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const unknown = await failure(octokitFor(sandbox, "ghp_nope").rest.repos.get(repoOf(sandbox)));
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(badCredentials);
  });

  it("accepts `token` and `Bearer`, and answers 404 for unknown routes and other repositories", async () => {
    const { sandbox } = await sandboxFor();
    const token = sandbox.tokenFor("ann");
    for (const scheme of ["token", "Bearer"]) {
      const response = await fetch(`${sandbox.url}/api/v3/repos/octo-org/orkestra-demo`, { headers: { authorization: `${scheme} ${token}` } });
      expect(response.status).toBe(200);
      expect(response.headers.get("x-github-request-id")).toMatch(/\S/);
      expect(response.headers.get("x-ratelimit-limit")).toBe("5000");
      expect(response.headers.get("x-ratelimit-resource")).toBe("core");
    }
    const octokit = octokitFor(sandbox, token);
    expect((await failure(octokit.request("GET /repos/{owner}/{repo}/teleport", repoOf(sandbox)))).body).toEqual({
      message: "Not Found",
      documentation_url: "https://docs.github.com/rest",
      status: "404",
    });
    expect(sandbox.violations).toEqual([
      {
        method: "GET",
        path: "/repos/octo-org/orkestra-demo/teleport",
        kind: "request",
        message: "no route serves GET /repos/octo-org/orkestra-demo/teleport (GitHub has no such endpoint or the sandbox does not serve it)",
      },
    ]);
    sandbox.clearViolations();
    expect((await failure(octokit.rest.repos.get({ owner: "octo-org", repo: "elsewhere" }))).status).toBe(404);
    expect((await octokit.rest.repos.get({ owner: "OCTO-ORG", repo: "Orkestra-Demo" })).data.full_name).toBe("octo-org/orkestra-demo");
  });

  it("reports collaborator permission levels as GitHub does", async () => {
    const { sandbox } = await sandboxFor({
      collaborators: { ada: "admin", max: "maintain", wes: "write", tia: "triage", rae: "read" },
    });
    const octokit = octokitFor(sandbox, sandbox.tokens.installation);
    const level = async (username: string) => {
      const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...repoOf(sandbox), username });
      return `${data.permission}/${data.role_name}`;
    };
    expect(await level("ada")).toBe("admin/admin");
    expect(await level("max")).toBe("write/maintain");
    expect(await level("wes")).toBe("write/write");
    expect(await level("tia")).toBe("read/triage");
    expect(await level("rae")).toBe("read/read");
    expect(await level("stranger")).toBe("read/read");
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...repoOf(sandbox), username: "wes" });
    expect(data.user).toMatchObject({ login: "wes", permissions: { admin: false, maintain: false, push: true, triage: true, pull: true } });

    const collaborators = await octokit.paginate(octokit.rest.repos.listCollaborators, repoOf(sandbox));
    expect(collaborators.map((c) => `${c.login}:${c.role_name}`)).toEqual(["ada:admin", "max:maintain", "wes:write", "tia:triage", "rae:read"]);
    // Reading others' permissions needs push access.
    expect((await failure(octokitFor(sandbox, sandbox.tokenFor("rae")).rest.repos.listCollaborators(repoOf(sandbox)))).status).toBe(403);
  });

  it("hides a private repository from people without a role", async () => {
    const { sandbox } = await sandboxFor({ private: true, collaborators: { wes: "write" } });
    expect((await failure(octokitFor(sandbox, sandbox.tokenFor("olaf")).rest.issues.listForRepo(repoOf(sandbox)))).status).toBe(404);
    const app = octokitFor(sandbox, sandbox.tokens.installation);
    const { data } = await app.rest.repos.getCollaboratorPermissionLevel({ ...repoOf(sandbox), username: "olaf" });
    expect(`${data.permission}/${data.role_name}`).toBe("none/none");
    expect((await octokitFor(sandbox, sandbox.tokenFor("wes")).rest.repos.get(repoOf(sandbox))).data).toMatchObject({
      private: true,
      visibility: "private",
      permissions: { push: true, admin: false },
    });
  });

  it("refuses writes an Actions token has no permission for", async () => {
    const { sandbox } = await sandboxFor({ actionsPermissions: { issues: "read", contents: "read" } });
    const octokit = octokitFor(sandbox, sandbox.tokens.actions);
    expect((await octokit.rest.issues.listForRepo(repoOf(sandbox))).status).toBe(200);
    const denied = await failure(octokit.rest.issues.create({ ...repoOf(sandbox), title: "x" }));
    expect(denied.status).toBe(403);
    expect(denied.body).toEqual({ message: "Resource not accessible by integration", documentation_url: "https://docs.github.com/rest", status: "403" });
  });

  it("serves the app routes to a JWT and issues installation tokens that act as the app's bot", async () => {
    const { sandbox } = await sandboxFor();
    const jwt = octokitFor(sandbox, sandbox.appJwt());
    expect((await jwt.rest.apps.getAuthenticated()).data).toMatchObject({ id: sandbox.app.id, slug: "orkestra" });
    expect((await jwt.rest.apps.listInstallations()).data.map((i) => i.id)).toEqual([sandbox.app.installationId]);
    expect((await jwt.rest.apps.getRepoInstallation(repoOf(sandbox))).data.account).toMatchObject({ login: "octo-org" });
    const { data: token, status } = await jwt.rest.apps.createInstallationAccessToken({ installation_id: sandbox.app.installationId });
    expect(status).toBe(201);
    expect(token.expires_at).toBe("2030-01-01T01:00:00Z");

    const { data: issue } = await octokitFor(sandbox, token.token).rest.issues.create({ ...repoOf(sandbox), title: "by the app" });
    expect(issue.user).toMatchObject({ login: "orkestra[bot]", type: "Bot" });
    expect(issue.performed_via_github_app).toMatchObject({ slug: "orkestra" });

    expect((await failure(jwt.rest.apps.createInstallationAccessToken({ installation_id: 1 }))).status).toBe(404);
    expect((await failure(jwt.rest.issues.listForRepo(repoOf(sandbox)))).status).toBe(401);
    const notJwt = await failure(octokitFor(sandbox, token.token).rest.apps.getAuthenticated());
    expect(notJwt.status).toBe(401);
    expect(notJwt.body).toMatchObject({ message: "A JSON web token could not be decoded" });
  });

  it("works with Probot's own Octokit: app auth, installation token, config file at /api/v3", async () => {
    const { sandbox } = await sandboxFor({ files: { ".github/orkestra.yml": "agents:\n  - name: scripted\n" } });
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
    const octokit = new ProbotOctokit({
      auth: { appId: sandbox.app.id, privateKey, installationId: sandbox.app.installationId },
      baseUrl: `${sandbox.url}/api/v3`,
      retry: { enabled: false },
      throttle: { enabled: false },
    });
    const { data } = await octokit.rest.issues.create({ ...repoOf(sandbox), title: "from probot" });
    expect(data.user?.login).toBe("orkestra[bot]");
    const { config } = await octokit.config.get({ ...repoOf(sandbox), path: ".github/orkestra.yml" });
    expect(config).toEqual({ agents: [{ name: "scripted" }] });
    expect(sandbox.requests.map((r) => r.route)).toEqual([
      "POST /app/installations/{installation_id}/access_tokens",
      "POST /repos/{owner}/{repo}/issues",
      "GET /repos/{owner}/{repo}/contents/{path}",
    ]);
  });

  it("rate limits per actor: 403 with x-ratelimit-remaining 0, GET /rate_limit free, reset after an hour", async () => {
    const { sandbox, clock } = await sandboxFor({ rateLimit: 3 });
    const octokit = octokitFor(sandbox, sandbox.tokens.installation);
    for (let i = 0; i < 3; i += 1) await octokit.rest.issues.listForRepo(repoOf(sandbox));
    const limited = await failure(octokit.rest.issues.listForRepo(repoOf(sandbox)));
    expect(limited.status).toBe(403);
    expect(limited.headers["x-ratelimit-remaining"]).toBe("0");
    expect(limited.body).toMatchObject({ message: `API rate limit exceeded for installation ID ${sandbox.app.installationId}.` });
    const { data } = await octokit.rest.rateLimit.get();
    expect(data.rate).toMatchObject({ limit: 3, remaining: 0, used: 3, reset: Date.parse("2030-01-01T01:00:00Z") / 1000 });
    // Another actor has its own budget.
    expect((await octokitFor(sandbox, sandbox.tokenFor("ann")).rest.issues.listForRepo(repoOf(sandbox))).headers["x-ratelimit-remaining"]).toBe("2");
    clock.advance(60 * 60 * 1000);
    expect((await octokit.rest.issues.listForRepo(repoOf(sandbox))).headers["x-ratelimit-used"]).toBe("1");
  });
});

import { forbidden, json, notFound } from "../http.js";
import { isoSeconds } from "../ids.js";
import { NEEDS, repoPermissionsFor } from "../permissions.js";
import type { Route } from "../router.js";
import { fullRepositoryShape, repositoryShape } from "../shapes/repo.js";
import { appShape, installationShape, publicUserShape } from "../shapes/users.js";

const TOKEN_LIFETIME_MS = 60 * 60 * 1000;

/** Rate limit, the repository, and the GitHub App endpoints Probot and @octokit/auth-app call. */
export const metaRoutes: Route[] = [
  {
    method: "GET",
    path: "/rate_limit",
    counted: false,
    handler: ({ rateLimiter, actor }) => {
      const { resource: _resource, ...core } = rateLimiter.peek(actor);
      const other = { limit: 5000, remaining: 5000, used: 0, reset: core.reset };
      return json(200, { resources: { core, search: { ...other, limit: 30, remaining: 30 }, graphql: other }, rate: core });
    },
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}",
    need: NEEDS.readRepo,
    handler: ({ shapes, store, actor }) => json(200, fullRepositoryShape(shapes, repoPermissionsFor(store, actor))),
  },
  {
    method: "GET",
    path: "/user",
    // GitHub answers installation tokens — the job's GITHUB_TOKEN and an App's alike — with 403.
    handler: ({ shapes, actor }) =>
      actor.kind === "person" ? json(200, publicUserShape(shapes, actor.login)) : forbidden("Resource not accessible by integration").toResponse(),
  },
  {
    method: "GET",
    path: "/app",
    auth: "jwt",
    handler: ({ shapes, store }) => json(200, appShape(shapes, store.app)),
  },
  {
    method: "GET",
    path: "/app/installations",
    auth: "jwt",
    handler: ({ shapes, store }) => json(200, [installationShape(shapes, store.app)]),
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/installation",
    auth: "jwt",
    handler: ({ shapes, store }) => json(200, installationShape(shapes, store.app)),
  },
  {
    // The repositories an installation token (the app's, or GITHUB_TOKEN's) can reach: this one.
    method: "GET",
    path: "/installation/repositories",
    handler: ({ shapes, actor }) => {
      if (actor.kind !== "installation" && actor.kind !== "actions") {
        return forbidden("You must authenticate with an installation access token to access this endpoint.").toResponse();
      }
      return json(200, { total_count: 1, repository_selection: "selected", repositories: [repositoryShape(shapes)] });
    },
  },
  {
    method: "POST",
    path: "/app/installations/{installation_id}/access_tokens",
    auth: "jwt",
    handler: ({ params, store, tokens }) => {
      if (Number(params.installation_id) !== store.app.installationId) return notFound().toResponse();
      return json(201, {
        token: tokens.issueInstallationToken(),
        expires_at: isoSeconds(new Date(store.clock.now().getTime() + TOKEN_LIFETIME_MS)),
        permissions: { ...store.app.permissions },
        repository_selection: "selected",
      });
    },
  },
];

import type { AppRecord, UserRecord } from "../store.js";
import type { ShapeContext } from "./context.js";

/** `simple-user`, as in every `user`, `sender` and `actor` field. */
export function userShape(ctx: ShapeContext, login: string): Record<string, unknown> {
  return userRecordShape(ctx, ctx.store.user(login));
}

function userRecordShape(ctx: ShapeContext, user: UserRecord): Record<string, unknown> {
  const url = `${ctx.api}/users/${encodeURIComponent(user.login)}`;
  return {
    login: user.login,
    id: user.id,
    node_id: user.nodeId,
    avatar_url: `${ctx.html}/avatars/u/${user.id}?v=4`,
    gravatar_id: "",
    url,
    html_url: user.appSlug ? `${ctx.html}/apps/${user.appSlug}` : `${ctx.html}/${encodeURIComponent(user.login)}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: user.type,
    user_view_type: "public",
    site_admin: false,
  };
}

/** `public-user`: what `GET /user` answers a person's token (profile fields left empty). */
export function publicUserShape(ctx: ShapeContext, login: string): Record<string, unknown> {
  const profile = { name: null, company: null, blog: "", location: null, email: null, hireable: null, bio: null };
  const counts = { public_repos: 0, public_gists: 0, followers: 0, following: 0 };
  const epoch = "2020-01-01T00:00:00Z";
  return { ...userShape(ctx, login), ...profile, ...counts, created_at: epoch, updated_at: epoch };
}

const APP_EVENTS = ["issues", "issue_comment", "label", "pull_request", "pull_request_review", "check_run", "push"];

/** `integration`: GET /app and `performed_via_github_app`. */
export function appShape(ctx: ShapeContext, app: AppRecord): Record<string, unknown> {
  return {
    id: app.id,
    slug: app.slug,
    node_id: app.nodeId,
    client_id: `Iv1.${app.id.toString(16).padStart(16, "0")}`,
    owner: userShape(ctx, ctx.store.repo.owner),
    name: app.name,
    description: null,
    external_url: `${ctx.html}/apps/${app.slug}`,
    html_url: `${ctx.html}/apps/${app.slug}`,
    created_at: app.createdAt,
    updated_at: app.createdAt,
    permissions: { ...app.permissions },
    events: APP_EVENTS,
  };
}

/** `installation`: GET /app/installations and GET /repos/{owner}/{repo}/installation. */
export function installationShape(ctx: ShapeContext, app: AppRecord): Record<string, unknown> {
  const owner = ctx.store.user(ctx.store.repo.owner);
  return {
    id: app.installationId,
    client_id: `Iv1.${app.id.toString(16).padStart(16, "0")}`,
    account: userRecordShape(ctx, owner),
    repository_selection: "selected",
    access_tokens_url: `${ctx.api}/app/installations/${app.installationId}/access_tokens`,
    repositories_url: `${ctx.api}/installation/repositories`,
    html_url: `${ctx.html}/organizations/${owner.login}/settings/installations/${app.installationId}`,
    app_id: app.id,
    app_slug: app.slug,
    target_id: owner.id,
    target_type: owner.type,
    permissions: { ...app.permissions },
    events: APP_EVENTS,
    created_at: app.createdAt,
    updated_at: app.createdAt,
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_by: null,
    suspended_at: null,
  };
}

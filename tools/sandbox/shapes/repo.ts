import type { RepoRecord } from "../store.js";
import type { ShapeContext } from "./context.js";
import { userShape } from "./users.js";

/**
 * The repository as webhooks carry it (`repository-webhooks`); REST adds a few fields on top.
 * `repo` is the sandbox's repository, or a fork a pull request came from.
 */
export function repositoryShape(ctx: ShapeContext, repo: RepoRecord = ctx.store.repo): Record<string, unknown> {
  const isFork = repo !== ctx.store.repo;
  const api = `${ctx.api}/repos/${repo.owner}/${repo.name}`;
  const html = `${ctx.html}/${repo.owner}/${repo.name}`;
  const host = new URL(ctx.html).host;
  const openIssues = isFork ? 0 : ctx.store.liveIssues().filter((issue) => issue.state === "open").length;
  const pushedAt = latestCommitDate(ctx) ?? repo.createdAt;
  return {
    id: repo.id,
    node_id: repo.nodeId,
    name: repo.name,
    full_name: `${repo.owner}/${repo.name}`,
    private: repo.private,
    owner: userShape(ctx, repo.owner),
    html_url: html,
    description: null,
    fork: isFork,
    url: api,
    forks_url: `${api}/forks`,
    keys_url: `${api}/keys{/key_id}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    teams_url: `${api}/teams`,
    hooks_url: `${api}/hooks`,
    issue_events_url: `${api}/issues/events{/number}`,
    events_url: `${api}/events`,
    assignees_url: `${api}/assignees{/user}`,
    branches_url: `${api}/branches{/branch}`,
    tags_url: `${api}/tags`,
    blobs_url: `${api}/git/blobs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    trees_url: `${api}/git/trees{/sha}`,
    statuses_url: `${api}/statuses/{sha}`,
    languages_url: `${api}/languages`,
    stargazers_url: `${api}/stargazers`,
    contributors_url: `${api}/contributors`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    commits_url: `${api}/commits{/sha}`,
    git_commits_url: `${api}/git/commits{/sha}`,
    comments_url: `${api}/comments{/number}`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    contents_url: `${api}/contents/{+path}`,
    compare_url: `${api}/compare/{base}...{head}`,
    merges_url: `${api}/merges`,
    archive_url: `${api}/{archive_format}{/ref}`,
    downloads_url: `${api}/downloads`,
    issues_url: `${api}/issues{/number}`,
    pulls_url: `${api}/pulls{/number}`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    labels_url: `${api}/labels{/name}`,
    releases_url: `${api}/releases{/id}`,
    deployments_url: `${api}/deployments`,
    created_at: repo.createdAt,
    updated_at: repo.createdAt,
    pushed_at: pushedAt,
    git_url: `git://${host}/${repo.owner}/${repo.name}.git`,
    ssh_url: `git@${host}:${repo.owner}/${repo.name}.git`,
    clone_url: `${html}.git`,
    svn_url: html,
    homepage: null,
    size: 0,
    stargazers_count: 0,
    watchers_count: 0,
    language: null,
    has_issues: true,
    has_projects: true,
    has_downloads: true,
    has_wiki: true,
    has_pages: false,
    has_discussions: false,
    forks_count: 0,
    mirror_url: null,
    archived: false,
    disabled: false,
    open_issues_count: openIssues,
    license: null,
    allow_forking: true,
    is_template: false,
    web_commit_signoff_required: false,
    topics: [],
    visibility: repo.private ? "private" : "public",
    forks: 0,
    open_issues: openIssues,
    watchers: 0,
    default_branch: repo.defaultBranch,
    custom_properties: {},
  };
}

/** `full-repository` for GET /repos/{owner}/{repo}, with the caller's permissions. */
export function fullRepositoryShape(
  ctx: ShapeContext,
  permissions: { admin: boolean; maintain: boolean; push: boolean; triage: boolean; pull: boolean },
): Record<string, unknown> {
  return {
    ...repositoryShape(ctx),
    permissions,
    allow_rebase_merge: true,
    allow_squash_merge: true,
    allow_merge_commit: true,
    allow_auto_merge: ctx.store.allowAutoMerge,
    delete_branch_on_merge: false,
    allow_update_branch: false,
    use_squash_pr_title_as_default: false,
    network_count: 0,
    subscribers_count: 0,
  };
}

function latestCommitDate(ctx: ShapeContext): string | undefined {
  let latest: string | undefined;
  for (const commit of ctx.store.git.commits.values()) if (!latest || commit.date > latest) latest = commit.date;
  return latest;
}

import { ApiError, type ApiResponse } from "../http.js";
import { NEEDS } from "../permissions.js";
import type { Route, RouteContext } from "../router.js";
import { pullCommitShape } from "../shapes/pulls.js";
import { normaliseSince } from "./issues.js";

const DOCS = "https://docs.github.com/rest/commits/commits#list-commits";

/**
 * GET /repos/{owner}/{repo}/commits: the history of `sha` (a commit, a branch, or a full ref name;
 * the default branch without it), newest first — by committer date, a commit always before its
 * parents — filtered by `since` / `until` on the committer date, as GitHub lists it.
 */
function listCommits(ctx: RouteContext): ApiResponse {
  const git = ctx.store.git;
  const from = ctx.query.get("sha") ?? ctx.store.repo.defaultBranch;
  const tip = git.commits.has(from) ? from : (git.refs.get(from.startsWith("refs/") ? from : `refs/heads/${from}`) ?? git.refs.get(`refs/tags/${from}`));
  if (tip === undefined) return new ApiError(404, "No commit found for SHA: " + from, undefined, DOCS).toResponse();
  const since = ctx.query.get("since");
  const until = ctx.query.get("until");
  const history = [...walk(git.commits, tip)]
    .filter((commit) => !since || commit.date >= normaliseSince(since))
    .filter((commit) => !until || commit.date <= normaliseSince(until));
  return ctx.page(history, (commit) => pullCommitShape(ctx.shapes, commit));
}

type Commits = RouteContext["store"]["git"]["commits"];

/** Every commit reachable from `tip`, each after all its children, newest committer date first among the ready ones. */
function* walk(commits: Commits, tip: string): Generator<NonNullable<ReturnType<Commits["get"]>>> {
  const children = new Map<string, number>();
  const seen = new Set<string>();
  for (const stack = [tip]; stack.length > 0; ) {
    const sha = stack.pop()!;
    if (seen.has(sha)) continue;
    seen.add(sha);
    for (const parent of commits.get(sha)?.parents ?? []) {
      children.set(parent, (children.get(parent) ?? 0) + 1);
      stack.push(parent);
    }
  }
  const ready = [tip];
  while (ready.length > 0) {
    ready.sort((a, b) => (commits.get(a)!.date < commits.get(b)!.date ? -1 : 1));
    const sha = ready.pop()!;
    const commit = commits.get(sha);
    if (!commit) continue;
    yield commit;
    for (const parent of commit.parents) {
      const left = (children.get(parent) ?? 1) - 1;
      children.set(parent, left);
      if (left === 0) ready.push(parent);
    }
  }
}

export const commitRoutes: Route[] = [{ method: "GET", path: "/repos/{owner}/{repo}/commits", need: NEEDS.readContents, handler: listCommits }];

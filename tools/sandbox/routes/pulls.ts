import { ApiError, isApiError, json, type ApiResponse } from "../http.js";
import { createPull, findPull, updatePull, type Pull } from "../ops/pulls.js";
import { NEEDS } from "../permissions.js";
import type { PullRecord } from "../pull-records.js";
import { MAX_DIFF_FILES, MAX_LISTED_FILES, pullFileChanges, unifiedDiff } from "../pull-files.js";
import type { Route, RouteContext } from "../router.js";
import { diffEntryShape, pullCommitShape, pullShape, pullSimpleShape } from "../shapes/pulls.js";
import { intParam, objectBody, respond } from "./respond.js";

/** GitHub lists at most 250 commits of a pull request. */
const MAX_LISTED_COMMITS = 250;
const GET_PULL_DOCS = "https://docs.github.com/rest/pulls/pulls#get-a-pull-request";

/** Runs `run` with the pull request of the {pull_number} parameter, or answers its 404/410. */
export function withPull(ctx: RouteContext, run: (target: Pull) => ApiResponse): ApiResponse {
  const target = findPull(ctx.op, intParam(ctx.params, "pull_number"));
  return isApiError(target) ? target.toResponse() : run(target);
}

function livePulls(ctx: RouteContext): Pull[] {
  return [...ctx.store.pulls.values()].flatMap((pull) => {
    const issue = ctx.store.issues.get(pull.number);
    return issue && !issue.deleted ? [{ issue, pull }] : [];
  });
}

/** GET …/pulls: state, head ("owner:branch"), base, sort and direction as GitHub documents them. */
function listPulls(ctx: RouteContext): ApiResponse {
  const q = ctx.query;
  const state = q.get("state") ?? "open";
  const head = q.get("head");
  const base = q.get("base");
  const sort = q.get("sort") ?? "created";
  const direction = q.get("direction") ?? (sort === "created" ? "desc" : "asc");
  const owner = ctx.store.repo.owner;
  const label = (pull: PullRecord) => `${pull.forkOwner ?? owner}:${pull.head}`.toLowerCase();
  const key = ({ issue }: Pull): string | number =>
    sort === "updated" ? issue.updatedAt : sort === "popularity" ? ctx.store.commentsOf(issue.number).length : issue.createdAt;
  const sign = direction === "asc" ? 1 : -1;
  const pulls = livePulls(ctx)
    .filter(({ issue }) => state === "all" || issue.state === state)
    .filter(({ pull }) => !head || label(pull) === (head.includes(":") ? head : `${owner}:${head}`).toLowerCase())
    .filter(({ pull }) => !base || pull.base === base)
    .sort((a, b) => sign * (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.issue.number - b.issue.number));
  return ctx.page(pulls, ({ issue, pull }) => pullSimpleShape(ctx.shapes, issue, pull));
}

function mediaFormat(accept: string | undefined): "json" | "diff" | "unsupported" {
  if (/application\/vnd\.github(\.v3)?\.diff/.test(accept ?? "")) return "diff";
  if (/application\/vnd\.github(\.v3)?\.patch/.test(accept ?? "")) return "unsupported";
  return "json";
}

/** GET …/pulls/{pull_number}: JSON, or with `Accept: application/vnd.github.diff` the unified diff. */
function getPull(ctx: RouteContext): ApiResponse {
  return withPull(ctx, ({ issue, pull }) => {
    const format = mediaFormat(ctx.headers.accept);
    if (format === "json") return json(200, pullShape(ctx.shapes, issue, pull));
    if (format === "unsupported") {
      return new ApiError(415, `Unsupported 'Accept' header: '${ctx.headers.accept}'. The sandbox serves application/json and application/vnd.github.diff.`).toResponse();
    }
    const changes = pullFileChanges(ctx.store.git, pull);
    if (changes.length > MAX_DIFF_FILES) return tooLarge();
    return { status: 200, raw: { contentType: "application/vnd.github.diff; charset=utf-8", text: unifiedDiff(changes) } };
  });
}

function tooLarge(): ApiResponse {
  const message = `Sorry, the diff exceeded the maximum number of files (${MAX_DIFF_FILES}). Consider using 'List pull requests files' API or locally cloning the repository instead.`;
  return new ApiError(406, message, [{ resource: "PullRequest", field: "diff", code: "too_large" }], GET_PULL_DOCS).toResponse();
}

const shapeFull = (ctx: RouteContext) => (target: Pull) => pullShape(ctx.shapes, target.issue, target.pull);

export const pullRoutes: Route[] = [
  { method: "GET", path: "/repos/{owner}/{repo}/pulls", need: NEEDS.readPulls, handler: listPulls },
  {
    method: "POST",
    path: "/repos/{owner}/{repo}/pulls",
    need: NEEDS.participatePulls,
    handler: (ctx) => respond(createPull(ctx.op, objectBody(ctx.body)), 201, shapeFull(ctx)),
  },
  { method: "GET", path: "/repos/{owner}/{repo}/pulls/{pull_number}", need: NEEDS.readPulls, handler: getPull },
  {
    method: "PATCH",
    path: "/repos/{owner}/{repo}/pulls/{pull_number}",
    need: NEEDS.participatePulls,
    handler: (ctx) => withPull(ctx, (target) => respond(updatePull(ctx.op, target, objectBody(ctx.body)), 200, shapeFull(ctx))),
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/pulls/{pull_number}/files",
    need: NEEDS.readPulls,
    handler: (ctx) =>
      withPull(ctx, ({ pull }) =>
        ctx.page(pullFileChanges(ctx.store.git, pull).slice(0, MAX_LISTED_FILES), (change) => diffEntryShape(ctx.shapes, pull, change)),
      ),
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/pulls/{pull_number}/commits",
    need: NEEDS.readPulls,
    handler: (ctx) =>
      withPull(ctx, ({ pull }) =>
        ctx.page(
          pull.commits.slice(0, MAX_LISTED_COMMITS).flatMap((sha) => ctx.store.git.commits.get(sha) ?? []),
          (commit) => pullCommitShape(ctx.shapes, commit),
        ),
      ),
  },
];


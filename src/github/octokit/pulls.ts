import type { PullRequestFileEntry } from "../../domain/review/diff.js";
import { call, orNull, unless, wrapIterable } from "../errors.js";
import type { BranchPull, MergeMethod, NewPull, PullData, PullDetails, PullUpdate, ReviewCommentInput, ReviewData } from "../port.js";
import type { Connection } from "./client.js";
import { toPullData, toPullDetails, toReview } from "./convert.js";

export async function recentOpenPulls({ octokit, repo }: Connection): Promise<PullData[]> {
  const { data } = await call(octokit.rest.pulls.list({ ...repo, state: "open", sort: "updated", direction: "desc", per_page: 100 }));
  return data.map(toPullData);
}

export async function pullsFromBranch({ octokit, repo }: Connection, branch: string): Promise<BranchPull[]> {
  const { data } = await call(octokit.rest.pulls.list({ ...repo, head: `${repo.owner}:${branch}`, state: "all", sort: "created", direction: "desc", per_page: 100 }));
  return data.map((pull) => ({ number: pull.number, state: pull.state === "closed" ? "closed" : "open", merged: pull.merged_at !== null }));
}

export async function getPull({ octokit, repo }: Connection, number: number): Promise<PullDetails | null> {
  const data = await orNull(octokit.rest.pulls.get({ ...repo, pull_number: number }));
  return data ? toPullDetails(data) : null;
}

export async function listPullFiles(
  { octokit, repo }: Connection,
  number: number,
  options: { maxFiles?: number } = {},
): Promise<PullRequestFileEntry[]> {
  const max = options.maxFiles ?? Infinity;
  const files: PullRequestFileEntry[] = [];
  const pages = octokit.paginate.iterator(octokit.rest.pulls.listFiles, { ...repo, pull_number: number, per_page: 100 });
  for await (const page of wrapIterable(pages)) {
    for (const file of page.data) {
      files.push({
        filename: file.filename,
        status: file.status,
        additions: file.additions,
        deletions: file.deletions,
        changes: file.changes,
        patch: file.patch ?? null,
        previous_filename: file.previous_filename ?? null,
      });
    }
    if (files.length >= max) return files.slice(0, max);
  }
  return files;
}

export async function pullDiff({ octokit, repo }: Connection, number: number): Promise<string | null> {
  // 406: "the diff exceeded the maximum number of files (300)" or too large.
  const response = await unless(octokit.rest.pulls.get({ ...repo, pull_number: number, mediaType: { format: "diff" } }), [406]);
  // With the diff media type GitHub answers text; Octokit's types still describe the JSON.
  return response ? (response.data as unknown as string) : null;
}

export async function listReviews({ octokit, repo, self }: Connection, number: number): Promise<ReviewData[]> {
  const reviews = await call(octokit.paginate(octokit.rest.pulls.listReviews, { ...repo, pull_number: number, per_page: 100 }));
  const login = await self();
  return reviews.map((review) => toReview(review, login));
}

export async function createReview(
  { octokit, repo, self }: Connection,
  number: number,
  review: { commitId: string; event: "APPROVE" | "REQUEST_CHANGES" | "COMMENT"; body: string; comments: ReviewCommentInput[] },
): Promise<ReviewData> {
  const { data } = await call(
    octokit.rest.pulls.createReview({
      ...repo,
      pull_number: number,
      commit_id: review.commitId,
      event: review.event,
      body: review.body,
      ...(review.comments.length > 0 ? { comments: review.comments } : {}),
    }),
  );
  return toReview(data, await self());
}

export async function updateReviewBody({ octokit, repo }: Connection, number: number, reviewId: number, body: string): Promise<void> {
  await call(octokit.rest.pulls.updateReview({ ...repo, pull_number: number, review_id: reviewId, body }));
}

export async function dismissReview({ octokit, repo }: Connection, number: number, reviewId: number, message: string): Promise<void> {
  await call(octokit.rest.pulls.dismissReview({ ...repo, pull_number: number, review_id: reviewId, message }));
}

export async function createPull({ octokit, repo }: Connection, pull: NewPull): Promise<PullDetails> {
  const { data } = await call(octokit.rest.pulls.create({ ...repo, title: pull.title, body: pull.body, head: pull.head, base: pull.base, draft: pull.draft }));
  return toPullDetails(data);
}

export async function updatePull({ octokit, repo }: Connection, number: number, changes: PullUpdate): Promise<void> {
  await call(octokit.rest.pulls.update({ ...repo, pull_number: number, ...changes }));
}

const MARK_READY = `mutation($id: ID!) {
  markPullRequestReadyForReview(input: { pullRequestId: $id }) { pullRequest { isDraft } }
}`;

/** REST has no draft field on PATCH: taking a pull request out of draft is GraphQL only. */
export async function markReadyForReview({ octokit }: Connection, pullNodeId: string): Promise<void> {
  await call(octokit.graphql(MARK_READY, { id: pullNodeId }));
}

// Not `$method`: Octokit's graphql() takes `method` as a request option and refuses it as a variable name.
const ENABLE_AUTO_MERGE = `mutation($id: ID!, $mergeMethod: PullRequestMergeMethod!) {
  enablePullRequestAutoMerge(input: { pullRequestId: $id, mergeMethod: $mergeMethod }) { pullRequest { number } }
}`;

/** Auto-merge exists only in GraphQL; GitHub refuses it where the repository does not allow auto-merge. */
export async function enableAutoMerge({ octokit }: Connection, pullNodeId: string, method: MergeMethod): Promise<void> {
  await call(octokit.graphql(ENABLE_AUTO_MERGE, { id: pullNodeId, mergeMethod: method }));
}

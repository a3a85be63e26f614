import { call, orNull } from "../errors.js";
import type { RepoRef } from "../../domain/task/dependencies.js";
import type { IssueData } from "../port.js";
import type { Connection } from "./client.js";
import { toIssue } from "./convert.js";

// GitHub's native issue dependencies ("blocked by" / "blocking").

export async function blockedBy({ octokit, repo }: Connection, issue: number): Promise<IssueData[]> {
  const issues = await call(octokit.paginate(octokit.rest.issues.listDependenciesBlockedBy, { ...repo, issue_number: issue, per_page: 100 }));
  return issues.filter(inRepo(repo)).map(toIssue);
}

export async function blocking({ octokit, repo }: Connection, issue: number): Promise<IssueData[]> {
  const issues = await call(octokit.paginate(octokit.rest.issues.listDependenciesBlocking, { ...repo, issue_number: issue, per_page: 100 }));
  return issues.filter(inRepo(repo)).map(toIssue);
}

/**
 * A relation may name another repository's issue, whose number means another issue here: only
 * this repository's issues are Orkestra's to track (a payload without the URL counts as here).
 */
function inRepo(repo: RepoRef): (issue: { repository_url?: string }) => boolean {
  const here = `/repos/${repo.owner}/${repo.repo}`.toLowerCase();
  return (issue) => issue.repository_url === undefined || issue.repository_url.toLowerCase().endsWith(here);
}

export async function addBlockedBy({ octokit, repo }: Connection, issue: number, blockerId: number): Promise<void> {
  await call(octokit.rest.issues.addBlockedByDependency({ ...repo, issue_number: issue, issue_id: blockerId }));
}

export async function removeBlockedBy({ octokit, repo }: Connection, issue: number, blockerId: number): Promise<void> {
  await orNull(octokit.rest.issues.removeDependencyBlockedBy({ ...repo, issue_number: issue, issue_id: blockerId }));
}

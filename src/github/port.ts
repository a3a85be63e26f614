import type { PermissionLevel } from "../config/common.js";
import type { RepoRef } from "../domain/task/dependencies.js";

/**
 * Everything Orkestra reads from or writes to GitHub, in Orkestra's own terms. The only
 * implementation that talks to GitHub is `OctokitGitHub`; handlers see only this port.
 */

export interface Actor {
  login: string;
  type: string; // "User" | "Bot" | "Organization"
}

export interface IssueData {
  id: number;
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  stateReason: string | null;
  labels: string[];
  isPullRequest: boolean;
  author: Actor;
  createdAt: string;
  updatedAt: string;
}

export interface CommentData {
  id: number;
  body: string;
  author: Actor;
  createdAt: string;
  updatedAt: string;
}

export interface LabelData {
  name: string;
  color: string;
  description: string | null;
}

export type ReactionContent = "+1" | "-1" | "laugh" | "confused" | "heart" | "hooray" | "rocket" | "eyes";

export interface GitHubPort {
  readonly repo: RepoRef;
  /** Text of a file on the default branch, or null when it does not exist. */
  getFile(path: string): Promise<string | null>;
  /** The issue or pull request, or null when it does not exist (or was deleted). */
  getIssue(number: number): Promise<IssueData | null>;
  listComments(issue: number): Promise<CommentData[]>;
  createComment(issue: number, body: string): Promise<CommentData>;
  updateComment(commentId: number, body: string): Promise<void>;
  deleteComment(commentId: number): Promise<void>;
  react(commentId: number, content: ReactionContent): Promise<void>;
  /** Adds labels (GitHub creates missing ones with its default colour) and returns the issue's labels. */
  addLabels(issue: number, names: string[]): Promise<LabelData[]>;
  /** Removes a label; a label that is already gone is not an error. */
  removeLabel(issue: number, name: string): Promise<void>;
  updateLabel(name: string, spec: { color: string; description: string }): Promise<void>;
  setIssueState(issue: number, state: "open" | "closed", reason?: "completed" | "not_planned"): Promise<void>;
  /** The author's permission on the repository ("none" for strangers). */
  permission(login: string): Promise<PermissionLevel | "none">;
  /** Native issue dependencies: the issues that block `issue`, and those it blocks. */
  blockedBy(issue: number): Promise<IssueData[]>;
  blocking(issue: number): Promise<IssueData[]>;
  addBlockedBy(issue: number, blockerId: number): Promise<void>;
  removeBlockedBy(issue: number, blockerId: number): Promise<void>;
}

/** A GitHub API failure the caller did not expect (network, 5xx after retries, 403, …). */
export class GitHubError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
    this.name = "GitHubError";
  }
}

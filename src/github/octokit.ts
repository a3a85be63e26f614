import type { Octokit } from "@octokit/rest";
import type { PermissionLevel } from "../config/common.js";
import type { RepoRef } from "../domain/task/dependencies.js";
import {
  GitHubError,
  type Actor,
  type CommentData,
  type GitHubPort,
  type IssueData,
  type LabelData,
  type ReactionContent,
} from "./port.js";

/** The part of an Octokit client Orkestra uses (Probot's and @actions/github's both fit). */
export type OctokitClient = Pick<Octokit, "rest" | "paginate" | "request">;

type RestIssue = Awaited<ReturnType<Octokit["rest"]["issues"]["get"]>>["data"];
type RestComment = Awaited<ReturnType<Octokit["rest"]["issues"]["getComment"]>>["data"];

/** GitHubPort over typed Octokit REST methods. Retries and throttling come from the client's plugins. */
export class OctokitGitHub implements GitHubPort {
  constructor(
    private readonly octokit: OctokitClient,
    readonly repo: RepoRef,
  ) {}

  async getFile(path: string): Promise<string | null> {
    const data = await orNull(this.octokit.rest.repos.getContent({ ...this.repo, path }));
    if (!data || Array.isArray(data) || data.type !== "file" || !("content" in data)) return null;
    return Buffer.from(data.content, "base64").toString("utf8");
  }

  async getIssue(number: number): Promise<IssueData | null> {
    const data = await orNull(this.octokit.rest.issues.get({ ...this.repo, issue_number: number }));
    return data ? toIssue(data) : null;
  }

  async listComments(issue: number): Promise<CommentData[]> {
    const comments = await call(
      this.octokit.paginate(this.octokit.rest.issues.listComments, { ...this.repo, issue_number: issue, per_page: 100 }),
    );
    return comments.map(toComment);
  }

  async createComment(issue: number, body: string): Promise<CommentData> {
    const { data } = await call(this.octokit.rest.issues.createComment({ ...this.repo, issue_number: issue, body }));
    return toComment(data);
  }

  async updateComment(commentId: number, body: string): Promise<void> {
    await call(this.octokit.rest.issues.updateComment({ ...this.repo, comment_id: commentId, body }));
  }

  async deleteComment(commentId: number): Promise<void> {
    await orNull(this.octokit.rest.issues.deleteComment({ ...this.repo, comment_id: commentId }));
  }

  async react(commentId: number, content: ReactionContent): Promise<void> {
    await call(this.octokit.rest.reactions.createForIssueComment({ ...this.repo, comment_id: commentId, content }));
  }

  async addLabels(issue: number, names: string[]): Promise<LabelData[]> {
    const { data } = await call(this.octokit.rest.issues.addLabels({ ...this.repo, issue_number: issue, labels: names }));
    return data.map((label) => ({ name: label.name, color: label.color, description: label.description }));
  }

  async removeLabel(issue: number, name: string): Promise<void> {
    await orNull(this.octokit.rest.issues.removeLabel({ ...this.repo, issue_number: issue, name }));
  }

  async updateLabel(name: string, spec: { color: string; description: string }): Promise<void> {
    await call(this.octokit.rest.issues.updateLabel({ ...this.repo, name, ...spec }));
  }

  async setIssueState(issue: number, state: "open" | "closed", reason?: "completed" | "not_planned"): Promise<void> {
    await call(
      this.octokit.rest.issues.update({
        ...this.repo,
        issue_number: issue,
        state,
        ...(reason ? { state_reason: reason } : {}),
      }),
    );
  }

  async permission(login: string): Promise<PermissionLevel | "none"> {
    const data = await orNull(this.octokit.rest.repos.getCollaboratorPermissionLevel({ ...this.repo, username: login }));
    if (!data) return "none";
    const flags = data.user?.permissions;
    if (flags) {
      if (flags.admin) return "admin";
      if (flags.maintain) return "maintain";
      if (flags.push) return "write";
      if (flags.triage) return "triage";
      if (flags.pull) return "read";
    }
    return levelFrom(data.role_name) ?? levelFrom(data.permission) ?? "none";
  }

  async blockedBy(issue: number): Promise<IssueData[]> {
    const issues = await call(
      this.octokit.paginate(this.octokit.rest.issues.listDependenciesBlockedBy, {
        ...this.repo,
        issue_number: issue,
        per_page: 100,
      }),
    );
    return issues.map(toIssue);
  }

  async blocking(issue: number): Promise<IssueData[]> {
    const issues = await call(
      this.octokit.paginate(this.octokit.rest.issues.listDependenciesBlocking, {
        ...this.repo,
        issue_number: issue,
        per_page: 100,
      }),
    );
    return issues.map(toIssue);
  }

  async addBlockedBy(issue: number, blockerId: number): Promise<void> {
    await call(
      this.octokit.rest.issues.addBlockedByDependency({ ...this.repo, issue_number: issue, issue_id: blockerId }),
    );
  }

  async removeBlockedBy(issue: number, blockerId: number): Promise<void> {
    await orNull(
      this.octokit.rest.issues.removeDependencyBlockedBy({ ...this.repo, issue_number: issue, issue_id: blockerId }),
    );
  }
}

function levelFrom(value: string | undefined): PermissionLevel | "none" | null {
  const known = ["admin", "maintain", "write", "triage", "read", "none"] as const;
  return known.find((level) => level === value) ?? null;
}

function toActor(user: { login: string; type?: string } | null | undefined): Actor {
  return { login: user?.login ?? "ghost", type: user?.type ?? "User" };
}

export function toIssue(data: RestIssue): IssueData {
  return {
    id: data.id,
    number: data.number,
    title: data.title,
    body: data.body ?? "",
    state: data.state === "closed" ? "closed" : "open",
    stateReason: data.state_reason ?? null,
    labels: data.labels.map((label) => (typeof label === "string" ? label : (label.name ?? ""))).filter(Boolean),
    isPullRequest: Boolean(data.pull_request),
    author: toActor(data.user),
    createdAt: data.created_at,
    updatedAt: data.updated_at,
  };
}

function toComment(data: RestComment): CommentData {
  return {
    id: data.id,
    body: data.body ?? "",
    author: toActor(data.user),
    createdAt: data.created_at,
    updatedAt: data.updated_at,
  };
}

function statusOf(error: unknown): number | undefined {
  return typeof error === "object" && error !== null && "status" in error && typeof error.status === "number"
    ? error.status
    : undefined;
}

async function call<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new GitHubError(`GitHub API: ${message}`, statusOf(error));
  }
}

/** Resolves to the response data, or null for 404/410 (missing or deleted). */
async function orNull<T>(promise: Promise<{ data: T }>): Promise<T | null> {
  try {
    return (await promise).data;
  } catch (error) {
    const status = statusOf(error);
    if (status === 404 || status === 410) return null;
    const message = error instanceof Error ? error.message : String(error);
    throw new GitHubError(`GitHub API: ${message}`, status);
  }
}

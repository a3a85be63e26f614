import type { RestEndpointMethodTypes } from "@octokit/rest";
import type { Actor } from "./auth.js";
import type { EventBus } from "./events.js";
import { isApiError, type Result } from "./http.js";
import { findCheckRun, rerequestCheckRun } from "./ops/check-runs.js";
import { findComment, createComment, deleteComment, editComment } from "./ops/comments.js";
import { findIssue, makeEmitter, type OpContext } from "./ops/context.js";
import { addLabels, removeLabel } from "./ops/issue-labels.js";
import { createIssue, deleteIssue, updateIssue } from "./ops/issues.js";
import { findPull, markReady, mergePull, openPull, pushToPull, type OpenPullInput, type Pull, type PullFileInput } from "./ops/pulls.js";
import { createReview, type ReviewCommentInput } from "./ops/reviews.js";
import { authorize, NEEDS, type Need } from "./permissions.js";
import type { ShapeContext } from "./shapes/context.js";
import { commentShape, issueShape, labelShape } from "./shapes/issues.js";
import { pullShape } from "./shapes/pulls.js";
import { reviewShape } from "./shapes/reviews.js";
import type { IssueRecord, LabelRecord, Store } from "./store.js";
import type { SandboxEvent } from "./types.js";

/** REST shapes, typed as @octokit/rest's methods return them. */
export type Issue = RestEndpointMethodTypes["issues"]["get"]["response"]["data"];
export type IssueComment = RestEndpointMethodTypes["issues"]["getComment"]["response"]["data"];
export type Label = RestEndpointMethodTypes["issues"]["getLabel"]["response"]["data"];
export type PullRequest = RestEndpointMethodTypes["pulls"]["get"]["response"]["data"];
export type PullRequestReview = RestEndpointMethodTypes["pulls"]["createReview"]["response"]["data"];
export type {  PullFileInput,  };

/** A review as a person submits it on github.com. */
export interface ReviewInput {
  event?: "APPROVE" | "REQUEST_CHANGES" | "COMMENT";
  body?: string;
  /** Defaults to the pull request's head. */
  commitId?: string;
  comments?: ReviewCommentInput[];
}

/** A failed scripted action: what GitHub would have answered. */
export class SandboxActionError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(`${status} ${message}`);
    this.name = "SandboxActionError";
  }
}

/**
 * What a person does on github.com, scripted. Same rules and events as the API, but not logged
 * as requests and not rate limited. Failures throw SandboxActionError (tests should fail loudly).
 */
export interface Person {
  readonly login: string;
  openIssue(input: { title: string; body?: string; labels?: string[] }): Issue;
  editIssue(issueNumber: number, changes: { title?: string; body?: string }): Issue;
  closeIssue(issueNumber: number, reason?: "completed" | "not_planned"): Issue;
  reopenIssue(issueNumber: number): Issue;
  comment(issueNumber: number, body: string): IssueComment;
  editComment(commentId: number, body: string): IssueComment;
  deleteComment(commentId: number): void;
  addLabels(issueNumber: number, names: string[]): Label[];
  removeLabel(issueNumber: number, name: string): Label[];
  deleteIssue(issueNumber: number): void;
  /**
   * Opens a pull request whose head branch (or, with `fromFork`, the person's fork) holds the
   * files' `after` contents; `before` contents are set on the base first when they differ.
   */
  openPullRequest(input: OpenPullInput): PullRequest;
  /** Pushes one commit with the files' `after` contents to the head branch (`pull_request.synchronize`). */
  pushCommits(pullNumber: number, files: PullFileInput[], options?: { message?: string }): PullRequest;
  markReadyForReview(pullNumber: number): PullRequest;
  /** Closes, or with `merge: true` merges into the base branch (`pull_request.closed`, `merged: true`). */
  closePullRequest(pullNumber: number, options?: { merge?: boolean }): PullRequest;
  reopenPullRequest(pullNumber: number): PullRequest;
  /** Submits a review (pending without an event), with comments placed on the diff. */
  review(pullNumber: number, input: ReviewInput): PullRequestReview;
  /** Presses Re-run on a check run (write access: GitHub shows the button to no one else); `check_run.rerequested`. */
  rerunCheck(checkRunId: number): void;
}

interface PeopleEnv {
  store: Store;
  shapes: ShapeContext;
  bus: EventBus;
}

/** Runs operations as one actor, publishing their events once each action is done. */
export class ScriptedActor {
  constructor(
    private readonly env: PeopleEnv,
    readonly actor: Actor,
  ) {}

  run<T>(need: Need | undefined, action: (op: OpContext) => Result<T>): T {
    const { store, shapes, bus } = this.env;
    const denied = need && authorize(store, this.actor, need);
    if (denied) throw new SandboxActionError(denied.status, denied.message);
    const events: SandboxEvent[] = [];
    const op: OpContext = {
      store,
      shapes,
      actor: this.actor,
      emit: makeEmitter(shapes, this.actor, (name, payload) => events.push(bus.create(name, payload, this.actor))),
    };
    const result = action(op);
    bus.publish(events);
    if (isApiError(result)) {
      const details = result.details().join("; ");
      throw new SandboxActionError(result.status, details ? `${result.message}: ${details}` : result.message);
    }
    return result;
  }

  onPull<T>(need: Need | undefined, pullNumber: number, action: (op: OpContext, target: Pull) => Result<T>): T {
    return this.run(need, (op) => {
      const target = findPull(op, pullNumber);
      return isApiError(target) ? target : action(op, target);
    });
  }

  onIssue<T>(need: Need | undefined, issueNumber: number, action: (op: OpContext, issue: IssueRecord) => Result<T>): T {
    return this.run(need, (op) => {
      const issue = findIssue(op.store, issueNumber);
      return isApiError(issue) ? issue : action(op, issue);
    });
  }
}

export function person(env: PeopleEnv, login: string): Person {
  const user = env.store.user(login);
  const as = new ScriptedActor(env, { kind: "person", login: user.login, type: user.type });
  const issue = (record: IssueRecord) => issueShape(env.shapes, record) as unknown as Issue;
  const labels = (records: LabelRecord[]) => records.map((label) => labelShape(env.shapes, label) as unknown as Label);
  const pull = ({ issue: record, pull: target }: Pull) => pullShape(env.shapes, record, target) as unknown as PullRequest;
  const onPull = (n: number, action: (op: OpContext, target: Pull) => Result<Pull>) => pull(as.onPull(NEEDS.participatePulls, n, action));
  return {
    login: user.login,
    openIssue: (input) => issue(as.run(NEEDS.participate, (op) => createIssue(op, input))),
    editIssue: (n, changes) => issue(as.onIssue(NEEDS.participate, n, (op, i) => updateIssue(op, i, changes))),
    closeIssue: (n, reason = "completed") =>
      issue(as.onIssue(NEEDS.participate, n, (op, i) => updateIssue(op, i, { state: "closed", state_reason: reason }))),
    reopenIssue: (n) => issue(as.onIssue(NEEDS.participate, n, (op, i) => updateIssue(op, i, { state: "open" }))),
    comment: (n, body) =>
      commentShape(env.shapes, as.onIssue(NEEDS.participate, n, (op, i) => createComment(op, i, body))) as unknown as IssueComment,
    editComment: (id, body) =>
      commentShape(
        env.shapes,
        as.run(NEEDS.participate, (op) => {
          const comment = findComment(op, id);
          return isApiError(comment) ? comment : editComment(op, comment, body);
        }),
      ) as unknown as IssueComment,
    deleteComment: (id) => {
      as.run(NEEDS.participate, (op) => {
        const comment = findComment(op, id);
        return isApiError(comment) ? comment : deleteComment(op, comment);
      });
    },
    addLabels: (n, names) => labels(as.onIssue(NEEDS.triage, n, (op, i) => addLabels(op, i, names))),
    removeLabel: (n, name) => labels(as.onIssue(NEEDS.triage, n, (op, i) => removeLabel(op, i, name))),
    deleteIssue: (n) => {
      as.onIssue(undefined, n, (op, i) => deleteIssue(op, i));
    },
    openPullRequest: (input) => pull(as.run(NEEDS.participatePulls, (op) => openPull(op, input))),
    pushCommits: (n, files, options = {}) => onPull(n, (op, target) => pushToPull(op, target, files, options.message)),
    markReadyForReview: (n) => onPull(n, (op, target) => markReady(op, target)),
    closePullRequest: (n, options = {}) =>
      onPull(n, (op, target) => {
        if (options.merge) return mergePull(op, target);
        const closed = updateIssue(op, target.issue, { state: "closed" });
        return isApiError(closed) ? closed : target;
      }),
    reopenPullRequest: (n) =>
      onPull(n, (op, target) => {
        const reopened = updateIssue(op, target.issue, { state: "open" });
        return isApiError(reopened) ? reopened : target;
      }),
    rerunCheck: (id) => {
      as.run(NEEDS.writeChecks, (op) => {
        const run = findCheckRun(op, id);
        return isApiError(run) ? run : rerequestCheckRun(op, run);
      });
    },
    review: (n, input) =>
      reviewShape(
        env.shapes,
        as.onPull(NEEDS.participatePulls, n, (op, target) =>
          createReview(op, target, { event: input.event, body: input.body, commit_id: input.commitId, comments: input.comments }),
        ),
      ) as unknown as PullRequestReview,
  };
}

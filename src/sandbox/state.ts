import type { RestEndpointMethodTypes } from "@octokit/rest";
import type { Issue, IssueComment, Label } from "./people.js";
import { refShape } from "./shapes/git.js";
import type { ShapeContext } from "./shapes/context.js";
import { commentShape, issueEventShape, issueShape, labelShape, reactionShape } from "./shapes/issues.js";

export type Reaction = RestEndpointMethodTypes["reactions"]["createForIssueComment"]["response"]["data"];
export type IssueEvent = RestEndpointMethodTypes["issues"]["listEvents"]["response"]["data"][number];
export type GitRef = RestEndpointMethodTypes["git"]["getRef"]["response"]["data"];

/** Read-only REST-shaped snapshots of the sandbox's state; changing them changes nothing. */
export interface SandboxState {
  /** The issue (or pull request) with this number; undefined when unknown or deleted. */
  issue(issueNumber: number): Issue | undefined;
  /** All issues and pull requests that are not deleted, by number. */
  issues(): Issue[];
  labels(): Label[];
  comments(issueNumber: number): IssueComment[];
  reactions(commentId: number): Reaction[];
  /** labeled / unlabeled / closed / reopened events of an issue, oldest first. */
  events(issueNumber: number): IssueEvent[];
  /** The issues blocking this one. */
  blockedBy(issueNumber: number): Issue[];
  /** Every git ref (branches, tags, lock refs), sorted by name. */
  refs(): GitRef[];
}

export function stateView(ctx: ShapeContext): SandboxState {
  const { store } = ctx;
  const issue = (record: Parameters<typeof issueShape>[1]) => issueShape(ctx, record) as unknown as Issue;
  return {
    issue(issueNumber) {
      const record = store.issues.get(issueNumber);
      return record && !record.deleted ? issue(record) : undefined;
    },
    issues: () => store.liveIssues().sort((a, b) => a.number - b.number).map(issue),
    labels: () => store.labels.map((label) => labelShape(ctx, label) as unknown as Label),
    comments: (issueNumber) => store.commentsOf(issueNumber).map((c) => commentShape(ctx, c) as unknown as IssueComment),
    reactions: (commentId) =>
      store.reactionsOf({ kind: "comment", id: commentId }).map((r) => reactionShape(ctx, r) as unknown as Reaction),
    events: (issueNumber) =>
      store.issueEvents.filter((e) => e.issueNumber === issueNumber).map((e) => issueEventShape(ctx, e) as unknown as IssueEvent),
    blockedBy(issueNumber) {
      const record = store.issues.get(issueNumber);
      return (record?.blockedBy ?? []).flatMap((id) => store.issueById(id) ?? []).filter((b) => !b.deleted).map(issue);
    },
    refs: () =>
      [...store.git.refs.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([name, sha]) => refShape(ctx, name, sha) as unknown as GitRef),
  };
}

import type { LabelSpec } from "../domain/task/labels.js";
import type {
  CheckRunUpdate,
  CommentData,
  CommentKind,
  GitHubPort,
  IssueData,
  MergeMethod,
  NewIssue,
  NewPull,
  PullDetails,
  PullUpdate,
  ReactionContent,
  RefUpdate,
  ReviewCommentInput,
  ReviewData,
  TreeChange,
} from "../github/port.js";

/**
 * A write Orkestra wants to make. Handlers decide on effects; the applier (`apply.ts`) is the
 * one place that performs them, so a dry run, a job summary, the log and the wording of a
 * failed write all come from the same list. `issue` names the issue or pull request a write is
 * about (for the report); repository-wide writes (the day's usage record) have none.
 */
export type Effect =
  | { kind: "add-labels"; issue: number; labels: LabelSpec[]; why: string }
  | { kind: "remove-labels"; issue: number; names: string[]; why: string }
  | { kind: "create-comment"; issue: number; body: string; why: string }
  | { kind: "update-comment"; issue: number; commentId: number; body: string; why: string }
  | { kind: "delete-comment"; issue: number; commentId: number; why: string }
  | { kind: "react"; issue: number; commentId: number; content: ReactionContent; on?: CommentKind; why: string }
  | { kind: "set-state"; issue: number; state: "open" | "closed"; reason?: "completed" | "not_planned"; why: string }
  | { kind: "create-issue"; issue?: number; newIssue: NewIssue; why: string }
  | { kind: "update-issue-body"; issue: number; body: string; why: string }
  | { kind: "pin-issue"; issue: number; nodeId: string; why: string; bestEffort: true }
  | { kind: "add-sub-issue"; issue: number; child: { number: number; id: number }; why: string }
  | { kind: "add-blocked-by"; issue: number; blocker: { number: number; id: number }; why: string; bestEffort: true }
  | { kind: "remove-blocked-by"; issue: number; blocker: { number: number; id: number }; why: string; bestEffort: true }
  | { kind: "create-commit"; issue?: number; message: string; tree: string; parents: string[]; why: string }
  | { kind: "create-ref"; issue?: number; ref: string; sha: string; why: string }
  | { kind: "fast-forward-ref"; issue?: number; ref: string; sha: string; why: string }
  | { kind: "delete-ref"; issue?: number; ref: string; why: string }
  | { kind: "update-refs"; issue?: number; repositoryId: string; updates: RefUpdate[]; why: string }
  | { kind: "create-review"; issue: number; review: ReviewInput; why: string }
  | { kind: "update-review-body"; issue: number; reviewId: number; body: string; why: string }
  | { kind: "dismiss-review"; issue: number; reviewId: number; message: string; why: string }
  | { kind: "create-check-run"; issue: number; run: CheckRunInput; why: string }
  | { kind: "update-check-run"; issue: number; checkRunId: number; name: string; update: CheckRunUpdate; why: string }
  | { kind: "create-blob"; issue?: number; path: string; content: string | Uint8Array; why: string }
  | { kind: "create-tree"; issue?: number; baseTree?: string; changes: TreeChange[]; why: string }
  | { kind: "update-ref"; issue?: number; ref: string; sha: string; why: string }
  | { kind: "create-pull"; issue?: number; pull: NewPull; why: string }
  | { kind: "update-pull"; issue: number; changes: PullUpdate; why: string }
  | { kind: "mark-ready-for-review"; issue: number; nodeId: string; why: string }
  | { kind: "enable-auto-merge"; issue: number; nodeId: string; method: MergeMethod; why: string }
  | { kind: "dispatch-workflow"; issue?: number; workflow: string | number; ref: string; inputs: Record<string, string>; why: string };

export type EffectKind = Effect["kind"];

export type ReviewInput = { commitId: string; event: "APPROVE" | "REQUEST_CHANGES" | "COMMENT"; body: string; comments: ReviewCommentInput[] };
export type CheckRunInput = Parameters<GitHubPort["createCheckRun"]>[0];

/** What a write returns, for the kinds whose result a later step needs. */
interface Results {
  "create-comment": CommentData;
  "create-issue": IssueData;
  /** True when the reaction is new (201), false when it was there already (200): a receipt. */
  react: boolean;
  "create-commit": string;
  /** False when the ref exists already: GitHub's compare-and-set, so another claimer won. */
  "create-ref": boolean;
  /** False when the ref moved meanwhile (not a fast-forward). */
  "fast-forward-ref": boolean;
  "create-review": ReviewData;
  "create-check-run": number;
  /** The blob's sha, for the tree. */
  "create-blob": string;
  /** The tree's sha, for the commit. */
  "create-tree": string;
  "create-pull": PullDetails;
  /** The run's id when GitHub says it (return_run_details), else null. */
  "dispatch-workflow": number | null;
}

export type ResultOf<E extends Effect> = E["kind"] extends keyof Results ? Results[E["kind"]] : void;

const short = (sha: string) => sha.slice(0, 7);
const refName = (ref: string) => `\`${ref.startsWith("refs/") ? ref : `refs/${ref}`}\``;

/** What an effect does, in a few words, for the log, the job summary and a dry run. */
export function describeWhat(effect: Effect): string {
  switch (effect.kind) {
    case "add-labels":
      return `add labels ${effect.labels.map((label) => `\`${label.name}\``).join(", ")}`;
    case "remove-labels":
      return `remove labels ${effect.names.map((name) => `\`${name}\``).join(", ")}`;
    case "create-comment":
      return "post a comment";
    case "update-comment":
      return `edit comment ${effect.commentId}`;
    case "delete-comment":
      return `delete duplicate comment ${effect.commentId}`;
    case "react":
      return `react ${effect.content}`;
    case "set-state":
      return effect.state === "closed" ? `close as ${effect.reason ?? "completed"}` : "reopen";
    case "create-issue":
      return `open issue "${effect.newIssue.title}"`;
    case "update-issue-body":
      return "rewrite the issue's body";
    case "pin-issue":
      return "pin the issue";
    case "add-sub-issue":
      return `attach #${effect.child.number} as a sub-issue`;
    case "add-blocked-by":
      return `mark blocked by #${effect.blocker.number}`;
    case "remove-blocked-by":
      return `unmark blocked by #${effect.blocker.number}`;
    case "create-commit":
      return `make commit "${effect.message.split("\n")[0]}"`;
    case "create-ref":
      return `create ${refName(effect.ref)} at ${short(effect.sha)}`;
    case "fast-forward-ref":
      return `move ${refName(effect.ref)} to ${short(effect.sha)}`;
    case "delete-ref":
      return `delete ${refName(effect.ref)}`;
    case "update-refs":
      return `move ${effect.updates.map((update) => `${refName(update.ref)} to ${short(update.after)}`).join(" and ")} at once`;
    case "create-review": {
      const inline = effect.review.comments.length > 0 ? ` with ${effect.review.comments.length} inline comment(s)` : "";
      return `post review ${effect.review.event}${inline}`;
    }
    case "update-review-body":
      return `edit review ${effect.reviewId}`;
    case "dismiss-review":
      return `dismiss review ${effect.reviewId}`;
    case "create-check-run":
      return `start check run \`${effect.run.name}\` on ${short(effect.run.headSha)}`;
    case "update-check-run": {
      const { status, conclusion, output } = effect.update;
      const annotations = output?.annotations?.length ? `, ${output.annotations.length} annotation(s)` : "";
      const run = `check run \`${effect.name}\``;
      return status === "completed" ? `complete ${run}: ${conclusion ?? "done"}${annotations}` : `add to ${run}${annotations}`;
    }
    case "create-blob":
      return `store \`${effect.path}\` (${(typeof effect.content === "string" ? new TextEncoder().encode(effect.content) : effect.content).length} bytes)`;
    case "create-tree": {
      const deleted = effect.changes.filter((change) => "sha" in change && change.sha === null).length;
      const changed = `${effect.changes.length - deleted} file(s) changed${deleted > 0 ? `, ${deleted} deleted` : ""}`;
      return `make a tree with ${changed}${effect.baseTree ? ` over ${short(effect.baseTree)}` : ""}`;
    }
    case "update-ref":
      return `force-move ${refName(effect.ref)} to ${short(effect.sha)}`;
    case "create-pull":
      return `open ${effect.pull.draft ? "draft " : ""}pull request "${effect.pull.title}" from \`${effect.pull.head}\` into \`${effect.pull.base}\``;
    case "update-pull": {
      const { title, body, state } = effect.changes;
      const fields = [title === undefined ? "" : "title", body === undefined ? "" : "body"].filter(Boolean);
      const edit = fields.length > 0 ? `edit the pull request's ${fields.join(" and ")}` : "";
      const move = state === "closed" ? "close the pull request" : state === "open" ? "reopen the pull request" : "";
      return [edit, move].filter(Boolean).join(", ") || "edit the pull request";
    }
    case "mark-ready-for-review":
      return "mark ready for review";
    case "enable-auto-merge":
      return `enable auto-merge (${effect.method.toLowerCase()})`;
    case "dispatch-workflow":
      return `dispatch workflow \`${effect.workflow}\` on \`${effect.ref}\``;
  }
}

/** One line for logs and job summaries: `#12: add labels status:blocked — waiting for #7`. */
export function describeEffect(effect: Effect): string {
  const where = effect.issue === undefined ? "repository" : `#${effect.issue}`;
  return `${where}: ${describeWhat(effect)} — ${effect.why}`;
}

import { same } from "../domain/task/labels.js";
import { GitHubError, type GitHubPort } from "../github/port.js";
import type { Logger } from "../shared/logger.js";
import { describeEffect, describeWhat, type Effect, type ResultOf } from "./effects.js";

/** GitHub's colour for labels it creates on the fly when an unknown label is added to an issue. */
const GITHUB_DEFAULT_LABEL_COLOR = "ededed";

export interface ApplyOptions {
  dryRun: boolean;
  log: Logger;
  /** Receives every effect written (or, in a dry run, described) with its line. */
  record: (line: string, effect: Effect) => void;
}

/**
 * The one place Orkestra writes to GitHub. Performs one effect and returns what GitHub
 * answered; in a dry run writes nothing and returns null. Either way the effect's line goes to
 * the log and the run report. A failure is rethrown as a GitHubError that says which write
 * failed and why it was wanted.
 */
export async function applyEffect<E extends Effect>(github: GitHubPort, effect: E, options: ApplyOptions): Promise<ResultOf<E> | null> {
  const line = describeEffect(effect);
  if (options.dryRun) {
    options.log.info(`[dry-run] ${line}`);
    options.record(line, effect);
    return null;
  }
  let result: ResultOf<E>;
  try {
    result = (await write(github, effect, options.log)) as ResultOf<E>;
  } catch (error) {
    throw failed(effect, error);
  }
  options.log.info(line);
  options.record(line, effect);
  return result;
}

/**
 * Performs effects in order. The first failure stops the batch (later effects may depend on
 * it) and is rethrown; best-effort effects (mirroring native dependencies, a convenience —
 * the task card is the record) only log theirs.
 */
export async function applyEffects(github: GitHubPort, effects: readonly Effect[], options: ApplyOptions): Promise<void> {
  for (const effect of effects) {
    try {
      await applyEffect(github, effect, options);
    } catch (error) {
      if (!("bestEffort" in effect)) throw error;
      options.log.warn(error instanceof Error ? error.message : String(error));
    }
  }
}

/** `#12: could not add labels `status:done` (task done): GitHub API: …` — what failed, why it was wanted, GitHub's answer. */
function failed(effect: Effect, error: unknown): Error {
  const where = effect.issue === undefined ? "repository" : `#${effect.issue}`;
  const message = `${where}: could not ${describeWhat(effect)} (${effect.why}): ${error instanceof Error ? error.message : String(error)}`;
  return error instanceof GitHubError ? new GitHubError(message, error.status) : new Error(message, { cause: error });
}

async function write(github: GitHubPort, effect: Effect, log: Logger): Promise<unknown> {
  switch (effect.kind) {
    case "add-labels":
      return addLabels(github, effect, log);
    case "remove-labels":
      for (const name of effect.names) await github.removeLabel(effect.issue, name);
      return;
    case "create-comment":
      return github.createComment(effect.issue, effect.body);
    case "update-comment":
      return github.updateComment(effect.commentId, effect.body);
    case "delete-comment":
      return github.deleteComment(effect.commentId);
    case "react":
      return github.react(effect.commentId, effect.content, effect.on);
    case "set-state":
      return github.setIssueState(effect.issue, effect.state, effect.reason);
    case "create-issue":
      return github.createIssue(effect.newIssue);
    case "update-issue-body":
      return github.updateIssueBody(effect.issue, effect.body);
    case "pin-issue":
      return github.pinIssue(effect.nodeId);
    case "add-sub-issue":
      return github.addSubIssue(effect.issue, effect.child.id);
    case "add-blocked-by":
      return github.addBlockedBy(effect.issue, effect.blocker.id);
    case "remove-blocked-by":
      return github.removeBlockedBy(effect.issue, effect.blocker.id);
    case "create-commit":
      return github.createCommit({ message: effect.message, tree: effect.tree, parents: effect.parents });
    case "create-ref":
      return github.createRef(effect.ref, effect.sha);
    case "fast-forward-ref":
      return github.fastForwardRef(effect.ref, effect.sha);
    case "delete-ref":
      return github.deleteRef(effect.ref);
    case "update-refs":
      return github.updateRefs(effect.repositoryId, effect.updates);
    case "create-review":
      return github.createReview(effect.issue, effect.review);
    case "update-review-body":
      return github.updateReviewBody(effect.issue, effect.reviewId, effect.body);
    case "dismiss-review":
      return github.dismissReview(effect.issue, effect.reviewId, effect.message);
    case "create-check-run":
      return github.createCheckRun(effect.run);
    case "update-check-run":
      return github.updateCheckRun(effect.checkRunId, effect.update);
    case "create-blob":
      return github.createBlob(effect.content);
    case "create-tree":
      return github.createTree(effect.changes, effect.baseTree);
    case "update-ref":
      return github.forceUpdateRef(effect.ref, effect.sha);
    case "create-pull":
      return github.createPull(effect.pull);
    case "update-pull":
      return github.updatePull(effect.issue, effect.changes);
    case "mark-ready-for-review":
      return github.markReadyForReview(effect.nodeId);
    case "enable-auto-merge":
      return github.enableAutoMerge(effect.nodeId, effect.method);
    case "dispatch-workflow":
      return github.dispatchWorkflow(effect.workflow, effect.ref, effect.inputs);
  }
}

/**
 * Adding a label that does not exist makes GitHub create it in grey. Rather than listing the
 * repository's labels on every event, Orkestra adds first and gives the colour and
 * description to the labels that came back freshly created — one request in the common case.
 */
async function addLabels(github: GitHubPort, effect: Extract<Effect, { kind: "add-labels" }>, log: Logger): Promise<void> {
  const onIssue = await github.addLabels(
    effect.issue,
    effect.labels.map((label) => label.name),
  );
  for (const spec of effect.labels) {
    const created = onIssue.find((label) => same(label.name, spec.name));
    const fresh = created && created.color.toLowerCase() === GITHUB_DEFAULT_LABEL_COLOR && !created.description;
    if (fresh && spec.color !== GITHUB_DEFAULT_LABEL_COLOR) {
      // Only the look of the label: a failure must not stop the writes that carry the task.
      await github.updateLabel(created.name, { color: spec.color, description: spec.description }).catch((error: unknown) => {
        log.warn(`could not colour the new label \`${created.name}\` (it stays grey): ${error instanceof Error ? error.message : String(error)}`);
      });
    }
  }
}

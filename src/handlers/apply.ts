import { same } from "../domain/task/labels.js";
import type { Logger } from "../logger.js";
import type { GitHubPort } from "../github/port.js";
import { describeEffect, type Effect } from "./effects.js";

/** GitHub's colour for labels it creates on the fly when an unknown label is added to an issue. */
const GITHUB_DEFAULT_LABEL_COLOR = "ededed";

export interface ApplyOptions {
  dryRun: boolean;
  log: Logger;
}

/**
 * Performs effects in order and returns the lines describing what was done. In a dry run
 * nothing is written. The first failure stops the batch (later effects may depend on it)
 * and is rethrown after logging what had been applied.
 */
export async function applyEffects(github: GitHubPort, effects: Effect[], options: ApplyOptions): Promise<string[]> {
  const done: string[] = [];
  for (const effect of effects) {
    const line = describeEffect(effect);
    try {
      if (!options.dryRun) await applyOne(github, effect);
    } catch (error) {
      if (!("bestEffort" in effect)) throw error;
      // Mirroring to GitHub's native dependencies is a convenience; the task card is the record.
      options.log.warn(`${line} failed: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    options.log.info(options.dryRun ? `[dry-run] ${line}` : line);
    done.push(line);
  }
  return done;
}

async function applyOne(github: GitHubPort, effect: Effect): Promise<void> {
  switch (effect.kind) {
    case "add-labels":
      return addLabels(github, effect);
    case "remove-labels":
      for (const name of effect.names) await github.removeLabel(effect.issue, name);
      return;
    case "create-comment":
      await github.createComment(effect.issue, effect.body);
      return;
    case "update-comment":
      return github.updateComment(effect.commentId, effect.body);
    case "delete-comment":
      return github.deleteComment(effect.commentId);
    case "react":
      await github.react(effect.commentId, effect.content);
      return;
    case "set-state":
      return github.setIssueState(effect.issue, effect.state, effect.reason);
    case "add-blocked-by":
      return github.addBlockedBy(effect.issue, effect.blocker.id);
    case "remove-blocked-by":
      return github.removeBlockedBy(effect.issue, effect.blocker.id);
    case "delete-ref":
      return github.deleteRef(effect.ref);
  }
}

/**
 * Adding a label that does not exist makes GitHub create it in grey. Rather than listing the
 * repository's labels on every event, Orkestra adds first and gives the colour and
 * description to the labels that came back freshly created — one request in the common case.
 */
async function addLabels(github: GitHubPort, effect: Extract<Effect, { kind: "add-labels" }>): Promise<void> {
  const onIssue = await github.addLabels(
    effect.issue,
    effect.labels.map((label) => label.name),
  );
  for (const spec of effect.labels) {
    const created = onIssue.find((label) => same(label.name, spec.name));
    const fresh = created && created.color.toLowerCase() === GITHUB_DEFAULT_LABEL_COLOR && !created.description;
    if (fresh && spec.color !== GITHUB_DEFAULT_LABEL_COLOR) {
      await github.updateLabel(created.name, { color: spec.color, description: spec.description });
    }
  }
}

import type { Actor } from "./auth.js";
import type { ShapeContext } from "./shapes/context.js";
import { repositoryShape } from "./shapes/repo.js";
import { userShape } from "./shapes/users.js";

/** Webhook payloads: the event's own objects, then repository, sender and installation. */
export function webhookPayload(
  ctx: ShapeContext,
  actor: Actor,
  action: string,
  objects: Record<string, unknown>,
): Record<string, unknown> {
  return {
    action,
    ...objects,
    repository: repositoryShape(ctx),
    sender: userShape(ctx, actor.login),
    installation: { id: ctx.store.app.installationId, node_id: ctx.store.app.installationNodeId },
  };
}

/** `changes` of an edit: `{ field: { from } }` for each field whose value changed. */
export function changesOf(before: Record<string, string | null>, after: Record<string, string | null>): Record<string, { from: string }> {
  const changes: Record<string, { from: string }> = {};
  for (const [field, from] of Object.entries(before)) {
    if (after[field] !== from) changes[field] = { from: from ?? "" };
  }
  return changes;
}

import { notFound, type Result } from "../http.js";
import { legacyNodeId } from "../ids.js";
import { authorize, NEEDS } from "../permissions.js";
import { REACTION_CONTENTS, type ReactionContent, type ReactionRecord, type ReactionSubject } from "../store.js";
import type { OpContext } from "./context.js";
import { invalidField } from "./validate.js";

/** GitHub answers 200 with the existing reaction when the same user already reacted the same way. */
export function react(
  ctx: OpContext,
  subject: ReactionSubject,
  content: unknown,
): Result<{ reaction: ReactionRecord; created: boolean }> {
  if (!REACTION_CONTENTS.includes(content as ReactionContent)) return invalidField("Reaction", "content");
  const login = ctx.actor.login.toLowerCase();
  const existing = ctx.store
    .reactionsOf(subject)
    .find((reaction) => reaction.content === content && reaction.user.toLowerCase() === login);
  if (existing) return { reaction: existing, created: false };
  const id = ctx.store.ids.next();
  const reaction: ReactionRecord = {
    id,
    nodeId: legacyNodeId("Reaction", id),
    subject,
    user: ctx.actor.login,
    content: content as ReactionContent,
    createdAt: ctx.store.now(),
  };
  ctx.store.reactions.set(id, reaction);
  return { reaction, created: true };
}

/** People delete their own reactions; removing someone else's needs write access. */
export function deleteReaction(ctx: OpContext, subject: ReactionSubject, reactionId: number): Result<ReactionRecord> {
  const reaction = ctx.store.reactionsOf(subject).find((candidate) => candidate.id === reactionId);
  if (!reaction) return notFound();
  if (reaction.user.toLowerCase() !== ctx.actor.login.toLowerCase()) {
    const denied = authorize(ctx.store, ctx.actor, NEEDS.moderate);
    if (denied) return denied;
  }
  ctx.store.reactions.delete(reaction.id);
  return reaction;
}

import { PERMISSION_LEVELS, type PermissionLevel } from "../config/common.js";
import type { RunContext } from "../runtime/context.js";

/** Whether `has` is at least `needs` in GitHub's order read < triage < write < maintain < admin. */
export function meets(has: PermissionLevel | "none", needs: PermissionLevel): boolean {
  return has !== "none" && PERMISSION_LEVELS.indexOf(has) >= PERMISSION_LEVELS.indexOf(needs);
}

/**
 * The author's permission, asking GitHub only when it matters: everybody can read a public
 * repository, and the repository's owner is an admin.
 */
export async function authorPermission(
  ctx: RunContext,
  login: string,
  association: string | undefined,
  needs: PermissionLevel,
): Promise<PermissionLevel | "none"> {
  if (needs === "read" && !ctx.repoPrivate) return "read";
  if (association === "OWNER") return "admin";
  return ctx.permissionOf(login);
}

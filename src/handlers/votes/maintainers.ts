import type { RunContext } from "../../runtime/context.js";
import { meets } from "../permissions.js";

/**
 * Maintainers may close and cancel any vote: people with `maintain` permission or more, and
 * those listed in the top-level `maintainers` (logins, or `org/team`s resolved to members).
 * Listed logins cost no request; the permission one; each listed team one more.
 */
export async function isMaintainer(ctx: RunContext, login: string): Promise<boolean> {
  const who = login.toLowerCase();
  const listed = ctx.config.maintainers;
  if (listed.some((handle) => !handle.includes("/") && handle.toLowerCase() === who)) return true;
  if (meets(await ctx.permissionOf(login), "maintain")) return true;
  for (const handle of listed.filter((entry) => entry.includes("/"))) {
    const [org = "", slug = ""] = handle.split("/");
    const members = await ctx.github.teamMembers(org, slug);
    if (members?.some((member) => member.toLowerCase() === who)) return true;
  }
  return false;
}

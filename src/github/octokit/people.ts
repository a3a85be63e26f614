import type { PermissionLevel } from "../../config/common.js";
import { orNull, unless } from "../errors.js";
import type { Connection } from "./client.js";

export async function permission({ octokit, repo }: Connection, login: string): Promise<PermissionLevel | "none"> {
  const data = await orNull(octokit.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: login }));
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

function levelFrom(value: string | undefined): PermissionLevel | "none" | null {
  const known = ["admin", "maintain", "write", "triage", "read", "none"] as const;
  return known.find((level) => level === value) ?? null;
}

export async function teamMembers({ octokit }: Connection, org: string, slug: string): Promise<string[] | null> {
  // 404: no such team; 403: the token may not read the organisation's teams (GITHUB_TOKEN never can).
  const members = await unless(octokit.paginate(octokit.rest.teams.listMembersInOrg, { org, team_slug: slug, per_page: 100 }), [403, 404]);
  return members?.map((member) => member.login) ?? null;
}

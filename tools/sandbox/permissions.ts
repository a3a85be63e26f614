import type { Actor } from "./auth.js";
import type { ApiError} from "./http.js";
import { forbidden, notFound } from "./http.js";
import type { Store } from "./store.js";
import type { AccessLevel, IntegrationPermissions, PermissionScope, Role } from "./types.js";

const ROLE_RANK: Record<Role, number> = { read: 1, triage: 2, write: 3, maintain: 4, admin: 5 };

/**
 * What an action requires: a people role, or for app/Actions tokens a permission scope and level.
 * GitHub's own table: anyone who can read can open issues, comment and react; triage applies labels
 * and closes others' issues; write manages labels, edits others' comments and pushes refs.
 */
export interface Need {
  role: Role;
  scope: PermissionScope;
  level: AccessLevel;
}

export const NEEDS = {
  readRepo: { role: "read", scope: "metadata", level: "read" },
  readIssues: { role: "read", scope: "issues", level: "read" },
  participate: { role: "read", scope: "issues", level: "write" },
  triage: { role: "triage", scope: "issues", level: "write" },
  manageLabels: { role: "write", scope: "issues", level: "write" },
  moderate: { role: "write", scope: "issues", level: "write" },
  readContents: { role: "read", scope: "contents", level: "read" },
  writeContents: { role: "write", scope: "contents", level: "write" },
  /** Listing collaborators and reading their permission needs push access. */
  pushAccess: { role: "write", scope: "metadata", level: "read" },
  deleteIssue: { role: "admin", scope: "issues", level: "write" },
  readPulls: { role: "read", scope: "pull_requests", level: "read" },
  /** Reviewing and editing one's own pull request: anyone who can read. */
  participatePulls: { role: "read", scope: "pull_requests", level: "write" },
  /** Merging, dismissing reviews, pushing to others' branches. */
  writePulls: { role: "write", scope: "pull_requests", level: "write" },
  readChecks: { role: "read", scope: "checks", level: "read" },
  writeChecks: { role: "write", scope: "checks", level: "write" },
  readActions: { role: "read", scope: "actions", level: "read" },
  writeActions: { role: "write", scope: "actions", level: "write" },
} as const satisfies Record<string, Need>;

export const DEFAULT_INTEGRATION_PERMISSIONS: IntegrationPermissions = {
  issues: "write",
  pull_requests: "write",
  contents: "write",
  checks: "write",
  statuses: "write",
  actions: "write",
  metadata: "read",
};

/** A person's role; on a public repository everyone can read. */
export function personRole(store: Store, login: string): Role | undefined {
  return store.roleOf(login) ?? (store.repo.private ? undefined : "read");
}

function integrationPermissions(store: Store, actor: Actor): IntegrationPermissions | undefined {
  if (actor.kind === "installation") return store.app.permissions;
  if (actor.kind === "actions") return store.actionsApp.permissions;
  return undefined;
}

/** Whether the actor can see the repository at all (private repositories are 404 to outsiders). */
export function canSeeRepo(store: Store, actor: Actor): boolean {
  return actor.kind !== "person" || personRole(store, actor.login) !== undefined;
}

export function allows(store: Store, actor: Actor, need: Need): boolean {
  if (actor.kind === "app") return false;
  const granted = integrationPermissions(store, actor);
  if (granted) {
    const level = need.scope === "metadata" ? "read" : granted[need.scope];
    return level === "write" || (level === "read" && need.level === "read");
  }
  const role = personRole(store, actor.login);
  return role !== undefined && ROLE_RANK[role] >= ROLE_RANK[need.role];
}

/** `undefined` when allowed, otherwise the error GitHub answers. */
export function authorize(store: Store, actor: Actor, need: Need): ApiError | undefined {
  if (!canSeeRepo(store, actor)) return notFound();
  if (allows(store, actor, need)) return undefined;
  // GitHub names the permission an App or Actions token lacks (fine-grained actors only).
  if (actor.kind !== "person") return forbidden("Resource not accessible by integration").withHeaders({ "x-accepted-github-permissions": `${need.scope}=${need.level}` });
  return forbidden(need.role === "admin" ? "Must have admin rights to Repository." : "Must have push access to repository.");
}

/** The legacy `permission` of GET …/collaborators/{username}/permission. */
export function legacyPermission(role: Role | undefined): "admin" | "write" | "read" | "none" {
  if (role === "admin") return "admin";
  if (role === "maintain" || role === "write") return "write";
  return role ? "read" : "none";
}

export function rolePermissions(role: Role | undefined): Record<"admin" | "maintain" | "push" | "triage" | "pull", boolean> {
  const rank = role ? ROLE_RANK[role] : 0;
  return { admin: rank >= 5, maintain: rank >= 4, push: rank >= 3, triage: rank >= 2, pull: rank >= 1 };
}

/** The `permissions` object of GET /repos/{owner}/{repo} for this actor. */
export function repoPermissionsFor(store: Store, actor: Actor): ReturnType<typeof rolePermissions> {
  if (actor.kind === "person") return rolePermissions(personRole(store, actor.login));
  return {
    admin: false,
    maintain: false,
    push: allows(store, actor, NEEDS.writeContents),
    triage: allows(store, actor, NEEDS.triage),
    pull: true,
  };
}

import type { Clock } from "../../src/domain/clock.js";

/** Fine-grained repository roles, weakest first. */
export type Role = "read" | "triage" | "write" | "maintain" | "admin";

/** GitHub App / GITHUB_TOKEN permission scopes the sandbox checks. */
export type PermissionScope = "issues" | "pull_requests" | "contents" | "checks" | "metadata" | "statuses" | "actions" | "workflows";
export type AccessLevel = "read" | "write";
export type IntegrationPermissions = Partial<Record<PermissionScope, AccessLevel>>;

export interface SandboxAppOptions {
  id?: number;
  /** The app's slug; its bot user is `<slug>[bot]`. */
  slug?: string;
  installationId?: number;
  /**
   * Permissions of installation tokens (defaults: issues, pull_requests, contents, checks, statuses,
   * actions write; metadata read). Without `workflows: write` the app may not change `.github/workflows/`.
   */
  permissions?: IntegrationPermissions;
}

export interface SandboxOptions {
  owner?: string;
  repo?: string;
  private?: boolean;
  defaultBranch?: string;
  clock?: Clock;
  /** People with a role on the repository, by login. */
  collaborators?: Record<string, Role>;
  /** Files on the default branch, by path. */
  files?: Record<string, string>;
  app?: SandboxAppOptions;
  /** Permissions of the GITHUB_TOKEN-style Actions token (same defaults as the app; `workflows` is never granted to it). */
  actionsPermissions?: IntegrationPermissions;
  /**
   * The repository setting "Allow GitHub Actions to create and approve pull requests" (Settings →
   * Actions → General), off by default as on GitHub: the Actions token then gets 403 from
   * POST …/pulls and cannot approve.
   */
  actionsCanCreatePullRequests?: boolean;
  /**
   * The repository setting "Allow auto-merge" (Settings → General → Pull Requests,
   * `allow_auto_merge`), off by default as on GitHub: GraphQL `enablePullRequestAutoMerge` is then
   * refused with "Pull request Auto merge is not allowed for this repository".
   */
  allowAutoMerge?: boolean;
  /** Requests per hour per actor before 403 "API rate limit exceeded" (default 5000). */
  rateLimit?: number;
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /**
   * GitHub's limits of GET …/git/trees/{tree_sha}?recursive=1 (100,000 entries, 7 MB of entries),
   * past which the listing stops with `truncated: true`; lower them to see it in a test.
   */
  treeLimits?: { entries?: number; bytes?: number };
  /**
   * Check every JSON response against GitHub's OpenAPI description and record mismatches in
   * `sandbox.violations` (default true). Requests are always checked.
   */
  validateResponses?: boolean;
  /**
   * Base of the web (`html_url`) links, e.g. "https://github.test", as github.com's are https;
   * default: the sandbox's own http:// address.
   */
  htmlBase?: string;
}

export type UserType = "User" | "Bot" | "Organization";

export interface ActorRef {
  login: string;
  type: UserType;
}

/** A webhook GitHub would deliver, with who caused it. */
export interface SandboxEvent {
  /** The event name, e.g. "issues", "issue_comment", "label" (the X-GitHub-Event header). */
  name: string;
  /** The delivery GUID (the X-GitHub-Delivery header). */
  id: string;
  payload: Record<string, unknown>;
  actor: ActorRef;
  /**
   * True when GitHub starts no workflow run for it: caused with the Actions token, a `check_run`
   * event about a run of a GitHub Actions suite (a person's Re-run of it included), or an event
   * no workflow can be triggered by (`issue_dependencies`, `installation`, …).
   */
  viaActionsToken: boolean;
}

export type SandboxEventListener = (event: SandboxEvent) => void | Promise<void>;

/** One request that came over HTTP. */
export interface RequestLogEntry {
  method: string;
  /** The matched template, e.g. "POST /repos/{owner}/{repo}/issues"; null when no route matched. */
  route: string | null;
  /** The path as received, with its query string (and the /api/v3 prefix when used). */
  path: string;
  status: number;
  /** Login of the authenticated actor (the app's slug for app-JWT requests); null when unauthenticated. */
  actor: string | null;
}

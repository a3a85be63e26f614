import { type Clock } from "../../src/domain/clock.js";
import { systemClock } from "../../src/shared/clock.js";
import { DEFAULT_INTEGRATION_PERMISSIONS } from "./permissions.js";
import type { IntegrationPermissions, Role, SandboxOptions } from "./types.js";

interface ResolvedOptions {
  owner: string;
  repo: string;
  private: boolean;
  defaultBranch: string;
  clock: Clock;
  collaborators: Record<string, Role>;
  files: Record<string, string>;
  app: { id: number; slug: string; installationId: number; permissions: IntegrationPermissions };
  actionsPermissions: IntegrationPermissions;
  actionsCanCreatePullRequests: boolean;
  allowAutoMerge: boolean;
  rateLimit: number;
  port: number;
  validateResponses: boolean;
  htmlBase: string | null;
  treeLimits: { entries: number; bytes: number };
}

/** GitHub Actions' own app id on github.com. */
export const ACTIONS_APP_ID = 15368;
export const ACTIONS_INSTALLATION_ID = 3_000;
/** A third-party CI app (as CircleCI or Buildkite report through the Checks API): its suites start workflows, unlike GitHub Actions' own. */
export const CI_APP_ID = 18001;
export const CI_INSTALLATION_ID = 3_001;

export function resolveOptions(options: SandboxOptions): ResolvedOptions {
  return {
    owner: options.owner ?? "octo-org",
    repo: options.repo ?? "orkestra-demo",
    private: options.private ?? false,
    defaultBranch: options.defaultBranch ?? "main",
    clock: options.clock ?? systemClock,
    collaborators: { ...options.collaborators },
    files: { ...options.files },
    app: {
      id: options.app?.id ?? 1_000,
      slug: options.app?.slug ?? "orkestra",
      installationId: options.app?.installationId ?? 2_000,
      permissions: { ...DEFAULT_INTEGRATION_PERMISSIONS, ...options.app?.permissions },
    },
    actionsPermissions: { ...DEFAULT_INTEGRATION_PERMISSIONS, ...options.actionsPermissions },
    actionsCanCreatePullRequests: options.actionsCanCreatePullRequests ?? false,
    allowAutoMerge: options.allowAutoMerge ?? false,
    rateLimit: options.rateLimit ?? 5_000,
    port: options.port ?? 0,
    validateResponses: options.validateResponses ?? true,
    htmlBase: options.htmlBase?.replace(/\/+$/, "") ?? null,
    treeLimits: { entries: options.treeLimits?.entries ?? 100_000, bytes: options.treeLimits?.bytes ?? 7 * 1024 * 1024 },
  };
}

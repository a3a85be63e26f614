import { Octokit } from "@octokit/rest";
import type { Env } from "../../src/agents/index.js";
import type { Clock } from "../../src/domain/clock.js";
import { OctokitGitHub } from "../../src/github/octokit.js";
import type { Services } from "../../src/runtime/context.js";
import { silentLogger } from "../../src/shared/logger.js";
import type { Sandbox } from "../../tools/sandbox/index.js";
import { scriptedProvider } from "../../tools/scripted/index.js";

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * What a door hands the core, built straight on a sandbox: Orkestra acting as the app's
 * installation, without Probot or the Action around it (benchmarks, races, direct calls).
 */
export function sandboxServices(sandbox: Sandbox, clock: Clock, options: { env?: Env; token?: string } = {}): Services {
  const octokit = new Octokit({ auth: options.token ?? sandbox.tokens.installation, baseUrl: sandbox.url, retry: { enabled: false }, log: quiet });
  return {
    // The installation writes as the app's bot; another token's login is left unknown (any bot).
    github: new OctokitGitHub(octokit, { owner: sandbox.owner, repo: sandbox.repo }, options.token ? undefined : sandbox.app.botLogin),
    clock,
    log: silentLogger,
    dryRun: false,
    repoPrivate: false,
    env: options.env ?? {},
    defaultBranch: sandbox.defaultBranch,
    agentOptions: { scripted: scriptedProvider() },
  };
}

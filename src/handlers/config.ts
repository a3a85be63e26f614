import { formatConfigErrors, parseConfig, type ConfigResult } from "../config/load.js";
import { CONFIG_PATH } from "../config/schema.js";
import { renderMarker } from "../domain/markers.js";
import type { CommentData } from "../github/port.js";
import type { GitHubReads, Services } from "../runtime/context.js";
import type { Effect } from "../runtime/effects.js";
import { resolveSticky, upsertSticky } from "./sticky.js";

export const CONFIG_ERROR_KIND = "config-error";

/** GitHub refuses a comment body longer than this (characters). */
const COMMENT_LIMIT = 65_536;

/** Where this run reads the configuration: the Action's `config-path`, else `.github/orkestra.yml`. */
export function configPathOf(services: Pick<Services, "configPath">): string {
  return services.configPath ?? CONFIG_PATH;
}

/**
 * The configuration at `path` on the default branch, or on `ref` — a pull request's base branch
 * when it targets another one. Never the PR's own head: a PR must not configure its own review.
 */
export async function loadConfig(github: GitHubReads, path: string, ref?: string): Promise<ConfigResult> {
  return parseConfig(await github.getFile(path, ref));
}

/** The one comment on the triggering issue that says the configuration is broken and why. */
export async function configErrorEffects(
  github: GitHubReads,
  issue: number,
  result: Extract<ConfigResult, { ok: false }>,
  path: string,
): Promise<Effect[]> {
  const comments = await github.listComments(issue);
  const head = [renderMarker(CONFIG_ERROR_KIND, {}), `⚠️ Orkestra could not use \`${path}\`, so it did nothing with this event. Please fix:`, ""];
  const tail = ["", "See the configuration reference in Orkestra's README."];
  // However many problems there are, the comment stays well under GitHub's limit.
  const room = COMMENT_LIMIT - 1_000 - [...head, ...tail].join("\n").length;
  const body = [...head, formatConfigErrors(result.errors, path, room), ...tail].join("\n");
  return upsertSticky(issue, comments, CONFIG_ERROR_KIND, body, "invalid configuration");
}

/** Once the configuration works again, the error comment on an issue says it is fixed. */
export function configFixedEffects(issue: number, comments: readonly CommentData[], path: string): Effect[] {
  return resolveSticky(issue, comments, CONFIG_ERROR_KIND, `The problem with \`${path}\` reported here is fixed.`, "configuration fixed");
}

/** A workspace and a run context on a sandbox repository, with the requests they make. */
import { defaultConfig } from "../../src/config/schema.js";
import { Workspace } from "../../src/handlers/execution/workspace.js";
import { createRunContext, emptyReport, type RunContext } from "../../src/runtime/context.js";
import type { Sandbox } from "../../tools/sandbox/index.js";
import { sandboxFor } from "../sandbox/helpers.js";
import { sandboxServices } from "../support/services.js";

export async function repository(files: Record<string, string>, options: { dryRun?: boolean } = {}) {
  const { sandbox, clock } = await sandboxFor({ files });
  const ctx: RunContext = createRunContext({ ...sandboxServices(sandbox, clock), dryRun: options.dryRun ?? false }, defaultConfig(), emptyReport());
  const sha = await ctx.github.branchSha("main");
  const { tree } = await ctx.github.commit(sha);
  sandbox.clearRequests();
  return { sandbox, ctx, base: { sha, tree }, open: () => Workspace.open(ctx.github, sha) };
}

/** `GET /repos/{owner}/{repo}/git/blobs/{file_sha}`-style lines for the requests made so far. */
export function requests(sandbox: Sandbox): string[] {
  return sandbox.requests.map((request) => request.route ?? `${request.method} ${request.path}`);
}

export function writes(sandbox: Sandbox): string[] {
  return requests(sandbox).filter((route) => !route.startsWith("GET "));
}

/** `count` small files `src/f0000.ts` … */
export function manyFiles(count: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`src/f${String(i).padStart(4, "0")}.ts`, `export const v${i} = ${i};\n`]));
}

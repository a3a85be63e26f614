/**
 * The `orkestra/config` check run: a pull request that changes `.github/orkestra.yml` (or the
 * Action's `config-path`) learns before merging whether the file at its head is valid. The file is
 * read through the API at the head commit (forks included) and only parsed: the configuration in
 * force stays the base branch's. Pull requests that do not touch the file cost nothing more when
 * the review listed their files already, else one listing of their files.
 */
import { parseConfig } from "../../config/load.js";
import { CONFIG_CHECK_NAME, renderConfigCheck, type ConfigAtHead } from "../../domain/review/config-check.js";
import type { PullDetails } from "../../github/port.js";
import type { RunContext } from "../../runtime/context.js";
import { configPathOf } from "../config.js";
import type { LazyDiff } from "./gather.js";

/** Actions after which the head's configuration may differ from what was checked. */
export const CONFIG_CHECK_ACTIONS = new Set(["opened", "synchronize", "reopened"]);

/** Whether the pull request adds, changes, deletes or renames the configuration file. */
async function touchesConfig(ctx: RunContext, pr: PullDetails, diff: LazyDiff, file: string): Promise<boolean> {
  const paths = diff.read()
    ? (await diff()).files.flatMap((entry) => [entry.path, entry.previousPath])
    : (await ctx.github.listPullFiles(pr.number)).flatMap((entry) => [entry.filename, entry.previous_filename]);
  return paths.includes(file);
}

export async function checkConfigChange(ctx: RunContext, pr: PullDetails, diff: LazyDiff): Promise<void> {
  const file = configPathOf(ctx);
  if (!(await touchesConfig(ctx, pr, diff, file))) return;
  const text = await ctx.github.getFile(file, pr.headSha);
  const parsed = text === null ? null : parseConfig(text);
  const head: ConfigAtHead = parsed === null ? { kind: "deleted" } : { kind: "parsed", problems: parsed.ok ? [] : parsed.errors };
  const plan = renderConfigCheck(file, head, pr.headSha.slice(0, 7));
  const now = ctx.clock.now().toISOString();
  const why = `${file} at ${pr.headSha.slice(0, 7)}: ${plan.title}`;
  const id = await ctx.perform({
    kind: "create-check-run",
    issue: pr.number,
    run: { name: CONFIG_CHECK_NAME, headSha: pr.headSha, status: "in_progress", startedAt: now, externalId: `pr-${pr.number}` },
    why,
  });
  const output = { title: plan.title, summary: plan.summary, annotations: plan.annotations };
  await ctx.apply([{ kind: "update-check-run", issue: pr.number, checkRunId: id ?? 0, name: CONFIG_CHECK_NAME, update: { status: "completed", conclusion: plan.conclusion, completedAt: now, output }, why }]);
  ctx.report.notes.push(`#${pr.number}: ${why}`);
}

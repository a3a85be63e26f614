import { call } from "../errors.js";
import type { CheckRunUpdate, CheckSuiteData } from "../port.js";
import type { Connection } from "./client.js";
import { toCheckSuite } from "./convert.js";

export async function createCheckRun(
  { octokit, repo }: Connection,
  run: { name: string; headSha: string; status: "in_progress"; startedAt: string; externalId?: string },
): Promise<number> {
  const { data } = await call(
    octokit.rest.checks.create({
      ...repo,
      name: run.name,
      head_sha: run.headSha,
      status: run.status,
      started_at: run.startedAt,
      ...(run.externalId ? { external_id: run.externalId } : {}),
    }),
  );
  return data.id;
}

export async function updateCheckRun({ octokit, repo }: Connection, id: number, update: CheckRunUpdate): Promise<void> {
  await call(
    octokit.rest.checks.update({
      ...repo,
      check_run_id: id,
      ...(update.status ? { status: update.status } : {}),
      ...(update.conclusion ? { conclusion: update.conclusion } : {}),
      ...(update.completedAt ? { completed_at: update.completedAt } : {}),
      ...(update.output ? { output: update.output } : {}),
    }),
  );
}

export async function listCheckSuites({ octokit, repo }: Connection, ref: string): Promise<CheckSuiteData[]> {
  const suites = await call(octokit.paginate(octokit.rest.checks.listSuitesForRef, { ...repo, ref, per_page: 100 }));
  return suites.map(toCheckSuite);
}

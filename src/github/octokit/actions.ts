import { call, orNull } from "../errors.js";
import type { WorkflowRunData, WorkflowRunFilter } from "../port.js";
import type { Connection } from "./client.js";
import { toWorkflowRun } from "./convert.js";

export async function dispatchWorkflow(
  { octokit, repo }: Connection,
  workflow: string | number,
  ref: string,
  inputs: Record<string, string>,
): Promise<number | null> {
  // With return_run_details GitHub answers 200 and the run's id; a server without it answers 204.
  const response = await call(
    octokit.request("POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches", { ...repo, workflow_id: workflow, ref, inputs, return_run_details: true }),
  );
  return response.status === 200 ? Number(response.data.workflow_run_id) : null;
}

export async function listWorkflowRuns({ octokit, repo }: Connection, filter: WorkflowRunFilter = {}): Promise<WorkflowRunData[]> {
  const { headSha, ...rest } = filter;
  const { data } = await call(octokit.rest.actions.listWorkflowRunsForRepo({ ...repo, ...rest, ...(headSha ? { head_sha: headSha } : {}), per_page: 100 }));
  return data.workflow_runs.map(toWorkflowRun);
}

export async function getWorkflowRun({ octokit, repo }: Connection, id: number): Promise<WorkflowRunData | null> {
  const data = await orNull(octokit.rest.actions.getWorkflowRun({ ...repo, run_id: id }));
  return data ? toWorkflowRun(data) : null;
}

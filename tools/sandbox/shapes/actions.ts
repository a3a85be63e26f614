import { legacyNodeId } from "../ids.js";
import type { WorkflowRecord, WorkflowRunRecord } from "../workflow-records.js";
import { pullsAt, simpleCommitShape } from "./checks.js";
import { repoApi, repoHtml, type ShapeContext } from "./context.js";
import { repositoryShape } from "./repo.js";
import { userShape } from "./users.js";

/** The `workflow` of `workflow_run` webhooks. */
export function workflowShape(ctx: ShapeContext, workflow: WorkflowRecord, name: string): Record<string, unknown> {
  const file = workflow.path.split("/").pop() ?? workflow.path;
  return {
    id: workflow.id,
    node_id: workflow.nodeId,
    name,
    path: workflow.path,
    state: "active",
    created_at: workflow.createdAt,
    updated_at: workflow.createdAt,
    url: `${repoApi(ctx)}/actions/workflows/${workflow.id}`,
    html_url: `${repoHtml(ctx)}/blob/${ctx.store.repo.defaultBranch}/${workflow.path}`,
    badge_url: `${repoHtml(ctx)}/workflows/${encodeURIComponent(name)}/badge.svg?workflow=${encodeURIComponent(file)}`,
  };
}

/** `workflow-run` (REST), which the `workflow_run` webhooks carry too. */
export function workflowRunShape(ctx: ShapeContext, run: WorkflowRunRecord, options: { withPulls?: boolean } = {}): Record<string, unknown> {
  const api = `${repoApi(ctx)}/actions/runs/${run.id}`;
  const suite = ctx.store.checkSuites.get(run.checkSuiteId);
  return {
    id: run.id,
    name: run.name,
    node_id: run.nodeId,
    head_branch: run.headBranch,
    head_sha: run.headSha,
    path: run.path,
    display_title: run.displayTitle,
    run_number: run.runNumber,
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    workflow_id: run.workflowId,
    check_suite_id: run.checkSuiteId,
    check_suite_node_id: suite?.nodeId ?? legacyNodeId("CheckSuite", run.checkSuiteId),
    url: api,
    html_url: `${repoHtml(ctx)}/actions/runs/${run.id}`,
    pull_requests: options.withPulls === false ? [] : pullsAt(ctx, run.headSha),
    created_at: run.createdAt,
    updated_at: run.updatedAt,
    actor: userShape(ctx, run.actor),
    triggering_actor: userShape(ctx, run.actor),
    run_attempt: 1,
    referenced_workflows: [],
    run_started_at: run.createdAt,
    jobs_url: `${api}/jobs`,
    logs_url: `${api}/logs`,
    check_suite_url: `${repoApi(ctx)}/check-suites/${run.checkSuiteId}`,
    artifacts_url: `${api}/artifacts`,
    cancel_url: `${api}/cancel`,
    rerun_url: `${api}/rerun`,
    previous_attempt_url: null,
    workflow_url: `${repoApi(ctx)}/actions/workflows/${run.workflowId}`,
    head_commit: simpleCommitShape(ctx, run.headSha),
    repository: repositoryShape(ctx),
    head_repository: repositoryShape(ctx),
    head_repository_id: ctx.store.repo.id,
  };
}

/** A workflow file GitHub Actions knows, by path; its id is assigned on first sight and never changes. */
export interface WorkflowRecord {
  id: number;
  nodeId: string;
  /** e.g. ".github/workflows/worker.yml" */
  path: string;
  createdAt: string;
}

export type RunStatus = "queued" | "in_progress" | "completed";

export interface WorkflowRunRecord {
  id: number;
  nodeId: string;
  workflowId: number;
  path: string;
  /** The workflow's `name` (or its path) at the run's commit. */
  name: string;
  displayTitle: string;
  /** What started it: "workflow_dispatch", "push", "pull_request". */
  event: string;
  status: RunStatus;
  conclusion: string | null;
  headBranch: string | null;
  headSha: string;
  runNumber: number;
  /** Login of who caused the run. */
  actor: string;
  createdAt: string;
  updatedAt: string;
  /** The inputs of a dispatched run (defaults filled in); null for other events. */
  inputs: Record<string, unknown> | null;
  checkSuiteId: number;
}

/** A workflow run GitHub does not start because a GITHUB_TOKEN caused the event. */
export interface RunNotStarted {
  workflow: string;
  event: "push" | "pull_request";
  headSha: string;
  headBranch: string;
  because: "GITHUB_TOKEN";
}

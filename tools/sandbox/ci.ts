import type { RestEndpointMethodTypes } from "@octokit/rest";
import type { Actor } from "./auth.js";
import type { EventBus } from "./events.js";
import { isApiError } from "./http.js";
import { newCheckSuite, setSuiteState } from "./ops/check-suites.js";
import { findRun, moveRun } from "./ops/workflows.js";
import { ScriptedActor, SandboxActionError } from "./people.js";
import { workflowRunShape } from "./shapes/actions.js";
import { checkSuiteShape } from "./shapes/checks.js";
import type { ShapeContext } from "./shapes/context.js";
import type { Store } from "./store.js";
import type { RunNotStarted, WorkflowRunRecord } from "./workflow-records.js";

type WorkflowRun = RestEndpointMethodTypes["actions"]["getWorkflowRun"]["response"]["data"];
export type CheckSuite = RestEndpointMethodTypes["checks"]["getSuite"]["response"]["data"];
type RunConclusion = "success" | "failure" | "neutral" | "cancelled" | "skipped" | "timed_out" | "action_required";

/** A workflow run as GET …/actions/runs/{run_id} shows it, with the inputs it was dispatched with. */
type WorkflowRunView = WorkflowRun & { inputs: Record<string, unknown> | null };

/**
 * What GitHub Actions and other CI do, scripted: runs recorded by dispatches, pushes and pull
 * requests move along when a test says so, announcing `workflow_run` (and `check_suite`) events.
 */
export interface SandboxActions {
  /** Every workflow run, oldest first. */
  runs(): WorkflowRunView[];
  /** A queued run starts (`workflow_run.in_progress`). */
  start(runId: number): WorkflowRunView;
  /** A queued or running run completes (`workflow_run.completed`; its check suite too, `check_suite.completed`). */
  complete(runId: number, conclusion: RunConclusion): WorkflowRunView;
  /** The runs GitHub did not start because a GITHUB_TOKEN pushed or opened the pull request, in order. */
  readonly notStarted: readonly RunNotStarted[];
}

interface CiEnv {
  store: Store;
  shapes: ShapeContext;
  bus: EventBus;
}

/** Who caused a run acts for its later events: the Actions bot, the app's bot, or a person. */
function actorOf(store: Store, login: string): Actor {
  const user = store.user(login);
  const kind = user.login === store.actionsApp.botLogin ? "actions" : user.login === store.app.botLogin ? "installation" : "person";
  return { kind, login: user.login, type: user.type };
}

export function ciActions(env: CiEnv): SandboxActions {
  const view = (run: WorkflowRunRecord): WorkflowRunView => ({ ...(workflowRunShape(env.shapes, run) as unknown as WorkflowRun), inputs: run.inputs ? { ...run.inputs } : null });
  const move = (runId: number, status: "in_progress" | "completed", conclusion?: RunConclusion) => {
    const run = findRun(env.store, runId);
    if (isApiError(run)) throw new SandboxActionError(run.status, `no workflow run ${runId}`);
    return view(new ScriptedActor(env, actorOf(env.store, run.actor)).run(undefined, (op) => moveRun(op, run, status, conclusion ?? null)));
  };
  return {
    runs: () => [...env.store.workflowRuns.values()].sort((a, b) => a.id - b.id).map(view),
    start: (runId) => move(runId, "in_progress"),
    complete: (runId, conclusion) => move(runId, "completed", conclusion),
    notStarted: env.store.runsNotStarted,
  };
}

/**
 * A check suite added by a test: GitHub Actions' (default), the Orkestra app's, or a third-party CI
 * app's (`ci`), on a commit or branch. As on GitHub, a suite GitHub Actions created starts no
 * workflow when it completes (its events come from the Actions bot); another app's does.
 */
export interface CheckSuiteInput {
  /** A commit sha or a branch name. */
  ref: string;
  /** Completes the suite (`check_suite.completed`); without it the suite is queued. */
  conclusion?: RunConclusion;
  app?: "actions" | "orkestra" | "ci";
}

export function addCheckSuite(env: CiEnv, input: CheckSuiteInput): CheckSuite {
  const sha = env.store.git.resolve(input.ref);
  if (!sha) throw new SandboxActionError(422, `No commit found for SHA: ${input.ref}`);
  const app = input.app === "orkestra" ? "app" : input.app === "ci" ? "ci" : "actions";
  const suite = newCheckSuite(env.store, app, sha, { status: "queued", conclusion: null });
  const botLogin = env.store.suiteApp(suite).botLogin;
  const owner: Actor = app === "actions" ? { kind: "actions", login: botLogin, type: "Bot" } : { kind: "installation", login: botLogin, type: "Bot" };
  if (input.conclusion) new ScriptedActor(env, owner).run(undefined, (op) => setSuiteState(op, suite, "completed", input.conclusion!));
  return checkSuiteShape(env.shapes, suite) as unknown as CheckSuite;
}

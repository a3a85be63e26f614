/**
 * GitHub Actions for one workflow on the sandbox: each event the sandbox emits (not caused by the
 * Actions token, as on GitHub) starts the jobs it reaches (`on:` × `if:`), and each job runs the
 * real Action door with a GITHUB_TOKEN holding exactly that job's `permissions:`, passed only as
 * the `github-token` input as on a runner.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { runAction, runActionMode } from "../../src/action/main.js";
import type { RunReport, Services } from "../../src/runtime/context.js";
import { silentLogger } from "../../src/shared/logger.js";
import type { Harness } from "../support/harness.js";
import { jobsFor, lowered, tokenPermissions, type Job, type Workflow } from "./workflow.js";

export interface JobRun {
  job: string;
  event: string;
  permissions: Record<string, string>;
  report: RunReport | null;
  /** What went wrong: requests GitHub refused with 403, errors, a ledger append that failed, a throw. */
  problems: string[];
}

/** One permission of one job, one step lower than the workflow grants. */
export interface Lowering {
  job: string;
  permission: string;
}

const TOKEN_INPUT = "INPUT_GITHUB-TOKEN";

export class ActionsRunner {
  readonly runs: JobRun[] = [];
  /** Applies to the runs started from now on (the world is built with the workflow as written). */
  lowering: Lowering | null = null;
  private readonly dir = mkdtempSync(join(tmpdir(), "orkestra-workflow-"));
  private count = 0;

  constructor(
    private readonly h: Harness,
    private readonly workflow: Workflow,
    private readonly agentOptions: NonNullable<Services["agentOptions"]>,
    /** The repository's secrets, for the steps' `with:` that name them. */
    private readonly secrets: Record<string, string> = {},
  ) {
    h.sandbox.onEvent(async (event) => {
      if (!event.viaActionsToken) await this.start(event.name, event.payload);
    });
  }

  /** Starts the jobs an event reaches, one after the other; returns their runs. */
  async start(name: string, payload: Record<string, unknown>): Promise<JobRun[]> {
    const runs: JobRun[] = [];
    // A pull request's webhook starts `pull_request` and `pull_request_target` workflows alike.
    for (const trigger of name === "pull_request" ? [name, "pull_request_target"] : [name]) {
      for (const job of jobsFor(this.workflow, trigger, payload)) runs.push(await this.runEvent(job, trigger, payload));
    }
    return runs;
  }

  /** A scheduled run (or one started by hand) and what it did; waits until everything it caused was handled. */
  async dispatch(name: "schedule" | "workflow_dispatch", payload: Record<string, unknown>): Promise<JobRun[]> {
    await this.h.settle();
    const runs = await this.start(name, payload);
    await this.h.settle();
    return runs;
  }

  /**
   * One dispatched run of the worker workflow (orkestra-worker.yml) as a runner plays it: the `work`
   * job (`worker-prepare` with its token, a git checkout of the base, `worker` with the step's
   * `github-token` as the workflow sets it) hands the outcome file to the `publish` job.
   */
  async worker(workflow: Workflow, inputs: Record<string, unknown>, env: Record<string, string> = {}): Promise<JobRun[]> {
    const work = workflow.jobs.find((job) => job.name === "work")!;
    const publish = workflow.jobs.find((job) => job.name === "publish")!;
    const payload = { inputs, ref: `refs/heads/${this.h.sandbox.defaultBranch}`, workflow: ".github/workflows/orkestra-worker.yml", repository: { default_branch: this.h.sandbox.defaultBranch, private: false } };
    const jobInputs = Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, String(value)]));
    const stepWith = (job: Job, mode: string) => job.steps.find((step) => step.with?.mode === mode)!.with!;
    const temp = mkdtempSync(join(this.dir, "work-"));
    const prepared = await this.run(work, "workflow_dispatch", payload, (token) =>
      this.mode({ ...this.jobEnv("workflow_dispatch", payload, token), RUNNER_TEMP: temp, INPUT_MODE: "worker-prepare", ...jobInputs }),
    );
    const base = prepared.outputs?.["base-sha"];
    const runs = [prepared.run];
    if (!base) return runs;
    // The CLI's step gets the job's token unless the workflow sets its `github-token` (to nothing, say).
    const workToken = stepWith(work, "worker")["github-token"];
    const cliToken = typeof workToken === "string" ? workToken : undefined;
    const worked = await this.run(work, "workflow_dispatch", payload, (token) =>
      this.mode({ ...this.jobEnv("workflow_dispatch", payload, cliToken ?? token), ...env, RUNNER_TEMP: temp, INPUT_MODE: "worker", "INPUT_CHECKOUT-PATH": this.checkout(base), ...jobInputs }),
    );
    runs.push(worked.run);
    const publishTemp = mkdtempSync(join(this.dir, "publish-"));
    const artifact = join(publishTemp, "orkestra-outcome", "outcome.json");
    mkdirSync(dirname(artifact), { recursive: true });
    copyFileSync(worked.outputs!["outcome-path"]!, artifact);
    const published = await this.run(publish, "workflow_dispatch", payload, (token) =>
      this.mode({ ...this.jobEnv("workflow_dispatch", payload, token), RUNNER_TEMP: publishTemp, INPUT_MODE: "publish", "INPUT_WORK-RESULT": "success", ...jobInputs }),
    );
    runs.push(published.run);
    await this.h.settle();
    return runs;
  }

  /** One step of the Orkestra Action in the `mode` its environment names. */
  private mode(env: Record<string, string>) {
    return withInputs(env, () => runActionMode({ env, clock: this.h.clock, log: silentLogger, throttle: false, agentOptions: this.agentOptions }));
  }

  /** What actions/checkout gives the job: a git checkout of the sandbox's commit. */
  private checkout(sha: string): string {
    const dir = mkdtempSync(join(this.dir, "checkout-"));
    const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, encoding: "utf8" });
    git("init", "-q", "-b", "main");
    const store = this.h.sandbox.internals.store.git;
    for (const [path, entry] of store.treeOf(sha)!) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), store.blobs.get(entry.sha)!);
    }
    git("add", "-A");
    git("-c", "user.name=runner", "-c", "user.email=runner@example.com", "-c", "commit.gpgsign=false", "commit", "-q", "-m", "checkout");
    return dir;
  }

  private permissionsOf(job: Job): Record<string, "read" | "write" | "none"> {
    const permissions = { ...job.permissions };
    if (this.lowering?.job === job.name) permissions[this.lowering.permission] = lowered(permissions[this.lowering.permission] ?? "none");
    return permissions;
  }

  /** A job's environment on the runner; the token reaches the Action only as its `github-token` input. */
  private jobEnv(name: string, payload: Record<string, unknown>, token: string): Record<string, string> {
    const { sandbox } = this.h;
    const eventPath = join(this.dir, `event-${++this.count}.json`);
    writeFileSync(eventPath, JSON.stringify(payload));
    return {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      GITHUB_EVENT_NAME: name,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_REPOSITORY: `${sandbox.owner}/${sandbox.repo}`,
      GITHUB_API_URL: sandbox.url,
      GITHUB_REF: `refs/heads/${sandbox.defaultBranch}`,
      GITHUB_RUN_ID: String(this.count),
      [TOKEN_INPUT]: token,
    };
  }

  private async runEvent(job: Job, name: string, payload: Record<string, unknown>): Promise<JobRun> {
    const { clock } = this.h;
    const done = await this.run(job, name, payload, async (token) => {
      const env = { ...this.jobEnv(name, payload, token), ...this.secretInputs(job) };
      return { report: await withInputs(env, () => runAction({ env, clock, log: silentLogger, throttle: false, agentOptions: this.agentOptions })), outputs: {} };
    });
    return done.run;
  }

  /** The Orkestra step's inputs that are secrets (`key: ${{ secrets.NAME }}`), as the runner hands them over. */
  private secretInputs(job: Job): Record<string, string> {
    const step = job.steps.find((candidate) => candidate.uses?.startsWith("orkestra/orkestra@"));
    const inputs: Record<string, string> = {};
    for (const [name, value] of Object.entries(step?.with ?? {})) {
      const secret = /^\$\{\{\s*secrets\.(\w+)\s*\}\}$/.exec(String(value))?.[1];
      if (secret && this.secrets[secret]) inputs[`INPUT_${name.toUpperCase()}`] = this.secrets[secret];
    }
    return inputs;
  }

  /** Runs one step of a job with a token holding the job's permissions, and records what went wrong. */
  private async run(
    job: Job,
    name: string,
    payload: Record<string, unknown>,
    step: (token: string) => Promise<{ report: RunReport; outputs: Record<string, string> }>,
  ): Promise<{ run: JobRun; outputs: Record<string, string> | null }> {
    const { sandbox } = this.h;
    const permissions = this.permissionsOf(job);
    sandbox.setActionsPermissions(tokenPermissions(permissions));
    const first = sandbox.requests.length;
    const problems: string[] = [];
    let report: RunReport | null = null;
    let outputs: Record<string, string> | null = null;
    try {
      ({ report, outputs } = await step(sandbox.tokens.actions));
      problems.push(...report.errors.map((error) => `error: ${error}`));
      if (report.ledger && "failed" in report.ledger) problems.push(report.ledger.failed);
    } catch (error) {
      problems.push(`threw: ${String(error)}`);
    }
    for (const request of sandbox.requests.slice(first)) {
      if (request.status === 403) problems.push(`403 ${request.route ?? `${request.method} ${request.path}`}`);
    }
    const run = { job: job.name, event: name, permissions, report, problems };
    this.runs.push(run);
    return { run, outputs };
  }
}

/**
 * A runner puts a step's inputs in its process environment, where @actions/core reads them; the
 * Action may read them there or from the environment it is given, so both hold them for the step.
 */
async function withInputs<T>(env: Record<string, string>, step: () => Promise<T>): Promise<T> {
  const inputs = Object.entries(env).filter(([name]) => name.startsWith("INPUT_"));
  for (const [name, value] of inputs) process.env[name] = value;
  try {
    return await step();
  } finally {
    for (const [name] of inputs) delete process.env[name];
  }
}

/**
 * Each job of examples/workflows/orkestra.yml against what its events need, through the real
 * Action door on the sandbox with a token holding exactly the job's `permissions:`:
 * (a) every representative event of the job runs with no request refused and nothing lost (no
 *     error, the decision ledger appended);
 * (b) least privilege: each permission one step lower (write → read, read → none) makes at least
 *     one of those events fail or lose something — else the job would not need it.
 * The worlds are built by the workflow itself: every event people cause on the way runs the jobs
 * it reaches, with their own permissions.
 */
import { afterEach, describe, expect, it } from "vitest";
import { scriptedToolsProvider } from "../../tools/scripted/tools.js";
import { scriptedProvider } from "../../tools/scripted/index.js";
import { scriptedAgentsConfig } from "../support/config.js";
import { dashboards, tick } from "../support/dashboard.js";
import { labelsOf, startHarness, type Harness } from "../support/harness.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { approve, blocker, changedApp, checkRunsOf, openPr, scriptReviews } from "../review-handler/support.js";
import { ActionsRunner, type JobRun, type Lowering } from "./actions-runner.js";
import { jobsFor, readWorkflow, ROOT } from "./workflow.js";

const WORKFLOW = readWorkflow("examples/workflows/orkestra.yml");
const WORKER_WORKFLOW = readWorkflow("examples/workflows/orkestra-worker.yml");
const WORKER = readFileSync(join(ROOT, "examples/workflows/orkestra-worker.yml"), "utf8");
const MINUTE = 60_000;

const ASSIGNMENT = ["assignment:", "  auto: false", "  leaseMinutes: 60"];
const API = scriptedAgentsConfig({ alpha: {}, beta: {} }, ["execution:", "  enabled: true", ...ASSIGNMENT].join("\n"));
const CLI = scriptedAgentsConfig({ alpha: {}, beta: {} }, ["execution:", "  enabled: true", "  mode: cli", ...ASSIGNMENT].join("\n"));
const AUTO = scriptedAgentsConfig({ alpha: {}, beta: {} }, ["execution:", "  enabled: true", "assignment:", "  auto: true"].join("\n"));
const FAKE_COPILOT = join(ROOT, "tests/worker/fixtures/copilot-edit.mjs");
const COPILOT_KEY = "github_pat_copilot_worker_test_0000";
/** Copilot works in the worker workflow (its CLI); `beta` reviews. */
const COPILOT = [
  "agents:",
  ...["claude", "chatgpt", "gemini", "grok"].map((name) => `  ${name}: { enabled: false }`),
  `  copilot: { enabled: true, command: ${JSON.stringify(FAKE_COPILOT)} }`,
  "  custom:",
  "    beta: { provider: scripted, model: scripted, specialties: [] }",
  "execution:",
  "  enabled: true",
].join("\n");
const AUTO_CLI = scriptedAgentsConfig({ alpha: {}, beta: {} }, ["execution:", "  enabled: true", "  mode: cli", "assignment:", "  auto: true"].join("\n"));

interface World {
  h: Harness;
  runner: ActionsRunner;
  /** The configuration the world started with. */
  config: string;
}

/**
 * A representative event of a job: `setup` builds its world (every event on the way runs the jobs
 * it reaches, with the workflow's permissions) and returns the event itself, which returns its runs.
 */
interface Representative {
  name: string;
  config: string;
  setup(world: World): Promise<() => Promise<JobRun[]>>;
  /** What the event did, with the job's permissions as written. */
  did?(h: Harness): void;
}

async function task({ h }: World, title = "Greet people by name"): Promise<number> {
  const issue = h.sandbox.as("alice").openIssue({ title, body: "## Acceptance criteria\n\n- greets by name" });
  await h.settle();
  return issue.number;
}

/** What a person does, and the runs it started. */
function act({ h, runner }: World, what: () => unknown): () => Promise<JobRun[]> {
  return async () => {
    const before = runner.runs.length;
    what();
    await h.settle();
    return runner.runs.slice(before);
  };
}

async function comment(world: World, number: number, body: string): Promise<void> {
  await act(world, () => world.h.sandbox.as("alice").comment(number, body))();
}

/** A task `alpha` delivered in API mode: its pull request opened and reviewed within the /assign run. */
async function delivered(world: World): Promise<{ number: number; pr: number }> {
  const number = await task(world);
  await comment(world, number, "/assign alpha");
  const pr = world.h.sandbox.state.pulls()[0];
  if (!pr) throw new Error("the agent opened no pull request");
  return { number, pr: pr.number };
}

/** A task Copilot delivered through the worker workflow (its run played as a runner would): the pull request's number. */
async function cliDelivered(world: World): Promise<number> {
  await comment(world, await task(world), "/assign copilot");
  const run = world.h.sandbox.actions.runs()[0];
  if (!run?.inputs) throw new Error("no worker run was dispatched");
  await world.runner.worker(WORKER_WORKFLOW, run.inputs, { "INPUT_COPILOT-GITHUB-TOKEN": COPILOT_KEY });
  const pr = world.h.sandbox.state.pulls()[0];
  if (!pr) throw new Error("the worker opened no pull request");
  return pr.number;
}

/** The dashboard issue the first sweep opens (with `assignment.auto` off for that sweep, so the ready task waits). */
async function openDashboard(world: World) {
  const { h, runner, config } = world;
  h.sandbox.setFile(".github/orkestra.yml", config.replace("auto: true", "auto: false"));
  await runner.dispatch("schedule", SCHEDULE);
  h.sandbox.setFile(".github/orkestra.yml", config);
  h.clock.advance(20 * MINUTE);
  const dashboard = dashboards(h)[0];
  if (!dashboard) throw new Error(`the sweep opened no dashboard: ${JSON.stringify(runner.runs.at(-1))}`);
  return dashboard;
}

const SCHEDULE = { schedule: "23,53 * * * *", workflow: ".github/workflows/orkestra.yml" };

const REPRESENTATIVES: Record<string, Representative[]> = {
  commands: [
    {
      name: "/priority and /status on a task",
      config: API,
      setup: async (world) => {
        const number = await task(world);
        return act(world, () => world.h.sandbox.as("alice").comment(number, "/priority high\n/status blocked waiting for the API"));
      },
    },
    {
      name: "/assign to an agent in API mode (it opens its pull request, the other agent reviews)",
      config: API,
      did: (h) => expect(h.sandbox.state.pulls()).toHaveLength(1),
      setup: async (world) => {
        const number = await task(world);
        return act(world, () => world.h.sandbox.as("alice").comment(number, "/assign alpha"));
      },
    },
    {
      name: "/assign to a CLI agent (dispatches the worker workflow)",
      config: CLI,
      did: (h) => expect(h.sandbox.actions.runs()).toHaveLength(1),
      setup: async (world) => {
        const number = await task(world);
        return act(world, () => world.h.sandbox.as("alice").comment(number, "/assign alpha"));
      },
    },
    {
      name: "a command in a review comment on an agent's pull request",
      config: API,
      setup: async (world) => {
        const { pr } = await delivered(world);
        const comments = [{ path: "src/greet.ts", line: 1, side: "RIGHT" as const, body: "/priority high" }];
        return act(world, () => world.h.sandbox.as("alice").review(pr, { event: "COMMENT", comments }));
      },
    },
  ],
  tasks: [
    {
      name: "a new issue becomes a task",
      config: API,
      did: (h) => expect(labelsOf(h.sandbox, 1)).toContain("orkestra:task"),
      setup: async (world) => act(world, () => world.h.sandbox.as("alice").openIssue({ title: "Write the docs", body: "## Acceptance criteria\n\n- documented" })),
    },
    {
      name: "a person labels a task `agent:alpha` (API mode)",
      config: API,
      setup: async (world) => {
        const number = await task(world);
        return act(world, () => world.h.sandbox.as("alice").addLabels(number, ["agent:alpha"]));
      },
    },
    {
      name: "a person labels a task `agent:alpha` (CLI mode)",
      config: CLI,
      setup: async (world) => {
        const number = await task(world);
        return act(world, () => world.h.sandbox.as("alice").addLabels(number, ["agent:alpha"]));
      },
    },
    {
      name: "a person closes a task a CLI agent is working on (its lock released)",
      config: CLI,
      setup: async (world) => {
        const number = await task(world);
        await comment(world, number, "/assign alpha");
        return act(world, () => world.h.sandbox.as("alice").closeIssue(number, "not_planned"));
      },
    },
  ],
  review: [
    {
      name: "a person's pull request every agent blocks (review, check, the blocked label)",
      config: API,
      did: (h) => expect(labelsOf(h.sandbox, h.sandbox.state.pulls()[0]!.number).join()).toMatch(/block/),
      setup: async (world) => {
        unscript.push(scriptReviews(() => blocker("This loop never ends.")));
        return act(world, () => world.h.sandbox.as("alice").openPullRequest({ title: "Change the app", body: "Please review.", head: "feature", files: [changedApp()] }));
      },
    },
    {
      name: "a person opens a pull request from an agent's branch",
      config: API,
      setup: async (world) => {
        const number = await task(world);
        return act(world, () =>
          world.h.sandbox.as("alice").openPullRequest({
            title: "Greet people by name",
            body: `Closes #${number}`,
            head: `orkestra/${number}-greet-people-by-name`,
            files: [{ path: "src/greet.ts", before: "export const greet = () => 'hi';\n", after: "export const greet = (name: string) => `hi ${name}`;\n" }],
          }),
        );
      },
    },
    {
      name: "Re-run on the review check, handed to the workflow (GitHub starts none for a GITHUB_TOKEN's check run)",
      config: API,
      setup: async (world) => {
        const { h, runner } = world;
        const pr = await openPr(h);
        const [check] = checkRunsOf(h, pr);
        h.clock.advance(MINUTE);
        h.sandbox.as("alice").rerunCheck(check!.id);
        await h.settle();
        const event = h.sandbox.deliveries.filter((delivery) => delivery.name === "check_run").at(-1)!;
        return async () => {
          const runs = await runner.start("check_run", event.payload);
          await h.settle();
          return runs;
        };
      },
    },
  ],
  feedback: [
    {
      name: "red CI on an agent's pull request (another round, API mode)",
      config: API,
      did: (h) => expect(h.sandbox.state.pulls()[0]!.commits).toBe(2),
      setup: async (world) => {
        const { pr } = await delivered(world);
        const head = world.h.sandbox.state.pull(pr)!.head.sha;
        return act(world, () => world.h.sandbox.addCheckSuite({ ref: head, conclusion: "failure", app: "ci" }));
      },
    },
    {
      name: "a person requests changes on a CLI agent's pull request (the next round is dispatched)",
      config: COPILOT,
      did: (h) => expect(h.sandbox.actions.runs().map((run) => run.inputs?.round)).toEqual(["1", "2"]),
      setup: async (world) => {
        const pr = await cliDelivered(world);
        return act(world, () => world.h.sandbox.as("alice").review(pr, { event: "REQUEST_CHANGES", body: "Please also greet in French." }));
      },
    },
  ],
  dashboard: [
    {
      name: "ticking 'Run the sweep now' assigns a ready task to a CLI agent (dispatch)",
      config: AUTO_CLI,
      did: (h) => expect(h.sandbox.actions.runs()).toHaveLength(1),
      setup: async (world) => {
        await task(world);
        const dashboard = await openDashboard(world);
        return act(world, () => world.h.sandbox.as("alice").editIssue(dashboard.number, { body: tick(dashboard.body ?? "", '{"kind":"sweep"}') }));
      },
    },
    {
      name: "ticking 'Run the sweep now' assigns a ready task in API mode (the agent opens its pull request)",
      config: AUTO,
      did: (h) => expect(h.sandbox.state.pulls()).toHaveLength(1),
      setup: async (world) => {
        await task(world);
        const dashboard = await openDashboard(world);
        return act(world, () => world.h.sandbox.as("alice").editIssue(dashboard.number, { body: tick(dashboard.body ?? "", '{"kind":"sweep"}') }));
      },
    },
  ],
  sweep: [
    {
      name: "a scheduled sweep with a CLI agent's worker still running past its lease (reads the run, renews the lease)",
      config: CLI,
      did: (h) => expect(labelsOf(h.sandbox, 1)).toContain("status:in-progress"),
      setup: async (world) => {
        const { h, runner } = world;
        await comment(world, await task(world), "/assign alpha");
        const run = h.sandbox.actions.runs()[0]!;
        h.sandbox.actions.start(run.id);
        await h.settle();
        h.clock.advance(61 * MINUTE);
        return () => runner.dispatch("schedule", SCHEDULE);
      },
    },
    {
      name: "a scheduled sweep assigns a ready task in API mode (the agent opens its pull request)",
      config: AUTO,
      did: (h) => expect(h.sandbox.state.pulls()).toHaveLength(1),
      setup: async (world) => {
        await task(world);
        world.h.clock.advance(20 * MINUTE);
        return () => world.runner.dispatch("schedule", SCHEDULE);
      },
    },
    {
      name: "a sweep started by hand assigns a ready task to a CLI agent (dispatch)",
      config: AUTO_CLI,
      did: (h) => expect(h.sandbox.actions.runs()).toHaveLength(1),
      setup: async (world) => {
        await task(world);
        world.h.clock.advance(20 * MINUTE);
        const payload = { inputs: { "dry-run": false }, ref: "refs/heads/main", workflow: ".github/workflows/orkestra.yml", sender: { login: "mona", type: "User" } };
        return () => world.runner.dispatch("workflow_dispatch", payload);
      },
    },
  ],
};

const open: Harness[] = [];

async function world(config: string): Promise<World> {
  const agentOptions = { scripted: scriptedProvider(), scriptedTools: scriptedToolsProvider() };
  const h = await startHarness(
    "action",
    {
      files: { ".github/orkestra.yml": config, ".github/workflows/orkestra-worker.yml": WORKER, "README.md": "# Demo\n", "src/greet.ts": "export const greet = () => 'hi';\n" },
      htmlBase: "https://github.test",
    },
    { autoDeliver: false, agentOptions },
  );
  open.push(h);
  return { h, config, runner: new ActionsRunner(h, WORKFLOW, agentOptions, { COPILOT_GITHUB_TOKEN: COPILOT_KEY }) };
}

/** Builds the world with the workflow as written, then runs the event with `lowering` applied. */
async function playWith(representative: Representative, lowering: Lowering | null = null): Promise<{ runs: JobRun[]; all: JobRun[]; h: Harness }> {
  const w = await world(representative.config);
  const event = await representative.setup(w);
  w.runner.lowering = lowering;
  return { runs: await event(), all: w.runner.runs, h: w.h };
}

/** The runs of one job for the event. */
async function play(job: string, representative: Representative, lowering: Lowering | null = null): Promise<{ runs: JobRun[]; all: JobRun[] }> {
  const { runs, all } = await playWith(representative, lowering);
  return { runs: runs.filter((run) => run.job === job), all };
}

function problemsOf(runs: JobRun[]): string[] {
  return runs.flatMap((run) => run.problems.map((problem) => `${run.job} (${run.event}): ${problem}`));
}

/** Scripted review answers to take back after each play. */
const unscript: (() => void)[] = [];

async function closeAll(): Promise<void> {
  for (const undo of unscript.splice(0)) undo();
  for (const h of open.splice(0)) await h.close();
}

afterEach(closeAll);

it("the workflow grants nothing by default", () => {
  expect(WORKFLOW.permissions).toEqual({});
});

describe.each(Object.entries(REPRESENTATIVES))("the `%s` job", (job, representatives) => {
  const spec = WORKFLOW.jobs.find((candidate) => candidate.name === job)!;

  it("exists, asks for its own permissions and has its own concurrency group", () => {
    expect(spec).toBeDefined();
    expect(Object.keys(spec.permissions).length).toBeGreaterThan(0);
    expect(spec.concurrency?.group).toBeTruthy();
  });

  it.each(representatives.map((representative) => [representative.name, representative] as const))(
    "%s: runs with exactly its permissions, nothing refused or lost",
    async (_name, representative) => {
      const { runs, all, h } = await playWith(representative);
      expect(runs.filter((run) => run.job === job).length).toBeGreaterThan(0);
      expect(problemsOf(all)).toEqual([]);
      representative.did?.(h);
    },
    60_000,
  );

  it.each(Object.keys(spec.permissions))(
    "needs `%s` as granted: one step lower, one of its events fails or loses something",
    async (permission) => {
      const failures: string[] = [];
      for (const representative of representatives) {
        const { runs } = await play(job, representative, { job, permission });
        failures.push(...problemsOf(runs));
        await closeAll();
        if (failures.length > 0) break;
      }
      expect(failures).not.toEqual([]);
    },
    120_000,
  );
});


describe("which job each event starts", () => {
  const person = { login: "alice", type: "User" };
  const sample = { issue: { number: 1 }, pull_request: { number: 2 }, comment: { body: "/status done", user: person }, review: { state: "changes_requested", user: person }, sender: person };
  it.each([
    ["issues", "opened", ["tasks"]],
    ["issues", "labeled", ["tasks"]],
    ["issues", "edited", ["tasks"]],
    ["issue_comment", "created", ["commands"]],
    ["pull_request_review_comment", "created", ["commands"]],
    ["pull_request_target", "synchronize", ["review"]],
    ["check_run", "rerequested", ["review"]],
    ["pull_request_review", "submitted", ["feedback"]],
    ["pull_request_review", "dismissed", ["feedback"]],
    ["check_suite", "completed", ["feedback"]],
    ["schedule", undefined, ["sweep"]],
    ["workflow_dispatch", undefined, ["sweep"]],
    // Not listened to: GitHub starts no run.
    ["check_run", "completed", []],
    ["pull_request_review_comment", "edited", []],
    ["issue_dependencies", "blocked_by_added", []],
  ] as const)("%s.%s → %j", (name, action, jobs) => {
    const payload = { ...sample, ...(action ? { action } : {}) };
    expect(jobsFor(WORKFLOW, name, payload).map((job) => job.name)).toEqual(jobs);
  });

  it("an edit of the dashboard issue starts the dashboard job, not the tasks job", () => {
    const dashboard = { ...sample, action: "edited", issue: { number: 3, body: '# Orkestra dashboard\n<!-- orkestra:dashboard {"digest":"x"} -->' } };
    expect(jobsFor(WORKFLOW, "issues", dashboard).map((job) => job.name)).toEqual(["dashboard"]);
    expect(jobsFor(WORKFLOW, "issues", { ...dashboard, action: "labeled" }).map((job) => job.name)).toEqual(["tasks"]);
  });
});

describe("the worker workflow (orkestra-worker.yml)", () => {
  const work = WORKER_WORKFLOW.jobs.find((job) => job.name === "work")!;
  const publish = WORKER_WORKFLOW.jobs.find((job) => job.name === "publish")!;

  it("grants nothing by default; the job where agent code runs can write nothing and is handed no token", () => {
    expect(WORKER_WORKFLOW.permissions).toEqual({});
    expect(Object.values(work.permissions).every((level) => level === "read")).toBe(true);
    const text = JSON.stringify(work.steps);
    // No step passes a token on: not as an input, not in an environment, not the checkout's credentials.
    expect(text).not.toMatch(/"github-token"|secrets\.GITHUB_TOKEN|GH_TOKEN|github\.token/);
    const checkout = work.steps.find((step) => step.uses?.startsWith("actions/checkout@"))!;
    expect(checkout.with?.["persist-credentials"]).toBe(false);
    // The publish job runs no agent code: only Orkestra and the artifact.
    expect(publish.steps.map((step) => step.uses?.replace(/@.*/, ""))).toEqual(["actions/download-artifact", "orkestra/orkestra"]);
  });

  /**
   * A task assigned to Copilot, its worker run dispatched; the event is that run and the next, played
   * as a runner would: `beta` blocks round 1 (round 2 is dispatched, reading the pull request), then approves.
   */
  const dispatched: Representative = {
    name: "a dispatched Copilot task: prepare, the CLI, publish (pull request, review, round 2 dispatched), round 2",
    config: COPILOT,
    setup: async (world) => {
      await comment(world, await task(world), "/assign copilot");
      let reviews = 0;
      unscript.push(scriptReviews(() => (++reviews === 1 ? blocker("Document greet.") : approve())));
      const play = (index: number) => {
        const run = world.h.sandbox.actions.runs()[index];
        return run?.inputs ? world.runner.worker(WORKER_WORKFLOW, run.inputs, { "INPUT_COPILOT-GITHUB-TOKEN": COPILOT_KEY }) : Promise.resolve([]);
      };
      return async () => [...(await play(0)), ...(await play(1))];
    },
  };

  it("runs with exactly its jobs' permissions, nothing refused or lost", async () => {
    const { all, h } = await playWith(dispatched);
    expect(problemsOf(all)).toEqual([]);
    expect(h.sandbox.state.pulls()).toHaveLength(1);
    expect(h.sandbox.actions.runs().map((run) => run.inputs?.round)).toEqual(["1", "2"]);
    expect(all.filter((run) => run.job === "publish")).toHaveLength(2);
  }, 60_000);

  it.each([...Object.keys(work.permissions).map((permission) => ["work", permission]), ...Object.keys(publish.permissions).map((permission) => ["publish", permission])])(
    "`%s` needs `%s` as granted: one step lower, the run fails or loses something",
    async (job, permission) => {
      const { runs } = await play(job, dispatched, { job, permission });
      expect(problemsOf(runs)).not.toEqual([]);
    },
    60_000,
  );
});

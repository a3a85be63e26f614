/**
 * What the dashboard issue and the decision ledger add to a scheduled sweep (issue 15), on a board
 * of N open tasks (default 1,000; `--sizes 100,1000`):
 *
 *   npx tsx bench/dashboard.ts [--sizes 1000]
 *
 * Worlds (bench/sweep-worlds.ts), each seeded at 09:00 and swept through the Action door as a
 * runner starts it (`runAction`, a `schedule` payload, the job token only as the `github-token`
 * input): (b) every task pending, two agents at their limit; (c) the busy mix (stale leases, failed
 * tasks, a vote past its deadline, an orphan lock) — with the day's usage record of agents that
 * worked this morning (its spending and health feed the dashboard's agents). Each world is swept four times:
 *   1. 12:00 — the first sweep: it opens the dashboard;
 *   2. 12:15 — nothing happened since: the goal is no request for the dashboard or the ledger;
 *   3. 12:30 — after a person closed one task at 12:20 (an event's run did its part): the board changed;
 *   4. 12:45 — after a person re-opened it: changed again (in the busy world, sweep 1 did the work).
 * The same sequence runs once with `dashboard.enabled: false`; the dashboard's requests are the
 * difference. The ledger's are counted from the log: its ref moves (`refs/orkestra/state/ledger`),
 * each with its commit, and the head re-reads after a lost race. Goal at N = 1,000: ≤ 3 requests
 * added when something changed, 0 when nothing did.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runAction } from "../src/action/main.js";
import { silentLogger } from "../src/shared/logger.js";
import { fixedClock } from "../tools/fixed-clock.js";
import { startSandbox, type Sandbox } from "../tools/sandbox/index.js";
import { repositoryShape } from "../tools/sandbox/shapes/repo.js";
import { scriptedProvider } from "../tools/scripted/index.js";
import { SEEDED_AT, WORLDS, scheduleJob, seedWorld, type WorldName } from "./sweep-worlds.js";

const sizesArg = process.argv.indexOf("--sizes");
const SIZES = sizesArg > 0 ? process.argv[sizesArg + 1]!.split(",").map(Number) : [1_000];
const STEPS = ["12:00 first sweep", "12:15 nothing changed", "12:30 a task closed", "12:45 it re-opened"] as const;
const eventDir = mkdtempSync(join(tmpdir(), "orkestra-dashboard-bench-"));

interface Step {
  total: number;
  ledger: number;
  dashboardWrites: number;
}

async function sequence(world: WorldName, total: number, dashboard: boolean): Promise<Step[]> {
  const clock = fixedClock(SEEDED_AT);
  const config = `${WORLDS.find((item) => item.name === world)!.config}${dashboard ? "" : "dashboard:\n  enabled: false\n"}`;
  const sandbox = await startSandbox({ clock, rateLimit: 1_000_000_000, validateResponses: false, collaborators: { alice: "write", bob: "write" }, files: { ".github/orkestra.yml": config } });
  try {
    seedWorld(sandbox, clock, world, total);
    seedUsage(sandbox);
    const target = { url: sandbox.url, owner: sandbox.owner, repo: sandbox.repo, defaultBranch: sandbox.defaultBranch, repository: repositoryShape(sandbox.internals.shapes) };
    const steps: Step[] = [];
    const times = ["12:00", "12:15", "12:30", "12:45"];
    for (const [index, time] of times.entries()) {
      if (index === 2) act(sandbox, clock, "12:20", (person, number) => person.closeIssue(number));
      if (index === 3) act(sandbox, clock, "12:40", (person, number) => person.reopenIssue(number));
      await sandbox.settled();
      clock.set(`2026-11-21T${time}:00Z`);
      sandbox.clearRequests();
      const before = ledgerLength(sandbox);
      process.env["INPUT_GITHUB-TOKEN"] = sandbox.tokens.actions;
      try {
        await runAction({ env: scheduleJob(mkdtempSync(join(eventDir, `${world}-`)), target), clock, log: silentLogger, throttle: false, agentOptions: { scripted: scriptedProvider() } });
      } finally {
        delete process.env["INPUT_GITHUB-TOKEN"];
      }
      steps.push(count(sandbox, before));
    }
    return steps;
  } finally {
    await sandbox.close();
  }
}

/** The agents have worked today: the day's usage record (spending and health) exists, as it does where agents hold tasks. */
function seedUsage(sandbox: Sandbox): void {
  const { git } = sandbox.internals.store;
  const head = git.resolve(sandbox.defaultBranch)!;
  const spend = (tokens: number, costUsd: number, calls: number) => ({ tokens, costUsd, calls });
  const health = (calls: number, failures: number) => ({
    calls,
    successes: calls - failures,
    failures,
    latencyTotalMs: calls * 2_400,
    lastError: null,
    breaker: "closed",
    openedAt: null,
    updatedAt: "2026-11-21T08:30:00.000Z",
  });
  const record = { ...spend(52_000, 0.41, 14), byAgent: { alpha: spend(30_000, 0.25, 8), beta: spend(22_000, 0.16, 6) }, health: { alpha: health(8, 0), beta: health(6, 1) } };
  const commit = git.writeCommit({ treeSha: git.commits.get(head)!.treeSha, parents: [head], message: `orkestra usage 2026-11-21\n\n${JSON.stringify(record)}` });
  git.refs.set("refs/orkestra/usage/2026-11-21", commit.sha);
}

/** A person's change between sweeps, on the oldest open task; its event is not delivered (the sweep finds it). */
function act(sandbox: Sandbox, clock: ReturnType<typeof fixedClock>, time: string, change: (person: ReturnType<Sandbox["as"]>, number: number) => void): void {
  clock.set(`2026-11-21T${time}:00Z`);
  change(sandbox.as("alice"), 1);
}

/** Commits in the ledger's history (each one batch, one POST …/git/commits). */
function ledgerLength(sandbox: Sandbox): number {
  const { git } = sandbox.internals.store;
  const head = git.refs.get("refs/orkestra/state/ledger");
  return head ? git.ancestors(head).size : 0;
}

function count(sandbox: Sandbox, before: number): Step {
  const batches = ledgerLength(sandbox) - before;
  // Each batch: its commit and the ref's move; a lost race re-reads the head (GET …/git/ref/orkestra/state/ledger).
  const rereads = sandbox.requests.filter((request) => request.method === "GET" && /git\/ref\/orkestra(%2F|\/)state(%2F|\/)ledger/.test(request.path)).length;
  const dashboard = [...sandbox.internals.store.git.refs.keys()].find((ref) => ref.startsWith("refs/orkestra/dashboard/"))?.split("/").pop();
  const dashboardWrites = sandbox.requests.filter((request) => request.method === "PATCH" && dashboard !== undefined && request.path.endsWith(`/issues/${dashboard}`)).length;
  return { total: sandbox.requests.length, ledger: batches > 0 ? batches + 1 + rereads : 0, dashboardWrites };
}

for (const total of SIZES) {
  for (const world of ["limits", "busy"] as const) {
    const title = WORLDS.find((item) => item.name === world)!.title;
    const on = await sequence(world, total, true);
    const off = await sequence(world, total, false);
    console.log(`\n${title}, N = ${total.toLocaleString("en-US")}`);
    console.log("step                     requests  without dashboard  dashboard adds  of which body writes  ledger  dashboard + ledger");
    for (const [index, name] of STEPS.entries()) {
      const a = on[index]!;
      const b = off[index]!;
      const added = a.total - b.total;
      console.log(
        `${name.padEnd(24)} ${String(a.total).padStart(8)}  ${String(b.total).padStart(17)}  ${String(added).padStart(14)}  ${String(a.dashboardWrites).padStart(20)}  ${String(a.ledger).padStart(6)}  ${String(added + a.ledger).padStart(18)}`,
      );
    }
  }
}

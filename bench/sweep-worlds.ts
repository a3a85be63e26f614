/**
 * The repositories bench/sweep.ts sweeps: what a real board looks like when the scheduled sweep
 * comes round, seeded straight into the sandbox (issues with their labels and a task card by the
 * job token's login, lock refs, places under the limits, a vote's tally) — no Orkestra run makes
 * them, so the only requests the sandbox logs are the sweep's own.
 *
 * Time: everything is seeded at 09:00 and the sweep runs at 12:00, so the seeded issues are
 * older than the window the Action re-checks (two sweep intervals, 30 minutes) and older than
 * the lease (120 minutes) — except what a world means to be recent: held tasks with a live
 * lease were last active at 11:00 (the sweep judges a lease by the issue's `updated_at`, the
 * card's `leaseUntil` is only what people read).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { JOB_TOKEN_LOGIN } from "../src/github/port.js";
import { renderCard, type TaskMeta } from "../src/domain/task/card.js";
import { buildVoteSpec, openVote, renderTally } from "../src/domain/consensus/index.js";
import { parseProposal } from "../src/domain/consensus/parse-proposal.js";
import { votingConfigSchema } from "../src/config/voting.js";
import { scriptedAgentsConfig } from "../tests/support/config.js";
import { legacyNodeId } from "../tools/sandbox/ids.js";
import type { Sandbox } from "../tools/sandbox/index.js";
import type { fixedClock } from "../tools/fixed-clock.js";

export const SEEDED_AT = "2026-11-21T09:00:00Z";
/** When held tasks with a live lease were last active: inside the lease, outside the re-check window. */
const ACTIVE_AT = "2026-11-21T11:00:00Z";
export const SWEEP_AT = "2026-11-21T12:00:00Z";
const LEASE_MINUTES = 120;

export type WorldName = "idle" | "limits" | "busy";

export interface World {
  name: WorldName;
  title: string;
  config: string;
}

const AGENTS = ["alpha", "beta"] as const;
const TWO_AGENTS = scriptedAgentsConfig({ alpha: {}, beta: {} }, "assignment:\n  maxPerAgent: 2\n");

export const WORLDS: readonly World[] = [
  // Orkestra installed, no agent key in the job and no scripted agent: every agent is off.
  { name: "idle", title: "(a) pending, no agent enabled", config: "assignment:\n  maxPerAgent: 2\n" },
  { name: "limits", title: "(b) pending, 2 agents at maxPerAgent 2", config: TWO_AGENTS },
  { name: "busy", title: "(c) busy mix", config: TWO_AGENTS },
];

/** What a world seeded that the sweep should act on (the busy mix), to check afterwards what it did. */
export interface Seeded {
  held: number[];
  stale: number[];
  failed: number[];
  vote: number | null;
  orphanLock: string | null;
  supersededPlace: string | null;
}

/** What one sweep did to the seeded world, read from the sandbox afterwards. */
export interface Done {
  released: number;
  retried: number;
  claimed: number;
  votesClosed: number;
  orphanLocksCleared: number;
  placesDeleted: number;
}

type Clock = ReturnType<typeof fixedClock>;

const LABEL_COLOR = "c5def5";

/**
 * Seeds `total` open tasks (the vote of the busy mix is on one more issue, not a task). Labels
 * are made first with a colour and description, as a repository that has run Orkestra has them,
 * so no write in the sweep has to colour a fresh label.
 */
export function seedWorld(sandbox: Sandbox, clock: Clock, world: WorldName, total: number): Seeded {
  const { store } = sandbox.internals;
  sandbox.addBot(JOB_TOKEN_LOGIN);
  const person = sandbox.as("alice");
  const bot = sandbox.as(JOB_TOKEN_LOGIN);
  for (const name of [
    "orkestra:task", "orkestra:escalated", "orkestra:vote-open", "decision:yes", "decision:no",
    ...["pending", "assigned", "in-progress", "review", "blocked", "done", "failed", "cancelled"].map((status) => `status:${status}`),
    ...["low", "medium", "high", "critical"].map((priority) => `priority:${priority}`),
    "type:technical", ...AGENTS.map((agent) => `agent:${agent}`),
  ]) {
    if (store.findLabel(name)) continue;
    const id = store.ids.next();
    store.labels.push({ id, nodeId: legacyNodeId("Label", id), name, color: LABEL_COLOR, description: "seeded", isDefault: false });
  }

  const head = store.git.resolve(sandbox.defaultBranch)!;
  const tree = store.git.commits.get(head)!.treeSha;
  const lockCommit = (number: number, agent: string, at: string): string => {
    clock.set(at);
    return store.git.writeCommit({ treeSha: tree, parents: [head], message: `orkestra lock #${number} for ${agent}` }).sha;
  };
  const lock = (number: number, agent: string, at: string): string => {
    const sha = lockCommit(number, agent, at);
    store.git.refs.set(`refs/orkestra/locks/${number}`, sha);
    return sha;
  };
  const place = (pool: string, k: number, generation: number, sha: string): string => {
    const ref = `refs/orkestra/locks/${pool}/${k}-${generation}`;
    store.git.refs.set(ref, sha);
    return ref;
  };
  const task = (status: TaskMeta["status"], at: string, extra: Partial<TaskMeta> = {}, agent?: string): number => {
    clock.set(at);
    const labels = ["orkestra:task", `status:${status}`, "priority:medium", "type:technical", ...(agent ? [`agent:${agent}`] : [])];
    const issue = person.openIssue({ title: `Task ${store.issues.size + 1}`, labels });
    bot.comment(issue.number, renderCard(card(issue.number, status, issue.updated_at, extra)));
    return issue.number;
  };
  const holder = (name: string, since: string): NonNullable<TaskMeta["agent"]> => ({
    name,
    since,
    leaseUntil: new Date(Date.parse(since) + LEASE_MINUTES * 60_000).toISOString(),
    why: "seeded by the bench",
  });

  const seeded: Seeded = { held: [], stale: [], failed: [], vote: null, orphanLock: null, supersededPlace: null };
  // The held and failed tasks first (older than any pending one is no matter: candidates are the pending).
  if (world !== "idle") {
    let all = 0;
    for (const agent of AGENTS) {
      for (let k = 1; k <= 2; k++) {
        // (b): both held tasks of each agent are live; (c): the second one's lease ran out.
        const stale = world === "busy" && k === 2;
        const at = stale ? SEEDED_AT : ACTIVE_AT;
        const number = task("assigned", at, { agent: holder(agent, at) }, agent);
        const sha = lock(number, agent, at);
        place(`agent/${agent}`, k, 1, sha);
        all += 1;
        // One overall place is in its second generation: the first, left by an older claim, is garbage.
        if (world === "busy" && all === 4) {
          // Its lock is long gone (the task was released), so only the place is left.
          const old = lockCommit(1, "gamma", SEEDED_AT);
          seeded.supersededPlace = place("all", all, 1, old);
          place("all", all, 2, sha);
        } else {
          place("all", all, 1, sha);
        }
        seeded.held.push(number);
        if (stale) seeded.stale.push(number);
      }
    }
  }
  if (world === "busy") {
    for (let i = 0; i < 3; i++) {
      seeded.failed.push(task("failed", SEEDED_AT, { retry: { count: 1, nextAttemptAt: null, avoid: ["alpha"], escalated: false } }));
    }
  }
  const pendingCount = total - seeded.held.length - seeded.failed.length;
  let lastPending = 0;
  for (let i = 0; i < pendingCount; i++) lastPending = task("pending", SEEDED_AT);
  if (world === "busy") {
    // A claimer that stopped after taking the lock of the newest pending task, three hours ago.
    lock(lastPending, "alpha", SEEDED_AT);
    seeded.orphanLock = `refs/orkestra/locks/${lastPending}`;
    seeded.vote = seedDueVote(sandbox, clock);
  }
  clock.set(SWEEP_AT);
  return seeded;
}

/**
 * A vote opened at 09:00 with a one-hour deadline on an issue that is no task: alice's
 * `/propose`, the tally Orkestra posted, the open-vote label, bob's ballot.
 */
function seedDueVote(sandbox: Sandbox, clock: Clock): number {
  clock.set(SEEDED_AT);
  const alice = sandbox.as("alice");
  const issue = alice.openIssue({ title: "Which way?", labels: ["orkestra:vote-open"] });
  const args = "Ship it? deadline=1h voters=@alice,@bob";
  const proposal = alice.comment(issue.number, `/propose ${args}`);
  const parsed = parseProposal(args);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const spec = buildVoteSpec(parsed.value, {
    config: { ...votingConfigSchema.parse({}), maintainers: [] },
    now: clock.now(),
    proposer: "alice",
    target: "issue",
    knownAgents: [],
  });
  if (!spec.ok) throw new Error(spec.error.message);
  sandbox.as(JOB_TOKEN_LOGIN).comment(issue.number, renderTally(openVote(`${issue.number}-${proposal.id}`, spec.value)));
  clock.set("2026-11-21T09:10:00Z");
  sandbox.as("bob").comment(issue.number, "/vote yes");
  return issue.number;
}

function card(issue: number, status: TaskMeta["status"], seenAt: string, extra: Partial<TaskMeta>): TaskMeta {
  return {
    v: 1, issue, status, priority: "medium", type: "technical", deps: [], extraDeps: [], mirrored: [],
    heldByPerson: false, seenAt, agent: null, retry: { count: 0, nextAttemptAt: null, avoid: [], escalated: false }, execution: null, epic: false, autonomy: null, paused: null, history: [],
    ...extra,
  };
}

/** What the sweep did to the seeded world. */
export function thingsDone(sandbox: Sandbox, seeded: Seeded): Done {
  const labels = (number: number) => (sandbox.state.issue(number)?.labels ?? []).map((label) => (typeof label === "string" ? label : (label.name ?? "")));
  const refs = new Set(sandbox.state.refs().map((ref) => ref.ref));
  const held = new Set(seeded.held);
  let claimed = 0;
  for (const issue of sandbox.internals.store.issues.values()) {
    if (!held.has(issue.number) && issue.state === "open" && labels(issue.number).some((label) => label.startsWith("agent:"))) claimed += 1;
  }
  const pendingNow = (number: number) => labels(number).includes("status:pending") && !labels(number).some((label) => label.startsWith("agent:"));
  return {
    released: seeded.stale.filter(pendingNow).length,
    retried: seeded.failed.filter(pendingNow).length,
    claimed,
    votesClosed: seeded.vote !== null && !labels(seeded.vote).includes("orkestra:vote-open") ? 1 : 0,
    orphanLocksCleared: seeded.orphanLock !== null && !refs.has(seeded.orphanLock) ? 1 : 0,
    placesDeleted: seeded.supersededPlace !== null && !refs.has(seeded.supersededPlace) ? 1 : 0,
  };
}

/** Where a scheduled run goes: the repository as the sandbox serves it. */
interface Target {
  owner: string;
  repo: string;
  url: string;
  defaultBranch: string;
  /** The repository object a webhook payload carries. */
  repository: unknown;
}

/**
 * A runner's environment for a `schedule` run of the Action, its payload written to `dir`: the
 * schedule, the workflow and (since 2022) the repository. The token is not in it: on a runner it
 * reaches the step only as the `github-token` input.
 */
export function scheduleJob(dir: string, target: Target): Record<string, string> {
  const eventPath = join(dir, "schedule.json");
  writeFileSync(eventPath, JSON.stringify({ schedule: "*/15 * * * *", workflow: ".github/workflows/orkestra.yml", repository: target.repository }));
  return {
    GITHUB_EVENT_NAME: "schedule",
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: `${target.owner}/${target.repo}`,
    GITHUB_API_URL: target.url,
    GITHUB_REF: `refs/heads/${target.defaultBranch}`,
  };
}

/** The pages of open tasks the sandbox served since its log was last cleared, in order. */
export function taskPagesRead(sandbox: Sandbox): number[] {
  return sandbox.requests
    .filter((request) => request.method === "GET" && request.route === "GET /repos/{owner}/{repo}/issues" && /[?&]labels=orkestra%3Atask(&|$)/.test(request.path))
    .map((request) => Number(new URL(request.path, sandbox.url).searchParams.get("page") ?? "1"));
}

/**
 * Healing after partial failures (issue 12): four flows that write, each run once without faults
 * to learn its write steps, then once per write step and fault kind with GitHub failing that
 * write (and every later request of the same method and route) for good. After each faulted run
 * the faults are cleared and labels, card and lock are checked right after, after the next event
 * on the issue (a person's plain comment) and after the next scheduled sweep.
 *
 * Shared by bench/consistency.ts (every fault kind, a table) and tests/scenarios/heal.test.ts
 * (the persisting 500, asserted).
 */
import type { FaultSpec } from "../../tools/sandbox/faults.js";
import { parseConfig } from "../../src/config/load.js";
import type { RequestLogEntry } from "../../tools/sandbox/types.js";
import { describeInconsistencies, inconsistencies, schemeOf } from "./consistency.js";
import { scriptedAgentsConfig } from "./config.js";
import { startHarness, type Door, type Harness } from "./harness.js";

/** Two scripted agents; every other setting is the default (tasks.from: all, leases of 120 minutes, sweeps every 15). */
const HEAL_CONFIG = scriptedAgentsConfig({ alpha: {}, beta: {} });
const CONFIG = parseConfig(HEAL_CONFIG);
if (!CONFIG.ok) throw new Error("HEAL_CONFIG is invalid");
const SETTINGS = CONFIG.config;
const SCHEME = schemeOf(HEAL_CONFIG);

/** A person with write permission in the harness's repository. */
const PERSON = "alice";

interface World {
  /** The issues the flow acts on, all of which should be tasks. */
  issues: number[];
}

interface Flow {
  name: string;
  /** What the flow does, for tables. */
  summary: string;
  /** Builds the world through real events and clock advances. */
  setup(h: Harness): Promise<World>;
  /** The flow itself; it may throw when GitHub fails. */
  run(h: Harness, world: World): Promise<void>;
}

function openIssue(h: Harness, title: string): number {
  return h.sandbox.as(PERSON).openIssue({ title, body: `${title}, please.` }).number;
}

async function command(h: Harness, issue: number, body: string): Promise<void> {
  h.sandbox.as(PERSON).comment(issue, body);
  await h.settle();
}

export const FLOWS: Flow[] = [
  {
    name: "open",
    summary: "a person opens an issue (a new repository: the labels get their colours)",
    setup: async () => ({ issues: [] }),
    async run(h, world) {
      world.issues.push(openIssue(h, "Write the docs"));
      await h.settle();
    },
  },
  {
    name: "assign",
    summary: "`/assign` on a pending task",
    async setup(h) {
      const issue = openIssue(h, "Write the docs");
      await h.settle();
      return { issues: [issue] };
    },
    run: (h, world) => command(h, world.issues[0]!, "/assign"),
  },
  {
    name: "status done",
    summary: "`/status done` on an assigned task",
    async setup(h) {
      const issue = openIssue(h, "Write the docs");
      await h.settle();
      await command(h, issue, "/assign");
      return { issues: [issue] };
    },
    run: (h, world) => command(h, world.issues[0]!, "/status done"),
  },
  {
    name: "sweep",
    summary: "a sweep that releases a stale lease, retries a failed task and assigns a ready one",
    async setup(h) {
      const stale = openIssue(h, "Stale lease");
      const failed = openIssue(h, "Failed attempt");
      const ready = openIssue(h, "Ready");
      await h.settle();
      await command(h, stale, "/assign");
      await command(h, failed, "/assign");
      await command(h, failed, "/status failed");
      h.clock.advance((SETTINGS.assignment.leaseMinutes + 5) * 60_000);
      return { issues: [stale, failed, ready] };
    },
    async run(h) {
      await h.sweep();
    },
  },
];

interface FaultKind {
  name: string;
  spec: Pick<FaultSpec, "status" | "secondary" | "times">;
}

/** Failures that outlast any retry: they persist until the test clears them. */
export const FAULT_KINDS: FaultKind[] = [
  { name: "500", spec: { status: 500, times: Number.POSITIVE_INFINITY } },
  { name: "403 primary", spec: { status: 403, secondary: false, times: Number.POSITIVE_INFINITY } },
  { name: "403 secondary", spec: { status: 403, secondary: true, times: Number.POSITIVE_INFINITY } },
];

const AUTH_ROUTE = /^(GET \/app|GET \/app\/installations|GET \/installation\/repositories|POST \/app\/installations\/\{installation_id\}\/access_tokens)$/;

/** One write Orkestra made in the fault-free run of a flow. */
export interface WriteStep {
  /** 0-based position among the flow's writes. */
  index: number;
  method: string;
  /** Route template without the method, as faults name it. */
  route: string;
  /** Requests of the same method and route before it in the flow (the fault's `skip`). */
  skip: number;
  /** `METHOD /route (the path's telling part)`, for reports. */
  label: string;
}

/**
 * Orkestra's writes among `requests` (which hold only Orkestra's, as a person's scripted actions
 * make no request): every method but GET, without the app's authentication. `POST /graphql` is a
 * write only for a mutation; the sandbox's log does not keep bodies, so `graphqlMutations` says
 * which of the flow's GraphQL requests were mutations, in order (see `watchGraphql`).
 */
function writeSteps(requests: readonly RequestLogEntry[], graphqlMutations: readonly boolean[] = []): WriteStep[] {
  const seen = new Map<string, number>();
  const steps: WriteStep[] = [];
  let graphql = 0;
  for (const request of requests) {
    const template = request.route ?? `${request.method} ${request.path}`;
    if (AUTH_ROUTE.test(template) || request.method === "GET") continue;
    const route = template.slice(request.method.length + 1);
    const key = `${request.method} ${route}`;
    const skip = seen.get(key) ?? 0;
    seen.set(key, skip + 1);
    if (route === "/graphql" && !graphqlMutations[graphql++]) continue;
    steps.push({ index: steps.length, method: request.method, route, skip, label: `${key}${detail(request.path)}` });
  }
  return steps;
}

/** Which GraphQL requests are mutations, in the order they arrive (a pipeline step of the sandbox). */
function watchGraphql(h: Harness): boolean[] {
  const mutations: boolean[] = [];
  h.sandbox.internals.steps.unshift({
    name: "watch-graphql",
    run: (state) => {
      if (state.method === "POST" && /\/graphql$/.test(state.url.pathname)) {
        let query: unknown;
        try {
          query = (JSON.parse(state.bodyText) as { query?: unknown }).query;
        } catch {
          // not JSON: not a mutation we can name
        }
        mutations.push(typeof query === "string" && /^\s*mutation\b/.test(query));
      }
      return undefined;
    },
  });
  return mutations;
}

/** The part of a path that tells writes of one route apart: a label's name, a lock's name. */
function detail(path: string): string {
  const decoded = decodeURIComponent(path.replace(/\?.*$/, ""));
  const label = /\/labels\/([^/]+)$/.exec(decoded);
  if (label) return ` (${label[1]})`;
  const ref = /\/git\/refs\/(.+)$/.exec(decoded);
  if (ref) return ` (${ref[1]})`;
  const issue = /\/issues\/(\d+)(\/|$)/.exec(decoded);
  return issue ? ` (#${issue[1]})` : "";
}

interface Checkpoints {
  rightAfter: string[];
  afterEvent: string[];
  afterSweep: string[];
}

export interface TrialResult extends Checkpoints {
  door: Door;
  flow: string;
  fault: string;
  step: WriteStep;
  /** The fault did not hit the intended write (the flow went another way). */
  missed: string | null;
  /** What the faulted flow threw, if anything (expected). */
  flowError: string | null;
  /** Errors of the follow-up event or sweep, or sandbox violations at close. */
  notes: string[];
}

export interface Baseline extends Checkpoints {
  door: Door;
  flow: string;
  writes: WriteStep[];
}

/**
 * Runs through the app take turns: @octokit/auth-app shares an installation-token request in
 * flight across Probot instances (a module-level map keyed by installation id), so two apps
 * starting at once would use one sandbox's token with the other sandbox (401). The Action's runs
 * may overlap (each retries a 500 three times, milliseconds apart in tests).
 */
let appTurn: Promise<unknown> = Promise.resolve();
function inTurn<T>(door: Door, run: () => Promise<T>): Promise<T> {
  if (door !== "app") return run();
  const result = appTurn.then(run);
  appTurn = result.catch(() => undefined);
  return result;
}

async function startWorld(door: Door, flow: Flow): Promise<{ h: Harness; world: World; mutations: boolean[] }> {
  const h = await startHarness(door, { files: { ".github/orkestra.yml": HEAL_CONFIG } });
  const world = await flow.setup(h);
  h.sandbox.clearRequests();
  const mutations = watchGraphql(h);
  return { h, world, mutations };
}

/** After the flow: right away, after a person's plain comment on each issue, after the next sweep. */
async function followUp(h: Harness, world: World, notes: string[]): Promise<Checkpoints> {
  const check = () => describeInconsistencies(inconsistencies(h.sandbox, world.issues, SCHEME));
  const rightAfter = check();
  for (const issue of world.issues) {
    await attempt(notes, "next event", async () => {
      h.sandbox.as(PERSON).comment(issue, "any news?");
      await h.settle();
    });
  }
  const afterEvent = check();
  h.clock.advance((SETTINGS.sweep.intervalMinutes + 1) * 60_000);
  await attempt(notes, "next sweep", () => h.sweep());
  const afterSweep = check();
  return { rightAfter, afterEvent, afterSweep };
}

async function attempt(notes: string[], what: string, run: () => Promise<unknown>): Promise<string | null> {
  try {
    await run();
    return null;
  } catch (error) {
    const message = `${what}: ${errorText(error)}`;
    notes.push(message);
    return message;
  }
}

function errorText(error: unknown): string {
  if (error instanceof AggregateError) return `${error.message}: ${error.errors.map(errorText).join("; ")}`;
  return (error instanceof Error ? error.message : String(error)).split("\n")[0]!.slice(0, 300);
}

async function close(h: Harness, notes: string[]): Promise<void> {
  await attempt(notes, "close", () => h.close());
}

/** The flow without faults: its writes, and that it leaves everything in line. */
export function baseline(door: Door, flow: Flow): Promise<Baseline> {
  return inTurn(door, () => fineRun(door, flow));
}

async function fineRun(door: Door, flow: Flow): Promise<Baseline> {
  const { h, world, mutations } = await startWorld(door, flow);
  const notes: string[] = [];
  const error = await attempt(notes, "flow", () => flow.run(h, world));
  const writes = writeSteps(h.sandbox.requests, mutations);
  const checkpoints = await followUp(h, world, notes);
  await close(h, notes);
  if (error || notes.length > 0) throw new Error(`the fault-free ${flow.name} flow through the ${door} failed: ${notes.join("; ")}`);
  return { door, flow: flow.name, writes, ...checkpoints };
}

/** The flow with `kind` failing write `step` and every later request of its method and route, then the follow-up. */
export function trial(door: Door, flow: Flow, step: WriteStep, kind: FaultKind): Promise<TrialResult> {
  return inTurn(door, () => faultedRun(door, flow, step, kind));
}

async function faultedRun(door: Door, flow: Flow, step: WriteStep, kind: FaultKind): Promise<TrialResult> {
  const { h, world } = await startWorld(door, flow);
  const notes: string[] = [];
  h.sandbox.faults.inject({ ...kind.spec, method: step.method, route: step.route, skip: step.skip });
  const flowError = await attempt([], "flow", () => flow.run(h, world));
  h.sandbox.faults.clear();
  const missed = faultMissed(h.sandbox.requests, step, kind);
  const checkpoints = await followUp(h, world, notes);
  await close(h, notes);
  return { door, flow: flow.name, fault: kind.name, step, missed, flowError, notes, ...checkpoints };
}

/** Null when the request the fault was aimed at was answered with the fault's status. */
function faultMissed(requests: readonly RequestLogEntry[], step: WriteStep, kind: FaultKind): string | null {
  const matching = requests.filter((request) => request.method === step.method && request.route === `${step.method} ${step.route}`);
  const aimed = matching[step.skip];
  if (!aimed) {
    const made = requests.map((request) => `${request.route ?? `${request.method} ${request.path}`} ${request.status}`);
    return `the flow made only ${matching.length} ${step.method} ${step.route} request(s); it made: ${made.join(", ") || "none"}`;
  }
  if (aimed.status !== kind.spec.status) return `the aimed request was answered ${aimed.status}`;
  return null;
}

/** Runs `work` over `items` with at most `limit` at a time. */
export async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * What one scheduled sweep costs on the boards a real repository has, for N = 100, 1,000 and
 * 10,000 open tasks (issue 13):
 *
 *   npx tsx bench/sweep.ts [--detail] [--profile] [--only idle|limits|busy] [--sizes 100,1000]
 *
 * Worlds (bench/sweep-worlds.ts): (a) every task pending, no agent enabled; (b) every task
 * pending but four, held by two agents at `maxPerAgent: 2`; (c) a busy mix — (b) with two of the
 * held leases stale, three failed tasks to retry, a vote past its deadline, an orphan lock and a
 * superseded place. Seeded at 09:00; the sweep runs at 12:00. The dashboard is off (its first sweep
 * would open it; bench/dashboard.ts measures what it adds); the decision ledger's append counts.
 *
 * Each sweep goes through the Action door as a runner starts it: `runAction` with a `schedule`
 * event (its payload file holds the schedule, the workflow and the repository), the job token
 * only as the `github-token` input, no agent key. The local GitHub runs in a child process, so
 * the CPU time printed is Orkestra's alone; wall time includes the HTTP round trips on loopback
 * (and the sandbox's time to answer). The parse columns estimate what parsing the answers costs:
 * the GET answers of the run are fetched again afterwards and parsed as the run parsed them.
 * `--detail` adds requests by route and the run's notes; `--profile` adds V8's profile of the run
 * grouped by whose code was busy (the profiler itself slows the run). Goals: nothing to do → at
 * most ceil(N/100) + 5 requests; the busy mix → that plus 6 per thing done on average; CPU at
 * N = 10,000 under 1 s beyond JSON parsing.
 */
import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Session } from "node:inspector/promises";
import { JSONParse } from "json-with-bigint";
import { runAction } from "../src/action/main.js";
import type { RunReport } from "../src/runtime/context.js";
import { silentLogger } from "../src/shared/logger.js";
import { fixedClock } from "../tools/fixed-clock.js";
import { startSandbox } from "../tools/sandbox/index.js";
import { repositoryShape } from "../tools/sandbox/shapes/repo.js";
import { scriptedProvider } from "../tools/scripted/index.js";
import { SEEDED_AT, SWEEP_AT, WORLDS, scheduleJob, seedWorld, thingsDone, type Done, type WorldName } from "./sweep-worlds.js";

const SIZES = [100, 1_000, 10_000];
const PROFILE = process.argv.includes("--profile");
/** Requests a thing done may cost on top of the pages (the busy mix's goal): a claim takes about 11½, a vote closed 3. */
const PER_THING = 6;

interface Ready {
  url: string;
  token: string;
  owner: string;
  repo: string;
  defaultBranch: string;
  repository: Record<string, unknown>;
  seedMs: number;
}

interface Logged {
  method: string;
  route: string;
  path: string;
  status: number;
}

/** Child: a sandbox seeded with one world of `total` open tasks; answers for its request log and what the sweep did. */
async function serve(world: WorldName, total: number): Promise<void> {
  const started = performance.now();
  const clock = fixedClock(SEEDED_AT);
  // The dashboard is off: this bench costs the sweep's own work on a board; bench/dashboard.ts what
  // the dashboard adds (0 when nothing changed, 3 when something did).
  const config = `${WORLDS.find((item) => item.name === world)!.config}dashboard:\n  enabled: false\n`;
  const sandbox = await startSandbox({
    clock,
    rateLimit: 1_000_000_000,
    validateResponses: false,
    collaborators: { alice: "write", bob: "write" },
    files: { ".github/orkestra.yml": config },
  });
  const seeded = seedWorld(sandbox, clock, world, total);
  sandbox.clearRequests();
  const ready: Ready = {
    url: sandbox.url,
    token: sandbox.tokens.actions,
    owner: sandbox.owner,
    repo: sandbox.repo,
    defaultBranch: sandbox.defaultBranch,
    repository: repositoryShape(sandbox.internals.shapes),
    seedMs: performance.now() - started,
  };
  process.send!(ready);
  process.on("message", (message) => {
    if (message === "requests") {
      const log: Logged[] = sandbox.requests.map((request) => ({
        method: request.method,
        route: request.route ?? `${request.method} ${request.path}`,
        path: request.path,
        status: request.status,
      }));
      process.send!({ log, done: thingsDone(sandbox, seeded) });
    }
    if (message === "exit") void sandbox.close().then(() => process.exit(0));
  });
}

function ask<T>(child: ChildProcess, message: string): Promise<T> {
  return new Promise((resolve) => {
    child.once("message", (answer) => resolve(answer as T));
    child.send(message);
  });
}

interface Measured {
  requests: number;
  wallMs: number;
  cpuMs: number;
  json: { asRun: number; octokit: number };
  seedMs: number;
  byRoute: Map<string, number>;
  failures: string[];
  done: Done;
  report: RunReport;
  profile: Map<string, number> | null;
}

const eventDir = mkdtempSync(join(tmpdir(), "orkestra-bench-sweep-"));

/** One scheduled run of the Action against a freshly seeded world, as the harness's Action door runs it. */
async function measure(world: WorldName, total: number): Promise<Measured> {
  const child = fork(fileURLToPath(import.meta.url), ["--serve", world, String(total)], { execArgv: ["--import", "tsx"] });
  const ready = await new Promise<Ready>((resolve) => child.once("message", (message) => resolve(message as Ready)));
  const jobEnv = scheduleJob(mkdtempSync(join(eventDir, `${world}-${total}-`)), ready);
  // On a runner the token reaches the step only as its input; @actions/core reads inputs from process.env.
  process.env["INPUT_GITHUB-TOKEN"] = ready.token;
  const clock = fixedClock(SWEEP_AT);
  const profiler = PROFILE ? await startProfile() : null;
  const cpu = process.cpuUsage();
  const started = performance.now();
  let report: RunReport;
  try {
    report = await runAction({ env: jobEnv, clock, log: silentLogger, throttle: false, agentOptions: { scripted: scriptedProvider() } });
  } finally {
    delete process.env["INPUT_GITHUB-TOKEN"];
  }
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const profile = profiler ? await profiler() : null;
  const { log, done } = await ask<{ log: Logged[]; done: Done }>(child, "requests");
  const json = await parseCost(ready, log);
  child.send("exit");
  const byRoute = new Map<string, number>();
  for (const entry of log) byRoute.set(entry.route, (byRoute.get(entry.route) ?? 0) + 1);
  const failures = log.filter((entry) => entry.status >= 400).map((entry) => `${entry.status} ${entry.method} ${entry.path}`);
  return { requests: log.length, wallMs, cpuMs: (used.user + used.system) / 1000, json, seedMs: ready.seedMs, byRoute, failures, done, report, profile };
}

/** `--profile`: V8's sampling profiler over the run, its busy time grouped by whose code it was. */
async function startProfile(): Promise<() => Promise<Map<string, number>>> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 200 });
  await session.post("Profiler.start");
  return async () => {
    const { profile } = await session.post("Profiler.stop");
    session.disconnect();
    const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
    const groups = new Map<string, number>();
    const deltas = profile.timeDeltas ?? [];
    for (const [index, id] of (profile.samples ?? []).entries()) {
      const frame = nodes.get(id)!.callFrame;
      const group = whose(frame.url, frame.functionName);
      groups.set(group, (groups.get(group) ?? 0) + (deltas[index] ?? 0) / 1000);
    }
    groups.delete("(idle)");
    return groups;
  };
}

function whose(url: string, name: string): string {
  if (url.includes("/src/")) return "Orkestra (src/)";
  if (url.includes("json-with-bigint")) return "Octokit's JSON parser";
  if (url.includes("node_modules/")) return "other libraries";
  if (url.startsWith("node:")) return "Node (HTTP, streams)";
  if (name === "(garbage collector)") return "garbage collection";
  if (name === "(idle)" || name === "(program)") return name;
  if (url === "") return "native (JSON.parse, regexps)";
  return "bench and tools";
}

/**
 * Fetches the run's GET answers again and times parsing them as the run did: the pages of open
 * tasks with JSON.parse (openIssuePages), every other answer with the parser @octokit/request
 * uses (json-with-bigint, a regex pass over the text before JSON.parse). `octokit` is what all of
 * them would have cost through Octokit's parser, for comparison.
 */
async function parseCost(ready: Ready, log: readonly Logged[]): Promise<{ asRun: number; octokit: number }> {
  const bodies: Array<{ body: string; page: boolean }> = [];
  for (const entry of log) {
    if (entry.method !== "GET" || entry.status >= 300) continue;
    const response = await fetch(`${ready.url}${entry.path}`, { headers: { authorization: `token ${ready.token}`, accept: "application/vnd.github+json" } });
    bodies.push({ body: await response.text(), page: entry.route === "GET /repos/{owner}/{repo}/issues" && /[?&]direction=asc/.test(entry.path) });
  }
  const started = performance.now();
  for (const { body, page } of bodies) (page ? JSON.parse : JSONParse)(body);
  const asRun = performance.now() - started;
  const again = performance.now();
  for (const { body } of bodies) JSONParse(body);
  return { asRun, octokit: performance.now() - again };
}

const sum = (done: Done): number => Object.values<number>({ ...done }).reduce((total, count) => total + count, 0);

function describeDone(done: Done): string {
  const parts: Array<[keyof Done, string]> = [
    ["released", "released"],
    ["retried", "retried"],
    ["claimed", "claimed"],
    ["votesClosed", "vote closed"],
    ["orphanLocksCleared", "orphan lock cleared"],
    ["placesDeleted", "old place deleted"],
  ];
  return parts.filter(([key]) => done[key] > 0).map(([key, what]) => `${done[key]} ${what}`).join(", ") || "nothing";
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
  const detail = process.argv.includes("--detail");
  const only = argument("--only");
  const sizes = argument("--sizes")?.split(",").map(Number) ?? SIZES;
  const worlds = WORLDS.filter((world) => !only || only.split(",").includes(world.name));
  const began = performance.now();
  console.log("One scheduled sweep per world and size, through the Action door (`runAction`, a `schedule` event, the job token as the");
  console.log("`github-token` input, no agent key), against the sandbox in a child process (seeded at 09:00, swept at 12:00).");
  console.log("Requests: every request the sandbox logged for the run. CPU: this process (Orkestra) during `runAction`. Parsing: the");
  console.log("run's GET answers, fetched again afterwards and parsed as the run parsed them (the task pages with JSON.parse, the rest with");
  console.log("@octokit/request's json-with-bigint); for comparison, all of them through json-with-bigint.");
  console.log("Baseline: ceil(N/100) + 5; extra: requests above it. One unprinted");
  console.log("warm-up run first, so every row is a warm process (a runner's cold start adds a constant, whatever N).");
  await measure("idle", 100);
  console.log("");
  console.log("| world | open tasks | GitHub requests | goal | things done | extra / thing | wall | Orkestra CPU | parsing as run | all through Octokit's parser | CPU − parsing | seeding |");
  console.log("|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|");
  for (const world of worlds) {
    for (const total of sizes) {
      const result = await measure(world.name, total);
      const baseline = Math.ceil(total / 100) + 5;
      const things = sum(result.done);
      const extra = result.requests - baseline;
      const ceiling = baseline + PER_THING * things;
      const goal = `≤ ${world.name === "busy" ? `${baseline} + ${PER_THING} × ${things}` : baseline}${result.requests <= ceiling ? " ✓" : " ✗"}`;
      const perThing = things > 0 ? (extra / things).toFixed(1) : "—";
      console.log(
        `| ${world.title} | ${total.toLocaleString("en")} | ${result.requests} | ${goal} | ${describeDone(result.done)} | ${perThing} | ` +
          `${result.wallMs.toFixed(0)} ms | ${result.cpuMs.toFixed(0)} ms | ${result.json.asRun.toFixed(0)} ms | ${result.json.octokit.toFixed(0)} ms | ${(result.cpuMs - result.json.asRun).toFixed(0)} ms | ${(result.seedMs / 1000).toFixed(1)} s |`,
      );
      if (result.report.errors.length > 0) console.log(`|   | errors: ${result.report.errors.join("; ")} | | | | | | | | | | |`);
      if (detail) {
        for (const [route, count] of [...result.byRoute].sort((a, b) => b[1] - a[1])) console.log(`|   | ${route} | ${count} | | | | | | | | |`);
        for (const failure of result.failures) console.log(`|   | answered ${failure} | | | | | | | | | | |`);
        for (const note of result.report.notes) console.log(`|   | note: ${note.replace(/\|/g, "\\|")} | | | | | | | | | | |`);
        if (result.report.truncated) console.log(`|   | truncated: ${result.report.truncated.reason} | | | | | | | | | | |`);
      }
      if (result.profile) {
        const parts = [...result.profile].sort((a, b) => b[1] - a[1]).map(([group, ms]) => `${group} ${ms.toFixed(0)} ms`);
        console.log(`|   | profile: ${parts.join(" · ")} | | | | | | | | | | |`);
      }
    }
  }
  console.log("");
  console.log(`Whole run: ${((performance.now() - began) / 1000).toFixed(0)} s`);
}

if (process.argv[2] === "--serve") {
  void serve(process.argv[3] as WorldName, Number(process.argv[4]));
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}

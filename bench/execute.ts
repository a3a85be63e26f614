/**
 * Execution benchmark: one API-mode task that changes 3 files in a repository of 2,000 files,
 * driven through the core as a door drives it (`/assign alpha` as an `issue_comment` event).
 *
 *   npx tsx bench/execute.ts [author ms per turn = 800] [GitHub ms per request = 50]
 *
 * The author (`alpha`) works through the real Anthropic SDK against a local server that answers
 * the Messages API turn by turn with tool_use blocks, as a model would: 1. list_files in one
 * directory, 2. read_file ×3 (three parallel tool calls in one turn), 3. edit_file ×3 (three
 * parallel calls in one turn), 4. finish with a summary — 4 turns. Two reviewers (`beta`, an
 * OpenAI-shaped endpoint, and `gamma`, a Gemini-shaped one) answer the review prompt. GitHub is the
 * local sandbox, each request held back by a set latency (0 ms, then the configured one), so the
 * wall ratio is not flattered by a zero-latency loopback GitHub.
 *
 * Worlds: "plain" (the task alone, Orkestra's first use: its labels are created on the way), and
 * "real", as a repository in use has it: 200 other open tasks (pending, with cards), an open pull
 * request from an earlier attempt on the task's branch, today's spending at $19.50 of a $20 daily
 * budget, and Orkestra's labels already there. An unmeasured run first warms the SDKs up.
 *
 * Prints GitHub requests (the agent's reads, other reads, writes, by route; goal: ≤ 30 beyond the
 * agent's reads), the agents' turns, tokens and cost, and wall time over the agents' own
 * latencies (goal ≤ 1.2).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Octokit } from "@octokit/rest";
import { sandboxServices } from "../tests/support/services.js";
import { fixedClock } from "../tools/fixed-clock.js";
import { parseCard, renderCard, type TaskMeta } from "../src/domain/task/card.js";
import { handleEvent } from "../src/handlers/index.js";
import { startSandbox, type Sandbox } from "../tools/sandbox/index.js";
import { fakeProvider, type Reply } from "./fanout.js";

const AUTHOR_MS = Number(process.argv[2] ?? 800);
const GITHUB_MS = Number(process.argv[3] ?? 50);
const REVIEWERS = { beta: { shape: "openai" as const, latencyMs: 600 }, gamma: { shape: "gemini" as const, latencyMs: 900 } };
const START = "2026-11-21T09:00:00Z";
const DAY = START.slice(0, 10);
const FILES = 2_000;
/** The directory the author lists and the three files it changes there. */
const AREA = "packages/core/src/billing/";
const TARGETS = [`${AREA}invoice.ts`, `${AREA}retry.ts`, `${AREA}currency.ts`];
const OLD_LINE = (path: string) => `export const ${constName(path)}_RETRY_LIMIT = 3;`;
const NEW_LINE = (path: string) => `export const ${constName(path)}_RETRY_LIMIT = 5;`;

function constName(path: string): string {
  return path.split("/").at(-1)!.replace(/\.\w+$/, "").replace(/\W/g, "_").toUpperCase();
}

// ---------------------------------------------------------------------------------------------
// The repository: 2,000 files in nested directories, ts/md/json of a few KB each.

const PACKAGES = ["core", "api", "web", "cli", "shared", "worker", "auth", "billing-ui"];
const AREAS = ["billing", "users", "orders", "search", "storage", "events", "reports", "settings", "jobs", "mail"];

function tsFile(path: string, seed: number): string {
  const name = constName(path);
  const lines = [`/** ${path}: generated module ${seed} for the execution benchmark. */`, `import { log } from "../../shared/log.js";`, "", OLD_LINE(path), ""];
  for (let i = 0; lines.join("\n").length < 2_000 + (seed % 7) * 400; i++) {
    lines.push(`export function ${name.toLowerCase()}Step${i}(input: number): number {`, `  log("${name} step ${i}", input);`, `  return input * ${i + 2} + ${seed % 97};`, "}", "");
  }
  return lines.join("\n");
}

function repositoryFiles(config: string): Record<string, string> {
  const files: Record<string, string> = { ".github/orkestra.yml": config, "README.md": "# Bench monorepo\n\nA synthetic repository of 2,000 files.\n", "package.json": '{ "name": "bench-monorepo", "private": true }\n' };
  for (const target of TARGETS) files[target] = tsFile(target, target.length);
  let seed = 0;
  while (Object.keys(files).length < FILES) {
    const pkg = PACKAGES[seed % PACKAGES.length]!;
    const area = AREAS[Math.floor(seed / PACKAGES.length) % AREAS.length]!;
    const n = Math.floor(seed / (PACKAGES.length * AREAS.length));
    const kind = seed % 10;
    const path =
      kind < 7 ? `packages/${pkg}/src/${area}/module-${n}.ts` : kind < 9 ? `packages/${pkg}/docs/${area}/notes-${n}.md` : `packages/${pkg}/fixtures/${area}/data-${n}.json`;
    files[path] = kind < 7 ? tsFile(path, seed) : kind < 9 ? `# ${area} notes ${n}\n\n${"Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(40)}\n` : `${JSON.stringify({ area, n, rows: Array.from({ length: 40 }, (_, i) => ({ id: i, value: (seed * i) % 1000 })) }, null, 2)}\n`;
    seed++;
  }
  return files;
}

// ---------------------------------------------------------------------------------------------
// The author's endpoint: Anthropic's Messages API with tool_use, turn by turn.

interface AnthropicRequest {
  messages: Array<{ role: string; content: string | Array<{ type: string; content?: unknown }> }>;
}

interface Timing {
  /** Calls answered, and when each arrived (performance.now()). */
  calls: number[];
  /** Called as each call arrives. */
  onCall?: () => void;
}

type ToolCall = [name: string, input: Record<string, unknown>];

function authorTurn(turn: number, request: AnthropicRequest): { text: string; calls: ToolCall[] } {
  switch (turn) {
    case 0:
      return { text: "I'll look at the billing module first.", calls: [["list_files", { within: AREA }]] };
    case 1:
      return { text: "Reading the three files that define a retry limit.", calls: TARGETS.map((path) => ["read_file", { path }]) };
    case 2: {
      // The last user message holds the three read results: the model copies the line it replaces from them.
      const results = JSON.stringify(request.messages.at(-1)?.content ?? "");
      for (const path of TARGETS) if (!results.includes(OLD_LINE(path))) throw new Error(`the author was not shown ${OLD_LINE(path)}`);
      return { text: "Raising the limit in all three.", calls: TARGETS.map((path) => ["edit_file", { path, search: OLD_LINE(path), replace: NEW_LINE(path) }]) };
    }
    default:
      return {
        text: "",
        calls: [["finish", { summary: "Raised the billing retry limit from 3 to 5 in invoice, retry and currency.", notes: "No tests cover the limit yet." }]],
      };
  }
}

async function authorEndpoint(latencyMs: number, timing: Timing): Promise<{ url: string; close: () => Promise<void> }> {
  let ids = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      timing.calls.push(performance.now());
      timing.onCall?.();
      const raw = Buffer.concat(chunks).toString("utf8");
      const request = JSON.parse(raw) as AnthropicRequest;
      const turn = request.messages.filter((message) => message.role === "assistant").length;
      const { text, calls } = authorTurn(turn, request);
      const output = { text, calls };
      const body = {
        id: `msg_bench_${turn}`,
        type: "message",
        role: "assistant",
        model: "claude-sonnet-5",
        content: [
          ...(text ? [{ type: "text", text, citations: null }] : []),
          ...calls.map(([name, input]) => ({ type: "tool_use", id: `toolu_${String(++ids).padStart(4, "0")}`, name, input, caller: { type: "direct" } })),
        ],
        stop_reason: "tool_use",
        stop_sequence: null,
        stop_details: null,
        // A real tokenizer counts about 4 characters per token; the whole conversation is re-sent each turn.
        usage: { input_tokens: Math.ceil(raw.length / 4), output_tokens: Math.ceil(JSON.stringify(output).length / 4) + 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, service_tier: "standard" },
      };
      setTimeout(() => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body)), latencyMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A reviewer that approves with one informational finding on the first changed file. */
function reviewer(name: string, timing: Timing): (requestBody: string) => Reply {
  return (requestBody) => {
    timing.calls.push(performance.now());
    timing.onCall?.();
    const file = TARGETS.find((path) => requestBody.includes(path));
    const findings = file ? [{ file, line: 4, startLine: null, side: "RIGHT", severity: "info", message: `${name}: a test for the new limit would help`, suggestion: null }] : [];
    const text = JSON.stringify({ verdict: "approve", summary: `${name} approves the change.`, findings });
    // The model named in the answer is the one priced (the OpenAI-shaped answer names it).
    return { text, inputTokens: Math.ceil(requestBody.length / 4), outputTokens: Math.ceil(text.length / 4), model: "gpt-5.4-mini" };
  };
}

// ---------------------------------------------------------------------------------------------
// The worlds.

function config(urls: { alpha: string; beta: string; gamma: string }, dayCostUsd: number): string {
  return [
    "agents:",
    ...["claude", "chatgpt", "gemini", "grok", "copilot"].map((name) => `  ${name}: { enabled: false }`),
    "  custom:",
    `    alpha: { provider: anthropic, baseUrl: "${urls.alpha}", model: claude-sonnet-5 }`,
    `    beta: { provider: openai, baseUrl: "${urls.beta}/v1", model: gpt-5.4-mini }`,
    `    gamma: { provider: gemini, baseUrl: "${urls.gamma}", model: gemini-3.5-flash }`,
    "budgets:",
    `  perDay: { maxTokens: 50000000, maxCostUsd: ${dayCostUsd} }`,
    "execution:",
    "  enabled: true",
  ].join("\n");
}

function card(issue: number, seenAt: string, execution: TaskMeta["execution"] = null, retries = 0): TaskMeta {
  return {
    v: 1,
    issue,
    status: "pending",
    priority: "medium",
    type: "technical",
    deps: [],
    extraDeps: [],
    mirrored: [],
    heldByPerson: false,
    seenAt,
    agent: null,
    retry: { count: retries, nextAttemptAt: null, avoid: [], escalated: false },
    execution,
    epic: false,
    autonomy: null,
    paused: null,
    history: [],
  };
}

const TASK_LABELS = ["orkestra:task", "status:pending", "priority:medium", "type:technical"];
const TITLE = "Raise the billing retry limit";
const BODY = "Payments fail on flaky networks.\n\n## Acceptance criteria\n\n- the billing retry limit is 5 everywhere it is defined";

interface World {
  name: string;
  /** Other open tasks (pending, with their cards). */
  otherTasks: number;
  /** An open pull request from an earlier attempt on the task's branch. */
  earlierAttempt: boolean;
  /** Today's spending already recorded, against a daily limit of $20. */
  spentTodayUsd: number;
  /** Orkestra's labels exist with their colours (else the first use creates them, one PATCH each). */
  labelsExist: boolean;
}

const WORLDS: World[] = [
  { name: "plain", otherTasks: 0, earlierAttempt: false, spentTodayUsd: 0, labelsExist: false },
  { name: "real", otherTasks: 200, earlierAttempt: true, spentTodayUsd: 19.5, labelsExist: true },
];
const DAY_LIMIT_USD = 20;

interface Measured {
  world: World;
  githubMs: number;
  wallMs: number;
  agentReads: string[];
  otherReads: string[];
  writes: string[];
  /** Requests beyond the agent's reads, by part of the run. */
  parts: { claim: number; work: number; review: number };
  author: { turns: number };
  reviewers: Record<string, number>;
  notes: string[];
  phases: string[];
  usage: { inputTokens: number; outputTokens: number; costUsd: number | null } | null;
  pr: string;
}

async function runWorld(world: World, githubMs: number): Promise<Measured> {
  const authorTiming: Timing = { calls: [] };
  const reviewerTiming = { beta: { calls: [] } as Timing, gamma: { calls: [] } as Timing };
  const alpha = await authorEndpoint(AUTHOR_MS, authorTiming);
  const beta = await fakeProvider(REVIEWERS.beta.shape, REVIEWERS.beta.latencyMs, reviewer("beta", reviewerTiming.beta));
  const gamma = await fakeProvider(REVIEWERS.gamma.shape, REVIEWERS.gamma.latencyMs, reviewer("gamma", reviewerTiming.gamma));
  const clock = fixedClock(START);
  const sandbox = await startSandbox({
    clock,
    rateLimit: 1_000_000,
    validateResponses: false,
    collaborators: { alice: "write" },
    files: repositoryFiles(config({ alpha: alpha.url, beta: beta.url, gamma: gamma.url }, DAY_LIMIT_USD)),
  });
  try {
    const number = await seed(sandbox, world);
    const services = sandboxServices(sandbox, clock, { env: { ANTHROPIC_API_KEY: "bench-anthropic", OPENAI_API_KEY: "bench-openai", GEMINI_API_KEY: "bench-gemini" } });
    sandbox.as("alice").comment(number, "/assign alpha");
    const event = sandbox.deliveries.filter((delivery) => delivery.name === "issue_comment").at(-1)!;
    sandbox.clearRequests();
    if (githubMs > 0) sandbox.faults.inject({ delayMs: githubMs, times: Infinity });
    // Where the request log stood as each agent call arrived.
    const logs = { alpha: [] as number[], reviewers: [] as number[] };
    authorTiming.onCall = () => logs.alpha.push(sandbox.requests.length);
    reviewerTiming.beta.onCall = reviewerTiming.gamma.onCall = () => logs.reviewers.push(sandbox.requests.length);
    const started = performance.now();
    const report = await handleEvent(services, event);
    const ended = performance.now();
    if (report.errors.length > 0) throw new Error(report.errors.join("; "));
    const marks = { first: logs.alpha[0] ?? -1, last: logs.alpha.at(-1) ?? -1 };
    const log = sandbox.requests.map((request, index) => ({ index, method: request.method, route: request.route ?? `${request.method} ${request.path}`, path: request.path }));
    const agentReads: string[] = [];
    const otherReads: string[] = [];
    const writes: string[] = [];
    for (const entry of log) {
      if (/access_tokens|^GET \/app/.test(entry.route)) continue;
      const listing = entry.route.endsWith("/git/trees/{tree_sha}") && entry.path.includes("recursive") && entry.index < Math.max(marks.first, 0) + 1;
      const blob = entry.route.endsWith("/git/blobs/{file_sha}") && entry.index >= marks.first && entry.index <= marks.last;
      if (listing || blob) agentReads.push(entry.route);
      else if (entry.method === "GET") otherReads.push(entry.route);
      else writes.push(entry.route);
    }
    // The run's three parts: the command and the claim (up to the claim's card edit after the lock
    // ref), the agent's work (to the review's check run), and the review.
    const lockAt = log.findIndex((entry) => entry.route.endsWith("/git/refs") && entry.method === "POST");
    const claimEnd = log.findIndex((entry) => entry.index > lockAt && entry.route.endsWith("/issues/comments/{comment_id}") && entry.method === "PATCH");
    const reviewAt = log.findIndex((entry) => entry.route.endsWith("/check-runs") && entry.method === "POST");
    const isAgentRead = (entry: (typeof log)[number]) =>
      (entry.route.endsWith("/git/trees/{tree_sha}") && entry.path.includes("recursive")) || (entry.route.endsWith("/git/blobs/{file_sha}") && entry.index >= marks.first && entry.index <= marks.last);
    const counted = log.filter((entry) => !/access_tokens|^GET \/app/.test(entry.route) && !isAgentRead(entry));
    const parts = {
      claim: counted.filter((entry) => entry.index <= claimEnd).length,
      work: counted.filter((entry) => entry.index > claimEnd && (reviewAt < 0 || entry.index < reviewAt)).length,
      review: reviewAt < 0 ? 0 : counted.filter((entry) => entry.index >= reviewAt).length,
    };
    const comments = sandbox.state.comments(number).filter((comment) => comment.user?.login === sandbox.app.botLogin);
    const meta = comments.map((comment) => parseCard(comment.body ?? "")).find((item) => item !== null) ?? null;
    const pulls = sandbox.state.pulls();
    const pr = pulls.find((pull) => pull.head.ref.startsWith(`orkestra/${number}-`));
    return {
      world,
      githubMs,
      wallMs: ended - started,
      agentReads,
      otherReads,
      writes,
      parts,
      author: { turns: authorTiming.calls.length },
      reviewers: { beta: reviewerTiming.beta.calls.length, gamma: reviewerTiming.gamma.calls.length },
      phases: phases(started, ended, authorTiming.calls, logs, reviewerTiming, log.map((entry) => entry.route)),
      notes: report.notes,
      usage: meta?.execution?.usage ?? null,
      pr: pr ? `#${pr.number} (${pr.draft ? "draft" : "ready"}, ${sandbox.state.reviews(pr.number).length} review(s), status ${meta?.status ?? "?"}, attempt ${meta?.execution?.attempt ?? "?"})` : "none",
    };
  } finally {
    await sandbox.close();
    await Promise.all([alpha.close(), beta.close(), gamma.close()]);
  }
}

/** Where the wall time went: Orkestra's own time (GitHub requests and CPU) between the agents' latencies. */
function phases(
  started: number,
  ended: number,
  author: number[],
  logs: { alpha: number[]; reviewers: number[] },
  reviewers: Record<keyof typeof REVIEWERS, Timing>,
  routes: string[],
): string[] {
  const out: string[] = [];
  const requests = routes.length;
  const span = (label: string, from: number, to: number, requestsFrom: number, requestsTo: number) => {
    const made = routes.slice(requestsFrom, requestsTo);
    out.push(`${label} ${(to - from).toFixed(0)} ms, ${made.length} GitHub request(s)${made.length > 0 ? `: ${byRoute(made)}` : ""}`);
  };
  if (author.length === 0) return ["the author was never asked"];
  span("before the author's first turn:", started, author[0]!, 0, logs.alpha[0]!);
  for (let i = 1; i < author.length; i++) span(`between turns ${i} and ${i + 1} (tools):`, author[i - 1]! + AUTHOR_MS, author[i]!, logs.alpha[i - 1]!, logs.alpha[i]!);
  const finished = author.at(-1)! + AUTHOR_MS;
  const asked = Object.entries(reviewers).flatMap(([name, timing]) => timing.calls.map((at) => ({ at, answered: at + REVIEWERS[name as keyof typeof REVIEWERS].latencyMs })));
  if (asked.length === 0) {
    span("after the author finished:", finished, ended, logs.alpha.at(-1)!, requests);
    return out;
  }
  const firstAsked = Math.min(...asked.map((call) => call.at));
  const lastAnswer = Math.max(...asked.map((call) => call.answered));
  span("from the author's finish to the first review prompt (write, PR, card, diff):", finished, firstAsked, logs.alpha.at(-1)!, Math.min(...logs.reviewers));
  span("reviewers, first prompt to last answer:", firstAsked, lastAnswer, Math.min(...logs.reviewers), Math.max(...logs.reviewers));
  span("after the last review answer (review, check run, card):", lastAnswer, ended, Math.max(...logs.reviewers), requests);
  return out;
}

/** Seeds the world and returns the task's number. */
async function seed(sandbox: Sandbox, world: World): Promise<number> {
  const bot = sandbox.as(sandbox.app.botLogin);
  const octokit = new Octokit({ auth: sandbox.tokens.installation, baseUrl: sandbox.url, retry: { enabled: false } });
  if (world.labelsExist) {
    // The labels an assignment and its work add, as an earlier task left them (coloured, described).
    for (const name of ["status:assigned", "status:in-progress", "status:review", "agent:alpha"]) {
      await octokit.rest.issues.createLabel({ owner: sandbox.owner, repo: sandbox.repo, name, color: "0e8a16", description: "Orkestra" });
    }
  }
  const person = sandbox.as("alice");
  for (let i = 0; i < world.otherTasks; i++) {
    const issue = person.openIssue({ title: `Task ${i}`, body: "## Acceptance criteria\n\n- done", labels: TASK_LABELS });
    bot.comment(issue.number, renderCard(card(issue.number, issue.updated_at)));
  }
  const task = person.openIssue({ title: TITLE, body: BODY, labels: TASK_LABELS });
  let execution: TaskMeta["execution"] = null;
  if (world.earlierAttempt) {
    const branch = `orkestra/${task.number}-raise-the-billing-retry-limit`;
    // Attempt 1's pull request, opened as Orkestra opens it: with the installation token, over the API.
    // Its commit carries Orkestra's message (the pre-task check refuses a branch whose last commit is not Orkestra's).
    const changed = { [TARGETS[0]!]: tsFile(TARGETS[0]!, TARGETS[0]!.length).replace(OLD_LINE(TARGETS[0]!), NEW_LINE(TARGETS[0]!)) };
    const message = `${TITLE} (#${task.number})\n\nBy alpha (Orkestra), attempt 1, round 3.`;
    sandbox.internals.store.git.commitFiles(branch, changed, message, sandbox.defaultBranch, sandbox.app.botLogin);
    const { data: earlier } = await octokit.rest.pulls.create({ owner: sandbox.owner, repo: sandbox.repo, title: TITLE, body: `Closes #${task.number}\n\nAttempt 1.`, head: branch, base: sandbox.defaultBranch });
    execution = {
      mode: "api",
      agent: "alpha",
      attempt: 1,
      output: "pull-request",
      startedAt: "2026-11-21T08:00:00Z",
      run: null,
      branch,
      commits: 1,
      pr: earlier.number,
      comment: null,
      round: 3,
      maxRounds: 3,
      review: "changes-requested",
      checks: "pending",
  usage: { inputTokens: 40_000, outputTokens: 2_000, costUsd: 0.15 },
      lastRefusal: null,
    };
  }
  bot.comment(task.number, renderCard(card(task.number, task.updated_at, execution, world.earlierAttempt ? 1 : 0)));
  if (world.spentTodayUsd > 0) {
    // Today's spending record (see src/runtime/usage-store.ts): a commit whose message is the day's totals.
    const { git } = sandbox.internals.store;
    const main = git.refs.get(`refs/heads/${sandbox.defaultBranch}`)!;
    const spend = { tokens: 3_000_000, costUsd: world.spentTodayUsd, calls: 400 };
    const usage = { ...spend, byAgent: { alpha: spend } };
    const commit = git.commitOn(main, {}, `orkestra usage ${DAY}\n\n${JSON.stringify(usage)}`);
    git.refs.set(`refs/orkestra/usage/${DAY}`, commit.sha);
  }
  return task.number;
}

// ---------------------------------------------------------------------------------------------
// Printing.

function byRoute(routes: string[]): string {
  const counts = new Map<string, number>();
  for (const route of routes) counts.set(route, (counts.get(route) ?? 0) + 1);
  return [...counts.entries()].map(([route, count]) => `${count}× ${route.replace("/repos/{owner}/{repo}", "")}`).join(", ") || "none";
}

function print(m: Measured): void {
  const label = `[${m.world.name}, GitHub ${m.githubMs} ms/request]`;
  const beyond = m.otherReads.length + m.writes.length;
  const authorSum = m.author.turns * AUTHOR_MS;
  const reviewerCalls = Object.entries(m.reviewers).filter(([, calls]) => calls > 0);
  const slowestReviewer = Math.max(0, ...reviewerCalls.map(([name]) => REVIEWERS[name as keyof typeof REVIEWERS].latencyMs));
  const ratio = m.wallMs / (authorSum + slowestReviewer);
  const { otherTasks, earlierAttempt, spentTodayUsd } = m.world;
  const world = [
    `${otherTasks} other open tasks`,
    earlierAttempt ? "an open PR from attempt 1 on the task's branch" : "no earlier attempt",
    `$${spentTodayUsd.toFixed(2)} of the $${DAY_LIMIT_USD} daily budget spent today`,
    m.world.labelsExist ? "Orkestra's labels exist" : "first use: Orkestra's labels are created on the way",
  ].join(", ");
  console.log(`\n## ${label} ${world}`);
  console.log(`${label} pull request: ${m.pr}`);
  console.log(`${label} GitHub requests: ${m.agentReads.length + beyond} in all`);
  console.log(`${label}   the agent's tool reads: ${m.agentReads.length} (${byRoute(m.agentReads)})`);
  console.log(`${label}   other reads: ${m.otherReads.length} (${byRoute(m.otherReads)})`);
  console.log(`${label}   writes: ${m.writes.length} (${byRoute(m.writes)})`);
  console.log(`${label}   beyond the agent's reads: ${beyond} (goal ≤ 30: ${beyond <= 30 ? "met" : "NOT met"})`);
  console.log(
    `${label}     of which: the /assign command and the claim ${m.parts.claim}, the agent's work (pre-task checks → pull request ready, card) ${m.parts.work} (goal ≤ 30: ${m.parts.work <= 30 ? "met" : "NOT met"}), the other agents' review ${m.parts.review}`,
  );
  const worked = m.notes.find((note) => note.includes("worked") || note.includes("not started"));
  const reviewed = m.notes.filter((note) => note.includes(": reviewed ") || note.includes("review cost"));
  console.log(`${label} author alpha: ${m.author.turns} turns; card execution.usage ${m.usage ? `${m.usage.inputTokens} in / ${m.usage.outputTokens} out, $${m.usage.costUsd?.toFixed(4) ?? "?"}` : "?"}`);
  if (worked) console.log(`${label}   ${worked}`);
  if (m.author.turns === 0) {
    // Nothing was measured: the bench fails rather than print a ratio over no work.
    console.log(`${label} the author never worked: NOT MEASURED`);
    process.exitCode = 1;
    return;
  }
  console.log(`${label} reviewers: ${reviewerCalls.map(([name, calls]) => `${name} ${calls} call(s)`).join(", ") || "none asked"}`);
  for (const note of reviewed) console.log(`${label}   ${note}`);
  for (const phase of m.phases) console.log(`${label}   ${phase}`);
  console.log(
    `${label} wall ${m.wallMs.toFixed(0)} ms; author ${m.author.turns} × ${AUTHOR_MS} = ${authorSum} ms; slowest reviewer ${slowestReviewer} ms; wall / (author + slowest reviewer) = ${ratio.toFixed(3)} (goal ≤ 1.2: ${ratio <= 1.2 ? "met" : "NOT met"}); wall / author alone = ${(m.wallMs / authorSum).toFixed(3)}`,
  );
}

async function main(): Promise<void> {
  console.log(`author alpha: Anthropic endpoint, ${AUTHOR_MS} ms per turn (list_files → read_file ×3 in one turn → edit_file ×3 in one turn → finish: 4 turns)`);
  console.log(`reviewers: ${Object.entries(REVIEWERS).map(([name, r]) => `${name} (${r.shape} endpoint, ${r.latencyMs} ms)`).join(", ")}; repository: ${FILES.toLocaleString("en")} files`);
  // One run first, unmeasured: SDK set-up and the first connections.
  await runWorld(WORLDS[0]!, 0);
  for (const world of WORLDS) for (const githubMs of [0, GITHUB_MS]) print(await runWorld(world, githubMs));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

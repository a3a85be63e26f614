/**
 * Review benchmark: five agents behind local servers imitating their providers' endpoints (the
 * SDKs run for real over HTTP, with the fan-out benchmark's fake endpoints and latencies), the
 * GitHub side through the local sandbox, the core handler as both doors call it.
 *
 *   npx tsx bench/review.ts
 *
 * For a 5,000-line and a 50,000-line synthetic diff it prints: wall time of the whole review
 * against the slowest agent, each agent's prompt tokens against its budget, the share of the
 * changed lines each agent saw, and the GitHub requests made.
 */
import { sandboxServices } from "../tests/support/services.js";
import { fixedClock } from "../tools/fixed-clock.js";
import { estimateTokens } from "../src/domain/tokens.js";
import type { RunReport, Services } from "../src/runtime/context.js";
import { handleEvent } from "../src/handlers/index.js";
import { startSandbox, type PullFileInput, type Sandbox } from "../tools/sandbox/index.js";
import { fakeProvider, type Reply, type Shape } from "./fanout.js";

interface BenchAgent {
  name: string;
  shape: Shape;
  latencyMs: number;
  /** `review.budget.perAgent`: estimated prompt tokens for this agent. */
  budget: number;
}

const AGENTS: BenchAgent[] = [
  { name: "claude", shape: "anthropic", latencyMs: 200, budget: 180_000 },
  { name: "chatgpt", shape: "openai", latencyMs: 350, budget: 120_000 },
  { name: "gemini", shape: "gemini", latencyMs: 500, budget: 900_000 },
  { name: "grok", shape: "openai", latencyMs: 650, budget: 120_000 },
  { name: "local", shape: "openai", latencyMs: 800, budget: 30_000 },
];
const RESERVE = 8_000;
const CHANGED = /^[+-]\d+ \| /gm;

/** What each fake endpoint was sent, and when it had the whole request, by agent. */
const seen = new Map<string, { promptChars: number; changedLines: number; receivedAt: number }>();

/** The prompt text of a provider request: every `content`, `text` and `system` string in it. */
function promptText(requestBody: string): string {
  const parts: string[] = [];
  const walk = (node: unknown, key: string) => {
    if (typeof node === "string") {
      if (key === "content" || key === "text" || key === "system") parts.push(node);
    } else if (Array.isArray(node)) node.forEach((item) => walk(item, key));
    else if (node && typeof node === "object") for (const [name, value] of Object.entries(node)) walk(value, name);
  };
  walk(JSON.parse(requestBody) as unknown, "");
  return parts.join("\n");
}

/** A reviewer that approves and comments on the first added line it was shown. */
function reviewer(agent: string): (requestBody: string) => Reply {
  return (requestBody) => {
    const prompt = promptText(requestBody);
    seen.set(agent, { promptChars: prompt.length, changedLines: prompt.match(CHANGED)?.length ?? 0, receivedAt: performance.now() });
    const file = /^### (\S+) \(/m.exec(prompt)?.[1];
    const line = Number(/^\+(\d+) \| /m.exec(prompt.slice(file ? prompt.indexOf(`### ${file}`) : 0))?.[1] ?? 0);
    const findings = file && line > 0 ? [{ file, line, startLine: null, side: "RIGHT", severity: "info", message: `${agent}: consider a test for this line`, suggestion: null }] : [];
    const text = JSON.stringify({ verdict: "approve", summary: `${agent} approves what it read.`, findings });
    // A real tokenizer counts about 4 characters per token for code; Orkestra estimates 3.
    return { text, inputTokens: Math.ceil(prompt.length / 4), outputTokens: Math.ceil(text.length / 4) };
  };
}

function config(urls: Record<string, string>): string {
  const perAgent = AGENTS.map((agent) => `${agent.name}: ${agent.budget}`).join(", ");
  return [
    "agents:",
    `  claude: { baseUrl: "${urls.claude}" }`,
    `  chatgpt: { baseUrl: "${urls.chatgpt}/v1" }`,
    `  gemini: { baseUrl: "${urls.gemini}" }`,
    `  grok: { baseUrl: "${urls.grok}/v1" }`,
    "  copilot: { enabled: false }",
    "  custom:",
    `    local: { provider: openai-compatible, baseUrl: "${urls.local}/v1", model: llama3.3 }`,
    "budgets:",
    "  perCall: { maxInputTokens: 1000000 }",
    "  perAgent: { maxTokens: 2000000, maxCostUsd: 50 }",
    "  perRun: { maxTokens: 5000000, maxCostUsd: 100 }",
    "  perDay: { maxTokens: 50000000, maxCostUsd: 500 }",
    "prices:",
    "  llama3.3: { inputPerMTok: 0, outputPerMTok: 0 }",
    "review:",
    `  budget: { tokens: 100000, reserveTokens: ${RESERVE}, perAgent: { ${perAgent} } }`,
  ].join("\n");
}

/** `files` files of `hunks` hunks, each replacing `perHunk` lines: 2 × files × hunks × perHunk changed lines. */
function syntheticFiles(prefix: string, files: number, hunks: number, perHunk: number): PullFileInput[] {
  const result: PullFileInput[] = [];
  for (let f = 0; f < files; f++) {
    const dir = ["api", "auth", "core", "ui", "db"][f % 5];
    const lines = Array.from({ length: hunks * (perHunk + 12) }, (_, i) => `  const value${i} = compute(${f}, ${i}); // original line ${i + 1}`);
    const before = lines.join("\n") + "\n";
    for (let h = 0; h < hunks; h++) {
      for (let i = 0; i < perHunk; i++) {
        const at = h * (perHunk + 12) + 6 + i;
        lines[at] = `  const value${at} = computeFaster(${f}, ${at}, options); // changed in this PR`;
      }
    }
    result.push({ path: `${prefix}/${dir}/module-${String(f).padStart(3, "0")}.ts`, before, after: lines.join("\n") + "\n" });
  }
  result.push({ path: `${prefix}/package-lock.json`, before: "{}\n", after: `${JSON.stringify({ lockfileVersion: 3, packages: { "": { name: "bench" } } }, null, 2)}\n` });
  result.push({ path: `${prefix}/dist/index.js`, before: "", after: Array.from({ length: 500 }, (_, i) => `var x${i}=${i};`).join("\n") + "\n" });
  return result;
}

const AUTH = /access_tokens|^GET \/app/;

async function measure(sandbox: Sandbox, services: Services, label: string, files: PullFileInput[], brief = false): Promise<void> {
  const pull = sandbox.as("alice").openPullRequest({ title: label, head: label.replace(/\W+/g, "-"), files });
  const event = sandbox.deliveries.filter((delivery) => delivery.name === "pull_request").at(-1)!;
  const changed = sandbox.state.pullFiles(pull.number).reduce((sum, file) => sum + file.additions + file.deletions, 0);
  seen.clear();
  sandbox.clearRequests();
  const started = performance.now();
  const report: RunReport = await handleEvent(services, event);
  const wall = performance.now() - started;
  if (report.errors.length > 0) throw new Error(report.errors.join("; "));
  const requests = sandbox.requests.map((request) => request.route ?? `${request.method} ${request.path}`).filter((line) => !AUTH.test(line));
  const review = sandbox.state.reviews(pull.number).at(-1);
  const slowest = Math.max(...AGENTS.map((agent) => agent.latencyMs));
  if (brief) return void console.log(`${label} (cold start: SDKs and connections): wall ${wall.toFixed(0)} ms, slowest agent ${slowest} ms`);
  const coverage = /Agents saw ([\d,]+) of ([\d,]+) reviewable changed lines \((\d+)%\)/.exec(review?.body ?? "");
  const reviewable = Number((coverage?.[2] ?? String(changed)).replace(/,/g, ""));
  const asked = [...seen.values()].map((entry) => entry.receivedAt);
  const answered = Math.max(...AGENTS.map((agent) => (seen.get(agent.name)?.receivedAt ?? started) + agent.latencyMs));
  const before = Math.min(...asked) - started;

  console.log(`\n## ${label}: ${changed.toLocaleString("en")} changed lines in ${files.length} files`);
  console.log(`wall time ${wall.toFixed(0)} ms, slowest agent ${slowest} ms, ratio ${(wall / slowest).toFixed(2)}`);
  console.log(
    `  before the first agent had its prompt ${before.toFixed(0)} ms (GitHub reads, parsing, packing, prompts; last prompt at +${(Math.max(...asked) - started).toFixed(0)} ms), agents until the last answer ${(answered - started - before).toFixed(0)} ms, publishing ${(started + wall - answered).toFixed(0)} ms`,
  );
  console.log(`agent     budget   room     prompt (est. ≈3 ch/tok)   prompt (provider ≈4 ch/tok)   changed lines seen (of ${reviewable.toLocaleString("en")} reviewable)`);
  for (const agent of AGENTS) {
    const got = seen.get(agent.name);
    const estimated = estimateTokens("x".repeat(got?.promptChars ?? 0));
    const share = got ? ((got.changedLines / reviewable) * 100).toFixed(1) : "0";
    console.log(
      `${agent.name.padEnd(9)} ${String(agent.budget).padStart(7)} ${String(agent.budget - RESERVE).padStart(7)}   ${String(estimated).padStart(8)} (${((estimated / agent.budget) * 100).toFixed(0).padStart(3)} % of budget)   ${String(Math.ceil((got?.promptChars ?? 0) / 4)).padStart(8)}                ${String(got?.changedLines ?? 0).padStart(6)} (${share} %)`,
    );
  }
  console.log(`review: ${review?.state}, ${sandbox.state.reviewComments(pull.number).length} inline comments, body ${review?.body.length} chars; coverage ${coverage?.[0] ?? "?"}`);
  console.log(`check run: ${sandbox.state.checkRuns(pull.head.sha).map((run) => `${run.name} ${run.conclusion}`).join(", ")}`);
  console.log(`GitHub requests: ${requests.length} (${summarize(requests)})`);
  console.log(report.notes.filter((note) => note.includes(": reviewed ") || note.includes("review cost")).join("\n"));
}

function summarize(requests: string[]): string {
  const counts = new Map<string, number>();
  for (const request of requests) counts.set(request, (counts.get(request) ?? 0) + 1);
  return [...counts.entries()].map(([request, count]) => `${count}× ${request.replace("/repos/{owner}/{repo}", "")}`).join(", ");
}

async function main(): Promise<void> {
  const servers = Object.fromEntries(await Promise.all(AGENTS.map(async (agent) => [agent.name, await fakeProvider(agent.shape, agent.latencyMs, reviewer(agent.name))] as const)));
  const urls = Object.fromEntries(Object.entries(servers).map(([name, server]) => [name, server.url]));
  const clock = fixedClock("2026-11-21T09:00:00Z");
  const sandbox = await startSandbox({ clock, collaborators: { alice: "write" }, files: { ".github/orkestra.yml": config(urls) } });
  const services = sandboxServices(sandbox, clock, {
    env: { ANTHROPIC_API_KEY: "bench", OPENAI_API_KEY: "bench", GEMINI_API_KEY: "bench", XAI_API_KEY: "bench" },
  });
  try {
    console.log(`agents: ${AGENTS.map((agent) => `${agent.name} (${agent.shape} endpoint, ${agent.latencyMs} ms)`).join(", ")}`);
    await measure(sandbox, services, "warm-up", syntheticFiles("warm", 2, 1, 5), true);
    await measure(sandbox, services, "5,000-line diff", syntheticFiles("small", 25, 4, 25));
    await measure(sandbox, services, "50,000-line diff", syntheticFiles("big", 250, 4, 25));
  } finally {
    await sandbox.close();
    await Promise.all(Object.values(servers).map((server) => server.close()));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

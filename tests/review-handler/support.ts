/** Helpers for the review scenarios: scripted reviewers, configuration, PRs, and what GitHub holds. */
import { type AgentCall } from "../../src/agents/index.js";
import { registerScriptedResponder } from "../../tools/scripted/index.js";
import type { AgentReviewAnswer } from "../../src/domain/review/schema.js";
import type { PullFileInput } from "../../tools/sandbox/index.js";
import type { Harness } from "../support/harness.js";

interface ScriptedAgent {
  delayMs?: number;
  timeoutMs?: number;
  invalidOutputs?: number;
  maxRetries?: number;
}

/** `.github/orkestra.yml`: the real agents off, these scripted ones on, `maintainers: [mona]`. */
export function reviewConfig(agents: Record<string, ScriptedAgent>, review = "", extra = ""): string {
  const custom = Object.entries(agents).flatMap(([name, agent]) => [
    `    ${name}:`,
    "      provider: scripted",
    "      model: scripted",
    ...(agent.timeoutMs !== undefined ? [`      timeoutMs: ${agent.timeoutMs}`] : []),
    ...(agent.maxRetries !== undefined ? [`      maxRetries: ${agent.maxRetries}`] : []),
    `      scripted: { delayMs: ${agent.delayMs ?? 0}, invalidOutputs: ${agent.invalidOutputs ?? 0} }`,
  ]);
  return [
    "agents:",
    ...["claude", "chatgpt", "gemini", "grok", "copilot"].map((name) => `  ${name}: { enabled: false }`),
    "  custom:",
    ...custom,
    "maintainers: [mona]",
    ...(review ? ["review:", ...review.split("\n").map((line) => `  ${line}`)] : []),
    extra,
  ].join("\n");
}

type Script = (agent: string, call: AgentCall<unknown>) => AgentReviewAnswer;

/** Scripts every agent's review answer; returns the cleanup. `calls` records who was asked. */
export function scriptReviews(script: Script, calls: string[] = []): () => void {
  return registerScriptedResponder("review", (call, { agent }) => {
    calls.push(agent);
    return script(agent, call);
  });
}

export const approve = (summary = "Looks right."): AgentReviewAnswer => ({ verdict: "approve", summary, findings: [] });
export const concern = (summary = "One question.", findings: AgentReviewAnswer["findings"] = []): AgentReviewAnswer => ({ verdict: "concern", summary, findings });
export const blocker = (summary = "Must not merge.", findings: AgentReviewAnswer["findings"] = []): AgentReviewAnswer => ({ verdict: "blocker", summary, findings });

export function finding(file: string, line: number, message: string, extra: Partial<AgentReviewAnswer["findings"][number]> = {}): AgentReviewAnswer["findings"][number] {
  return { file, line, startLine: null, side: "RIGHT", severity: "warning", message, suggestion: null, ...extra };
}

/** Thirty numbered lines, the base of the default PR's file. */
export const BASE = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join("\n") + "\n";

/** A 30-line file with lines 5 and 6 changed (RIGHT lines 2–9 are in the diff, 20 is not). */
export function changedApp(tag = "new", path = "src/app.ts"): PullFileInput {
  const lines = BASE.split("\n");
  lines[4] = `${tag} five`;
  lines[5] = `${tag} six`;
  return { path, before: BASE, after: lines.join("\n") };
}

export async function openPr(
  h: Harness,
  input: { by?: string; title?: string; head?: string; files?: PullFileInput[]; draft?: boolean; fromFork?: boolean; base?: string } = {},
): Promise<number> {
  const pull = h.sandbox.as(input.by ?? "alice").openPullRequest({
    title: input.title ?? "Change the app",
    body: "Please review.",
    head: input.head ?? "feature",
    files: input.files ?? [changedApp()],
    ...(input.draft ? { draft: true } : {}),
    ...(input.fromFork ? { fromFork: true } : {}),
    ...(input.base ? { base: input.base } : {}),
  });
  await h.settle();
  return pull.number;
}

/** Orkestra's reviews of a PR (by bots), oldest first. */
export function botReviews(h: Harness, pr: number) {
  return h.sandbox.state.reviews(pr).filter((review) => review.user?.type === "Bot");
}

export function checkRunsOf(h: Harness, pr: number) {
  const sha = h.sandbox.state.pull(pr)!.head.sha;
  return h.sandbox.state.checkRuns(sha).filter((run) => run.name === "orkestra/review");
}

/** Requests GitHub answered 422: a misplaced inline comment would be one. */
export function unprocessable(h: Harness): string[] {
  return h.sandbox.requests.filter((request) => request.status === 422).map((request) => `${request.method} ${request.path}`);
}


/**
 * API mode end to end through each provider SDK's real tool-calling path: the SDK talks HTTP to
 * the provider's endpoint (faked with nock, in the provider's wire format), Orkestra runs the tools
 * over the sandbox repository and writes the agent's change as a pull request, through both doors.
 */
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { parseCard } from "../../src/domain/task/card.js";
import { scriptedProvider } from "../../tools/scripted/index.js";
import { botComments, DOORS, startHarness, type Harness } from "../support/harness.js";

const BEFORE = "export const greet = () => 'hi';\n";
const AFTER = "export const greet = (name: string) => `hi ${name}`;\n";

/** What the fake model does at each turn: explore, read, rewrite, finish. */
const TURNS: Array<{ name: string; input: Record<string, unknown> }> = [
  { name: "list_files", input: { within: "src" } },
  { name: "read_file", input: { path: "src/greet.ts" } },
  { name: "write_file", input: { path: "src/greet.ts", content: AFTER } },
  { name: "finish", input: { summary: "`greet` now takes the person's name and greets them by it." } },
];

interface Provider {
  agent: string;
  env: Record<string, string>;
  origin: string;
  path: RegExp;
  /** Model turns already in the request: how far the conversation is. */
  turnsIn(body: Record<string, unknown>): number;
  /** The tool results the request sends back, as text. */
  resultsIn(body: Record<string, unknown>): string;
  answer(turn: number): unknown;
  usage: { input: number; output: number };
}

type Messages = Array<{ role: string; content: unknown }>;

const PROVIDERS: Provider[] = [
  {
    agent: "claude",
    env: { ANTHROPIC_API_KEY: "sk-ant-api03-test-0123456789abcdef" },
    origin: "https://api.anthropic.com",
    path: /^\/v1\/messages$/,
    turnsIn: (body) => (body.messages as Messages).filter((m) => m.role === "assistant").length,
    resultsIn: (body) =>
      JSON.stringify((body.messages as Messages).flatMap((m) => (Array.isArray(m.content) ? (m.content as Array<{ type?: string }>).filter((c) => c.type === "tool_result") : []))),
    answer: (turn) => ({
      id: `msg_${turn}`,
      type: "message",
      role: "assistant",
      model: "claude-sonnet-5",
      content: [{ type: "tool_use", id: `toolu_${turn}`, name: TURNS[turn]!.name, input: TURNS[turn]!.input, caller: { type: "direct" } }],
      stop_reason: "tool_use",
      stop_sequence: null,
      stop_details: null,
      usage: { input_tokens: 1_000, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 50, service_tier: "standard" },
    }),
    usage: { input: 1_000, output: 50 },
  },
  {
    agent: "chatgpt",
    env: { OPENAI_API_KEY: "sk-proj-test-0123456789abcdef" },
    origin: "https://api.openai.com",
    path: /^\/v1\/chat\/completions$/,
    turnsIn: (body) => (body.messages as Messages).filter((m) => m.role === "assistant").length,
    resultsIn: (body) => JSON.stringify((body.messages as Messages).filter((m) => m.role === "tool")),
    answer: (turn) => ({
      id: `chatcmpl-${turn}`,
      object: "chat.completion",
      created: 1_763_719_200,
      model: "gpt-5.4-mini-2026-03-17",
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content: null,
            refusal: null,
            annotations: [],
            tool_calls: [{ id: `call_${turn}`, type: "function", function: { name: TURNS[turn]!.name, arguments: JSON.stringify(TURNS[turn]!.input) } }],
          },
          logprobs: null,
          finish_reason: "tool_calls",
        },
      ],
      usage: { prompt_tokens: 900, completion_tokens: 40, total_tokens: 940 },
    }),
    usage: { input: 900, output: 40 },
  },
  {
    agent: "gemini",
    env: { GEMINI_API_KEY: "gemini-test-0123456789abcdef" },
    origin: "https://generativelanguage.googleapis.com",
    path: /^\/v1beta\/models\/[^/]+:generateContent$/,
    turnsIn: (body) => (body.contents as Messages).filter((m) => m.role === "model").length,
    resultsIn: (body) => JSON.stringify((body.contents as Array<{ parts: Array<{ functionResponse?: unknown }> }>).flatMap((c) => c.parts.filter((p) => p.functionResponse))),
    answer: (turn) => ({
      candidates: [
        {
          content: { role: "model", parts: [{ functionCall: { name: TURNS[turn]!.name, args: TURNS[turn]!.input, id: `fc_${turn}` } }] },
          finishReason: "STOP",
          index: 0,
        },
      ],
      usageMetadata: { promptTokenCount: 800, candidatesTokenCount: 30, totalTokenCount: 830 },
      modelVersion: "gemini-3.5-flash",
    }),
    usage: { input: 800, output: 30 },
  },
];

function config(author: string): string {
  const builtins = ["claude", "chatgpt", "gemini", "grok", "copilot"].map((name) => `  ${name}: { enabled: ${name === author} }`);
  return ["agents:", ...builtins, "  custom:", "    beta: { provider: scripted, model: scripted }", "execution:", "  enabled: true"].join("\n");
}

describe.each(DOORS)("API mode through each provider's SDK, through the %s", (door) => {
  let h: Harness;
  afterEach(async () => {
    nock.cleanAll();
    await h?.close();
  });

  it.each(PROVIDERS)("$agent explores, rewrites a file and finishes; Orkestra opens the pull request", async (provider) => {
    const requests: Array<Record<string, unknown>> = [];
    nock(provider.origin)
      .persist()
      .post(provider.path)
      .reply((_uri, body) => {
        const request = body as Record<string, unknown>;
        requests.push(request);
        return [200, provider.answer(provider.turnsIn(request))];
      });
    h = await startHarness(
      door,
      { files: { ".github/orkestra.yml": config(provider.agent), "README.md": "# Demo\n", "src/greet.ts": BEFORE } },
      { env: provider.env, agentOptions: { scripted: scriptedProvider() } },
    );
    const task = h.sandbox.as("alice").openIssue({ title: "Greet people by name" });
    await h.settle();
    h.sandbox.as("alice").comment(task.number, `/assign ${provider.agent}`);
    await h.settle();

    // Four model turns, each answering the last tool result over the provider's own format.
    expect(requests).toHaveLength(4);
    expect(provider.resultsIn(requests[1]!)).toContain("src/greet.ts");
    expect(provider.resultsIn(requests[2]!)).toContain("1|export const greet = () => 'hi';");
    expect(provider.resultsIn(requests[3]!)).toContain("replaced src/greet.ts");

    const [pr] = h.sandbox.state.pulls();
    expect(pr!.head.ref).toBe(`orkestra/${task.number}-greet-people-by-name`);
    expect(h.sandbox.state.pullFiles(pr!.number).map((file) => [file.filename, file.status])).toEqual([["src/greet.ts", "modified"]]);
    expect(pr!.body).toContain("`greet` now takes the person's name and greets them by it.");
    const card = botComments(h.sandbox, task.number).map(parseCard).find((meta) => meta !== null)!;
    expect(card.status).toBe("review");
    expect(card.execution).toMatchObject({ agent: provider.agent, mode: "api", commits: 1, usage: { inputTokens: 4 * provider.usage.input, outputTokens: 4 * provider.usage.output } });
    // Reviewed by the other agent only.
    const reviews = h.sandbox.state.reviews(pr!.number);
    expect(reviews).toHaveLength(1);
    expect(reviews[0]!.body).toContain('"agents":["beta"]');
  });
});

/**
 * The tool loop through Chat Completions (tools / tool_calls / role "tool"), which OpenAI, xAI and
 * OpenAI-compatible servers share; faked with nock so the official SDK does the wire work.
 */
import nock from "nock";
import { describe, expect, it } from "vitest";
import { config, recordingLogger, roster } from "./helpers.js";
import { FIXED, SCENARIO, fakeRepo, fixTask } from "./tool-loop-support.js";

const cases = [
  { title: "OpenAI (chatgpt)", agent: "chatgpt", origin: "https://api.openai.com", agents: { chatgpt: { enabled: true } }, env: { OPENAI_API_KEY: "sk-proj-test-0123456789abcdef" }, tokenParam: "max_completion_tokens" },
  { title: "xAI (grok)", agent: "grok", origin: "https://api.x.ai", agents: { grok: { enabled: true } }, env: { XAI_API_KEY: "xai-test-0123456789abcdef" }, tokenParam: "max_completion_tokens" },
  {
    title: "OpenAI-compatible (a local Ollama)",
    agent: "llama",
    origin: "http://ollama.internal:11434",
    agents: { custom: { llama: { provider: "openai-compatible", baseUrl: "http://ollama.internal:11434/v1", model: "llama3.3" } } },
    env: {},
    tokenParam: "max_tokens",
  },
];
const PATH = "/v1/chat/completions";

type Call = [id: string, name: string, args: unknown];

/** A chat completion that calls tools (finish_reason tool_calls); `arguments` is a JSON string, as on the wire. */
function toolCalls(calls: Call[], content: string | null = null) {
  return {
    id: "chatcmpl-tools",
    object: "chat.completion",
    created: 1_763_719_200,
    model: "gpt-5.4-mini-2026-03-17",
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content,
          refusal: null,
          annotations: [],
          tool_calls: calls.map(([id, name, args]) => ({ id, type: "function", function: { name, arguments: typeof args === "string" ? args : JSON.stringify(args) } })),
        },
        logprobs: null,
        finish_reason: "tool_calls",
      },
    ],
    usage: { prompt_tokens: 900, completion_tokens: 40, total_tokens: 940 },
  };
}

interface Body {
  tools: Array<{ type: string; function: { name: string; parameters: { type: string } } }>;
  messages: Array<{ role: string; content: string | null; tool_call_id?: string; tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }> }>;
  [param: string]: unknown;
}

describe.each(cases)("tool loop through $title", (c) => {
  function serve(...answers: unknown[]): Body[] {
    const bodies: Body[] = [];
    let scope = nock(c.origin);
    for (const answer of answers) scope = scope.post(PATH, (b: Body) => (bodies.push(b), true)).reply(200, answer as nock.Body);
    return bodies;
  }
  const agent = () => roster({ config: config(c.agents), env: c.env, logger: recordingLogger() }).get(c.agent)!;
  const threeTurns = () => [
    toolCalls([["call_1", "list_files", SCENARIO.list]]),
    toolCalls([["call_2", "read_file", SCENARIO.read]]),
    toolCalls([["call_3", "edit_file", SCENARIO.edit], ["call_4", "finish", SCENARIO.finish]]),
  ];

  it("carries out list → read → edit → finish in three turns and returns the finish input", async () => {
    serve(...threeTurns());
    const repo = fakeRepo();
    const result = await agent().runToolLoop(fixTask(repo.tools));
    expect(result).toMatchObject({ ok: true, value: SCENARIO.finish, summary: { turns: 3, toolCalls: { list_files: 1, read_file: 1, edit_file: 1, finish: 1 } } });
    expect(result.summary.usage).toMatchObject({ inputTokens: 2_700, outputTokens: 120 });
    expect(repo.files["src/sum.ts"]).toBe(FIXED);
  });

  it("offers function tools with their JSON Schema and the provider's output-token parameter", async () => {
    const bodies = serve(...threeTurns());
    await agent().runToolLoop(fixTask(fakeRepo().tools));
    expect(bodies[0]!.tools.map((t) => [t.type, t.function.name, t.function.parameters.type])).toEqual([
      ["function", "list_files", "object"],
      ["function", "read_file", "object"],
      ["function", "edit_file", "object"],
      ["function", "finish", "object"],
    ]);
    expect(bodies[0]![c.tokenParam]).toBe(2048);
  });

  it("replays the assistant's tool_calls with the arguments string as written, then one tool message per call", async () => {
    const bodies = serve(...threeTurns());
    await agent().runToolLoop(fixTask(fakeRepo().tools));
    const [system, , assistant, tool] = bodies[1]!.messages;
    expect(system!.role).toBe("system");
    expect(assistant).toMatchObject({ role: "assistant", tool_calls: [{ id: "call_1", function: { name: "list_files", arguments: JSON.stringify(SCENARIO.list) } }] });
    expect(tool).toMatchObject({ role: "tool", tool_call_id: "call_1", content: expect.stringContaining("src/sum.ts") });
  });

  it("answers parallel tool_calls with tool messages in the same order", async () => {
    const bodies = serve(
      toolCalls([["call_a", "read_file", { path: "src/sum.ts" }], ["call_b", "read_file", { path: "README.md" }], ["call_c", "list_files", {}]]),
      toolCalls([["call_d", "finish", SCENARIO.finish]]),
    );
    await agent().runToolLoop(fixTask(fakeRepo().tools));
    const tools = bodies[1]!.messages.filter((m) => m.role === "tool");
    expect(tools.map((m) => m.tool_call_id)).toEqual(["call_a", "call_b", "call_c"]);
    expect(tools[0]!.content).toContain("a - b");
    expect(tools[1]!.content).toContain("# Demo");
  });

  it("reports arguments that are not valid JSON to the model as an error", async () => {
    const bodies = serve(toolCalls([["call_1", "read_file", '{"path": "src/sum.ts"']]), toolCalls([["call_2", "finish", SCENARIO.finish]]));
    const result = await agent().runToolLoop(fixTask(fakeRepo().tools));
    expect(bodies[1]!.messages.at(-1)).toMatchObject({ role: "tool", tool_call_id: "call_1", content: expect.stringMatching(/^Error: The arguments of read_file are not valid JSON/) });
    expect(result).toMatchObject({ ok: true, summary: { toolErrors: 1 } });
  });
});

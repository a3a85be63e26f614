/** The tool loop through Anthropic's Messages API (tool_use / tool_result), faked with nock. */
import nock from "nock";
import { describe, expect, it } from "vitest";
import { config, recordingLogger, roster } from "./helpers.js";
import { FIXED, SCENARIO, fakeRepo, fixTask } from "./tool-loop-support.js";

const ORIGIN = "https://api.anthropic.com";
const PATH = "/v1/messages";
const env = { ANTHROPIC_API_KEY: "sk-ant-api03-test-0123456789abcdef" };

type Call = [id: string, name: string, input: unknown];

/** A Messages API answer that calls tools (stop_reason tool_use), in the real shape. */
function toolUse(calls: Call[], text = "") {
  return {
    id: "msg_01Tool",
    type: "message",
    role: "assistant",
    model: "claude-sonnet-5",
    content: [
      ...(text ? [{ type: "text", text, citations: null }] : []),
      ...calls.map(([id, name, input]) => ({ type: "tool_use", id, name, input, caller: { type: "direct" } })),
    ],
    stop_reason: "tool_use",
    stop_sequence: null,
    stop_details: null,
    usage: { input_tokens: 1_000, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 60, service_tier: "standard" },
  };
}

interface Body {
  tools: Array<{ name: string; input_schema: { type: string; properties: Record<string, unknown> } }>;
  messages: Array<{ role: string; content: string | Array<Record<string, unknown>> }>;
}

/** Queues the answers in order and records every request body. */
function serve(...answers: Array<[number, unknown, Record<string, string>?]>): Body[] {
  const bodies: Body[] = [];
  let scope = nock(ORIGIN);
  for (const [status, body, headers] of answers) scope = scope.post(PATH, (b: Body) => (bodies.push(b), true)).reply(status, body as nock.Body, headers);
  return bodies;
}

const ok = (answer: unknown): [number, unknown] => [200, answer];

function claude(logger = recordingLogger()) {
  return roster({ config: config({ claude: { enabled: true } }), env, logger }).get("claude")!;
}

const threeTurns = () => [
  ok(toolUse([["toolu_01", "list_files", SCENARIO.list]], "Let me look around.")),
  ok(toolUse([["toolu_02", "read_file", SCENARIO.read]])),
  ok(toolUse([["toolu_03", "edit_file", SCENARIO.edit], ["toolu_04", "finish", SCENARIO.finish]])),
];

describe("tool loop through Anthropic", () => {
  it("carries out list → read → edit → finish in three turns and returns the finish input", async () => {
    serve(...threeTurns());
    const repo = fakeRepo();
    const result = await claude().runToolLoop(fixTask(repo.tools));
    expect(result).toMatchObject({ ok: true, value: SCENARIO.finish });
    expect(result.summary).toMatchObject({ turns: 3, stop: "finished", toolCalls: { list_files: 1, read_file: 1, edit_file: 1, finish: 1 } });
    expect(result.summary.usage).toMatchObject({ inputTokens: 3_000, outputTokens: 180, model: "claude-sonnet-5" });
    expect(repo.files["src/sum.ts"]).toBe(FIXED);
  });

  it("offers every tool, finish included, with an object input_schema", async () => {
    const bodies = serve(...threeTurns());
    await claude().runToolLoop(fixTask(fakeRepo().tools));
    expect(bodies[0]!.tools.map((t) => t.name)).toEqual(["list_files", "read_file", "edit_file", "finish"]);
    expect(bodies[0]!.tools[3]!.input_schema).toMatchObject({ type: "object", properties: { summary: { type: "string" }, changedFiles: { type: "array" } } });
  });

  it("answers a tool_use with a tool_result of the same id, after replaying the assistant turn", async () => {
    const bodies = serve(...threeTurns());
    await claude().runToolLoop(fixTask(fakeRepo().tools));
    const [, assistant, results] = bodies[1]!.messages;
    expect(assistant).toMatchObject({ role: "assistant", content: [{ type: "text", text: "Let me look around." }, { type: "tool_use", id: "toolu_01", name: "list_files" }] });
    expect(results).toMatchObject({ role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_01", content: expect.stringContaining("src/sum.ts") }] });
  });

  it("answers parallel tool_use blocks with tool_results in the same order, in one message", async () => {
    const bodies = serve(
      ok(toolUse([["toolu_a", "read_file", { path: "README.md" }], ["toolu_b", "read_file", { path: "src/sum.ts" }]])),
      ok(toolUse([["toolu_c", "finish", SCENARIO.finish]])),
    );
    await claude().runToolLoop(fixTask(fakeRepo().tools));
    const results = bodies[1]!.messages[2]!.content as Array<{ tool_use_id: string; content: string }>;
    expect(results.map((r) => r.tool_use_id)).toEqual(["toolu_a", "toolu_b"]);
    expect(results[0]!.content).toContain("# Demo");
    expect(results[1]!.content).toContain("a - b");
  });

  it("returns invalid tool input to the model as a tool_result with is_error", async () => {
    const bodies = serve(ok(toolUse([["toolu_1", "read_file", { file: "src/sum.ts" }]])), ok(toolUse([["toolu_2", "finish", SCENARIO.finish]])));
    const result = await claude().runToolLoop(fixTask(fakeRepo().tools));
    expect(bodies[1]!.messages[2]!.content).toEqual([
      expect.objectContaining({ type: "tool_result", tool_use_id: "toolu_1", is_error: true, content: expect.stringMatching(/Invalid input for read_file[\s\S]*path/) }),
    ]);
    expect(result.summary).toMatchObject({ turns: 2, toolErrors: 1 });
  });

  it("retries a 429 mid-loop after the retry-after delay and carries on", async () => {
    const rateLimited = { type: "error", error: { type: "rate_limit_error", message: "Number of request tokens has exceeded your per-minute rate limit" } };
    serve(ok(toolUse([["toolu_1", "list_files", {}]])), [429, rateLimited, { "retry-after": "0.02" }], ok(toolUse([["toolu_2", "finish", SCENARIO.finish]])));
    const logger = recordingLogger();
    const result = await claude(logger).runToolLoop(fixTask(fakeRepo().tools));
    expect(result).toMatchObject({ ok: true, summary: { turns: 2 } });
    expect(logger.lines.some((l) => /retry 1 in 20ms/.test(l))).toBe(true);
  });

  it("ends as refused on stop_reason refusal", async () => {
    serve(ok({ ...toolUse([]), stop_reason: "refusal", stop_details: { type: "refusal", category: "cyber", explanation: null } }));
    const result = await claude().runToolLoop(fixTask(fakeRepo().tools));
    expect(result).toMatchObject({ ok: false, error: { kind: "refused", message: expect.stringContaining("cyber") }, summary: { stop: "refused", turns: 1 } });
  });
});

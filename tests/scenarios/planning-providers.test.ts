/**
 * `/plan` with real planners: Claude, ChatGPT and Gemini through their official SDKs, whose HTTP
 * endpoints are faked with nock in each provider's wire format (structured output as JSON text),
 * through both doors. The three agree at once; the plan comment records each one's spend.
 */
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { readPlanState, type PlanState } from "../../src/domain/planning/index.js";
import { botComments, DOORS, startHarness, type Harness } from "../support/harness.js";

const PLAN = {
  items: [
    { key: "schema", title: "Design the schema", description: "Tables for payments.", type: "technical", priority: "high", acceptance: ["migrations run"], dependsOn: [], agent: null },
    { key: "api", title: "Build the API", description: "Endpoints on the schema.", type: "technical", priority: "medium", acceptance: ["tests pass"], dependsOn: ["schema"], agent: "claude" },
  ],
  reason: "the API needs the schema first",
};
const TEXT = JSON.stringify(PLAN);

interface Provider {
  agent: string;
  env: Record<string, string>;
  origin: string;
  path: RegExp;
  answer: unknown;
}

const PROVIDERS: Provider[] = [
  {
    agent: "claude",
    env: { ANTHROPIC_API_KEY: "sk-ant-api03-test-0123456789abcdef" },
    origin: "https://api.anthropic.com",
    path: /^\/v1\/messages$/,
    answer: {
      id: "msg_plan",
      type: "message",
      role: "assistant",
      model: "claude-sonnet-5",
      content: [{ type: "text", text: TEXT, citations: null }],
      stop_reason: "end_turn",
      stop_sequence: null,
      stop_details: null,
      usage: { input_tokens: 1_200, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 300, service_tier: "standard" },
    },
  },
  {
    agent: "chatgpt",
    env: { OPENAI_API_KEY: "sk-proj-test-0123456789abcdef" },
    origin: "https://api.openai.com",
    path: /^\/v1\/chat\/completions$/,
    answer: {
      id: "chatcmpl-plan",
      object: "chat.completion",
      created: 1_763_719_200,
      model: "gpt-5.4-mini-2026-03-17",
      choices: [{ index: 0, message: { role: "assistant", content: TEXT, refusal: null, annotations: [] }, logprobs: null, finish_reason: "stop" }],
      usage: { prompt_tokens: 1_100, completion_tokens: 280, total_tokens: 1_380 },
    },
  },
  {
    agent: "gemini",
    env: { GEMINI_API_KEY: "gemini-test-0123456789abcdef" },
    origin: "https://generativelanguage.googleapis.com",
    path: /^\/v1beta\/models\/[^/]+:generateContent$/,
    answer: {
      candidates: [{ content: { role: "model", parts: [{ text: TEXT }] }, finishReason: "STOP", index: 0 }],
      usageMetadata: { promptTokenCount: 1_000, candidatesTokenCount: 250, totalTokenCount: 1_250 },
      modelVersion: "gemini-3.5-flash",
    },
  },
];

const CONFIG = ["agents:", ...["claude", "chatgpt", "gemini", "grok", "copilot"].map((name) => `  ${name}: { enabled: ${name !== "grok" && name !== "copilot"} }`)].join("\n");

describe.each(DOORS)("/plan with planners behind their providers' SDKs, through the %s", (door) => {
  let h: Harness;
  afterEach(async () => {
    nock.cleanAll();
    await h?.close();
  });

  it("Claude, ChatGPT and Gemini agree at once; each is asked once with the epic as data", async () => {
    const bodies = new Map<string, string[]>();
    for (const provider of PROVIDERS) {
      nock(provider.origin)
        .persist()
        .post(provider.path)
        .reply((_uri, body) => {
          bodies.set(provider.agent, [...(bodies.get(provider.agent) ?? []), JSON.stringify(body)]);
          return [200, provider.answer];
        });
    }
    const env = Object.assign({}, ...PROVIDERS.map((provider) => provider.env)) as Record<string, string>;
    h = await startHarness(door, { files: { ".github/orkestra.yml": CONFIG } }, { env });
    const epic = h.sandbox.as("alice").openIssue({ title: "Payments", body: "Take card payments." });
    await h.settle();
    h.sandbox.as("trish").comment(epic.number, "/plan");
    await h.settle();

    for (const provider of PROVIDERS) {
      expect(bodies.get(provider.agent), provider.agent).toHaveLength(1);
      expect(bodies.get(provider.agent)![0]).toContain("Take card payments.");
    }
    const state = botComments(h.sandbox, epic.number).map(readPlanState).find((found): found is PlanState => found !== null)!;
    expect(state.planners).toEqual(["claude", "chatgpt", "gemini"]);
    expect(state.status).toBe("proposed");
    expect(state.plan).toMatchObject({ agreed: true });
    expect(state.plan!.items.map((item) => `${item.key}<${item.dependsOn.join(",")}`)).toEqual(["schema<", "api<schema"]);
    expect(state.spend.claude).toMatchObject({ calls: 1, inputTokens: 1_200, outputTokens: 300 });
    expect(state.spend.chatgpt).toMatchObject({ calls: 1, inputTokens: 1_100, outputTokens: 280 });
    expect(state.spend.gemini).toMatchObject({ calls: 1, inputTokens: 1_000, outputTokens: 250 });
  });
});

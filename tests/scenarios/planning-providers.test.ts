/**
 * `/plan` with real planners: Claude, ChatGPT and Gemini through their official SDKs, whose HTTP
 * endpoints are faked with nock in each provider's wire format (structured output as JSON text),
 * through both doors: they agree at once; Gemini differs and converges in round 2 after reading
 * the others; Gemini never agrees and the round limit settles it. The plan comment records the spend.
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
/** Gemini's own idea in round 1: one change for everything. */
const ONE_CHANGE = JSON.stringify({
  items: [{ key: "all", title: "Do it all at once", description: "One change.", type: "technical", priority: "high", acceptance: ["it works"], dependsOn: [], agent: null }],
  reason: "one change is simpler",
});

/** The round a planner is asked for: the `plan` data block's first field, as the SDK sent it. */
function roundIn(body: string): number {
  return Number(/\\"round\\": (\d+)/.exec(body)?.[1] ?? 0);
}

/** The provider's answer with other text in it (the wire format is the provider's own). */
function withText(provider: Provider, text: string): unknown {
  return JSON.parse(JSON.stringify(provider.answer).replace(JSON.stringify(TEXT).slice(1, -1), JSON.stringify(text).slice(1, -1)));
}

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

  /** Claude and ChatGPT propose PLAN; Gemini proposes ONE_CHANGE in round 1 and then `later(round)`. */
  async function planWithGemini(later: (round: number) => string): Promise<{ state: PlanState; comment: string; geminiRounds: number[]; secondRound: string }> {
    const rounds: number[] = [];
    let secondRound = "";
    for (const provider of PROVIDERS) {
      nock(provider.origin)
        .persist()
        .post(provider.path)
        .reply((_uri, body) => {
          const text = JSON.stringify(body);
          const round = roundIn(text);
          if (provider.agent !== "gemini") return [200, provider.answer];
          rounds.push(round);
          if (round === 2) secondRound = text;
          return [200, withText(provider, round === 1 ? ONE_CHANGE : later(round))];
        });
    }
    const env = Object.assign({}, ...PROVIDERS.map((provider) => provider.env)) as Record<string, string>;
    h = await startHarness(door, { files: { ".github/orkestra.yml": CONFIG } }, { env });
    const epic = h.sandbox.as("alice").openIssue({ title: "Payments", body: "Take card payments." });
    await h.settle();
    h.sandbox.as("trish").comment(epic.number, "/plan");
    await h.settle();
    const comment = botComments(h.sandbox, epic.number).find((body) => readPlanState(body) !== null)!;
    return { state: readPlanState(comment)!, comment, geminiRounds: rounds, secondRound };
  }

  it("Gemini differs in round 1, reads the others' proposals and reasons, and they agree in round 2", async () => {
    const { state, geminiRounds, secondRound } = await planWithGemini(() => TEXT);
    expect(geminiRounds).toEqual([1, 2]);
    // Round 2's data holds the others' proposals and reasons, sent through Gemini's SDK.
    expect(secondRound).toContain("the API needs the schema first");
    expect(secondRound).toContain("Design the schema");
    expect(state).toMatchObject({ status: "proposed", plan: { agreed: true } });
    expect(state.rounds.map((round) => round.round)).toEqual([1, 2]);
    expect(state.spend.gemini).toMatchObject({ calls: 2 });
  });

  it("Gemini never agrees: the round limit settles the plan by majority and the disagreement is shown", async () => {
    const { state, comment, geminiRounds } = await planWithGemini(() => ONE_CHANGE);
    expect(geminiRounds).toEqual([1, 2, 3]);
    expect(state.status).toBe("proposed");
    expect(state.plan!.agreed).toBe(false);
    expect(state.plan!.items.map((item) => item.key)).toEqual(["schema", "api"]);
    expect(state.plan!.disagreements.join("\n")).toMatch(/Do it all at once.*gemini/);
    expect(comment).toContain("Do it all at once");
  });
});

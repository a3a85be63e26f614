/**
 * Fan-out benchmark: one structured call to five agents at once, each behind a local server that
 * imitates its provider's endpoint (same paths, same response shapes) and answers after a fixed
 * latency. The SDKs run for real over HTTP on 127.0.0.1.
 *
 *   npx tsx bench/fanout.ts [rounds]
 *
 * Prints wall time / slowest agent latency (goal ≤ 1.15: fanning out costs little more than the
 * slowest agent) and the tokens counted.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { z } from "zod";
import { createAgents, type AgentResult } from "../src/agents/index.js";
import { agentsConfigSchema } from "../src/config/agents.js";

const verdict = { verdict: "comment", summary: "Handle the empty list before indexing it.", confidence: 0.8 };
const schema = z.object({ verdict: z.enum(["approve", "request-changes", "comment"]), summary: z.string(), confidence: z.number().min(0).max(1) });

export type Shape = "anthropic" | "openai" | "gemini";

/** What a fake endpoint answers: the model's text and the token counts it reports. */
export interface Reply {
  text: string;
  inputTokens: number;
  outputTokens: number;
  /** The model the OpenAI-shaped answer names (prices are looked up by it); default `bench-model`. */
  model?: string;
}

const VERDICT_REPLY: Reply = { text: JSON.stringify(verdict), inputTokens: 900, outputTokens: 40 };

/** Response bodies in each provider's real shape. */
export function body(shape: Shape, reply: Reply = VERDICT_REPLY): unknown {
  const { text, inputTokens, outputTokens } = reply;
  switch (shape) {
    case "anthropic":
      return {
        id: "msg_bench",
        type: "message",
        role: "assistant",
        model: "claude-sonnet-5",
        content: [{ type: "text", text }],
        stop_reason: "end_turn",
        stop_sequence: null,
        stop_details: null,
        usage: { input_tokens: inputTokens, output_tokens: outputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
      };
    case "openai":
      return {
        id: "chatcmpl-bench",
        object: "chat.completion",
        created: 1_763_719_200,
        model: reply.model ?? "bench-model",
        choices: [{ index: 0, message: { role: "assistant", content: text, refusal: null }, logprobs: null, finish_reason: "stop" }],
        usage: { prompt_tokens: inputTokens, completion_tokens: outputTokens, total_tokens: inputTokens + outputTokens },
      };
    case "gemini":
      return {
        candidates: [{ content: { parts: [{ text }], role: "model" }, finishReason: "STOP", index: 0 }],
        usageMetadata: { promptTokenCount: inputTokens, candidatesTokenCount: outputTokens, totalTokenCount: inputTokens + outputTokens },
        modelVersion: "gemini-3.5-flash",
      };
  }
}

/**
 * A local server imitating a provider endpoint: it answers every request after `latencyMs`, with
 * `answer(requestBody)` (default: the fan-out verdict) in the provider's response shape.
 */
export async function fakeProvider(shape: Shape, latencyMs: number, answer?: (requestBody: string) => Reply): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const reply = answer ? answer(Buffer.concat(chunks).toString("utf8")) : VERDICT_REPLY;
      setTimeout(() => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body(shape, reply))), latencyMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 5);
  const latencies = { claude: 200, chatgpt: 350, gemini: 500, grok: 650, local: 800 };
  const servers = {
    claude: await fakeProvider("anthropic", latencies.claude),
    chatgpt: await fakeProvider("openai", latencies.chatgpt),
    gemini: await fakeProvider("gemini", latencies.gemini),
    grok: await fakeProvider("openai", latencies.grok),
    local: await fakeProvider("openai", latencies.local),
  };
  const config = agentsConfigSchema.parse({
    claude: { baseUrl: servers.claude.url },
    chatgpt: { baseUrl: `${servers.chatgpt.url}/v1` },
    gemini: { baseUrl: servers.gemini.url },
    grok: { baseUrl: `${servers.grok.url}/v1` },
    copilot: { enabled: false },
    custom: { local: { provider: "openai-compatible", baseUrl: `${servers.local.url}/v1`, model: "llama3.3" } },
  });
  const roster = createAgents({
    config,
    env: { ANTHROPIC_API_KEY: "bench", OPENAI_API_KEY: "bench", GEMINI_API_KEY: "bench", XAI_API_KEY: "bench" },
  });
  const call = {
    task: "review",
    instructions: "Review the change and give a verdict.",
    data: [{ label: "diff", content: "- const first = items[0];\n+ const first = items.length ? items[0] : undefined;" }],
    schema,
  };
  const slowest = Math.max(...Object.values(latencies));

  console.log(`agents: ${roster.agents.map((a) => `${a.name} (${latencies[a.name as keyof typeof latencies]} ms)`).join(", ")}`);
  const ratios: number[] = [];
  let tokens = 0;
  for (let round = 0; round <= rounds; round += 1) {
    const started = performance.now();
    const results: Array<AgentResult<z.infer<typeof schema>>> = await Promise.all(roster.agents.map((agent) => agent.call(call)));
    const wall = performance.now() - started;
    const failed = results.filter((r) => !r.ok);
    if (failed.length > 0) throw new Error(`calls failed: ${JSON.stringify(failed)}`);
    const roundTokens = results.reduce((sum, r) => sum + (r.usage ? r.usage.inputTokens + r.usage.outputTokens : 0), 0);
    const label = round === 0 ? "cold (first call, SDK set-up and connections)" : `round ${round}`;
    console.log(`${label}: wall ${wall.toFixed(0)} ms, slowest agent ${slowest} ms, ratio ${(wall / slowest).toFixed(3)}, tokens ${roundTokens}`);
    if (round > 0) {
      ratios.push(wall / slowest);
      tokens += roundTokens;
    }
  }
  const sorted = [...ratios].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? NaN;
  const worst = sorted.at(-1) ?? NaN;
  console.log(`\nwarm rounds: ${ratios.length}, median ratio ${median.toFixed(3)}, worst ${worst.toFixed(3)} (goal ≤ 1.15: ${worst <= 1.15 ? "met" : "NOT met"})`);
  console.log(`tokens counted over warm rounds: ${tokens} (${tokens / ratios.length} per fan-out); run ledger: ${JSON.stringify(roster.usage().run.total)}`);
  await Promise.all(Object.values(servers).map((s) => s.close()));
}

// Run only as a script: bench/review.ts imports the fake endpoints from here.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}

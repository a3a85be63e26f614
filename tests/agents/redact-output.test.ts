/**
 * Issue 12, item 8: what an agent says is redacted like its errors, before it leaves the agents
 * layer — structured answers (every string, however deep) and a tool loop's `finish` fields —
 * while everything that is not a secret comes back unchanged.
 */
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { registerScriptedResponder } from "../../tools/scripted/index.js";
import { createRedactor } from "../../src/agents/index.js";
import { redactDeep } from "../../src/agents/redact.js";
import { config, roster } from "./helpers.js";

/** A key the roster knows from its environment (not of any well-known shape). */
const KNOWN = "orkestra-deploy-secret-4f9a1c";
/** A key of a well-known shape that the roster was never told about. */
const SHAPED = "ghp_abcdefghijklmnopqrstuvwxyz0123";
const env = { DEPLOY_TOKEN: KNOWN };

const answerSchema = z.object({
  verdict: z.enum(["approve", "comment"]),
  summary: z.string(),
  confidence: z.number(),
  comments: z.array(z.object({ path: z.string(), line: z.number().int(), body: z.string() })),
  followUp: z.string().nullable(),
});

const call = {
  task: "review",
  instructions: "Review the change.",
  data: [{ label: "diff", content: "+ const x = 1;" }],
  schema: answerSchema,
};

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  nock.cleanAll();
});

describe("redaction of what agents say", () => {
  it("masks known secrets and key shapes in every string of a structured answer, however deep", async () => {
    cleanups.push(
      registerScriptedResponder("review", () => ({
        verdict: "comment",
        summary: `The config sets DEPLOY_TOKEN=${KNOWN}; rotate it.`,
        confidence: 0.8,
        comments: [
          { path: "src/config.ts", line: 3, body: `Hard-coded token ${SHAPED} here.` },
          { path: "src/app.ts", line: 9, body: "Fine." },
        ],
        followUp: `Bearer ${KNOWN}`,
      })),
    );
    const agent = roster({ config: config({ custom: { alpha: { provider: "scripted", model: "scripted" } } }), env }).get("alpha")!;
    const result = await agent.call(call);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const text = JSON.stringify(result.value);
    expect(text).not.toContain(KNOWN);
    expect(text).not.toContain(SHAPED);
    expect(result.value).toEqual({
      verdict: "comment",
      summary: "The config sets DEPLOY_TOKEN=[REDACTED]; rotate it.",
      confidence: 0.8,
      comments: [
        { path: "src/config.ts", line: 3, body: "Hard-coded token [REDACTED] here." },
        { path: "src/app.ts", line: 9, body: "Fine." },
      ],
      followUp: "Bearer [REDACTED]",
    });
  });

  it("masks secrets in the fields of a tool loop's finish call", async () => {
    const key = "sk-proj-test-0123456789abcdef";
    nock("https://api.openai.com")
      .post("/v1/chat/completions")
      .reply(200, {
        id: "chatcmpl-redact",
        object: "chat.completion",
        created: 1_763_719_200,
        model: "gpt-5.4-mini",
        choices: [
          {
            index: 0,
            message: {
              role: "assistant",
              content: null,
              refusal: null,
              tool_calls: [
                {
                  id: "call_f",
                  type: "function",
                  function: { name: "finish", arguments: JSON.stringify({ summary: `Used ${key} and ${KNOWN} to test.`, notes: [`token ${SHAPED}`, "plain"] }) },
                },
              ],
            },
            logprobs: null,
            finish_reason: "tool_calls",
          },
        ],
        usage: { prompt_tokens: 900, completion_tokens: 40, total_tokens: 940 },
      });
    const agent = roster({ config: config({ chatgpt: { enabled: true } }), env: { OPENAI_API_KEY: key, ...env } }).get("chatgpt")!;
    const result = await agent.runToolLoop({
      task: "implement",
      instructions: "Do it, then call finish.",
      data: [{ label: "issue body", content: "Do the thing." }],
      tools: [],
      finish: z.object({ notes: z.array(z.string()) }),
    });
    expect(result).toMatchObject({ ok: true, value: { summary: "Used [REDACTED] and [REDACTED] to test.", notes: ["token [REDACTED]", "plain"] } });
  });

  it("keeps an answer without secrets exactly as it was, the same object included", () => {
    const redact = createRedactor([KNOWN]);
    const value = { summary: "All good.", n: 3, flag: true, none: null, list: ["a", { b: "c" }], when: new Date(0) };
    expect(redactDeep(value, redact)).toBe(value);
    const leaky = { ...value, list: ["a", { b: KNOWN }] };
    const out = redactDeep(leaky, redact);
    expect(out).toEqual({ ...value, list: ["a", { b: "[REDACTED]" }] });
    expect(out.when).toBe(value.when);
    expect(leaky.list[1]).toEqual({ b: KNOWN }); // the input is not changed
  });
});

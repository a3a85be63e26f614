/** The tool loop through Gemini's generateContent (functionCall / functionResponse), faked with nock. */
import nock from "nock";
import { describe, expect, it } from "vitest";
import { config, recordingLogger, roster } from "./helpers.js";
import { FIXED, SCENARIO, fakeRepo, fixTask } from "./tool-loop-support.js";

const ORIGIN = "https://generativelanguage.googleapis.com";
const PATH = "/v1beta/models/gemini-3.5-flash:generateContent";
const env = { GEMINI_API_KEY: "AIzaSyTest0123456789abcdefghijklmnopq" };

type Call = { name: string; args: unknown; id?: string; signature?: string };

/** A generateContent answer with functionCall parts, in the real shape (Gemini 3 signs the first call). */
function functionCalls(calls: Call[], text?: string) {
  return {
    candidates: [
      {
        content: {
          role: "model",
          parts: [
            ...(text ? [{ text }] : []),
            ...calls.map((c) => ({ functionCall: { name: c.name, args: c.args, ...(c.id ? { id: c.id } : {}) }, ...(c.signature ? { thoughtSignature: c.signature } : {}) })),
          ],
        },
        finishReason: "STOP",
        index: 0,
      },
    ],
    usageMetadata: { promptTokenCount: 800, candidatesTokenCount: 30, thoughtsTokenCount: 20, totalTokenCount: 850 },
    modelVersion: "gemini-3.5-flash",
    responseId: "resp-tools",
  };
}

interface Body {
  contents: Array<{ role: string; parts: Array<Record<string, unknown>> }>;
  tools: Array<{ functionDeclarations: Array<{ name: string; parametersJsonSchema: Record<string, unknown> }> }>;
}

function serve(...answers: Array<[number, unknown]>): Body[] {
  const bodies: Body[] = [];
  let scope = nock(ORIGIN);
  for (const [status, body] of answers) scope = scope.post(PATH, (b: Body) => (bodies.push(b), true)).reply(status, body as nock.Body);
  return bodies;
}

const ok = (answer: unknown): [number, unknown] => [200, answer];

function gemini(logger = recordingLogger()) {
  return roster({ config: config({ gemini: { enabled: true } }), env, logger }).get("gemini")!;
}

const threeTurns = () => [
  ok(functionCalls([{ name: "list_files", args: SCENARIO.list, signature: "c2lnLTE=" }])),
  ok(functionCalls([{ name: "read_file", args: SCENARIO.read, signature: "c2lnLTI=" }])),
  ok(functionCalls([{ name: "edit_file", args: SCENARIO.edit, signature: "c2lnLTM=" }, { name: "finish", args: SCENARIO.finish }])),
];

describe("tool loop through Gemini", () => {
  it("carries out list → read → edit → finish in three turns and returns the finish input", async () => {
    serve(...threeTurns());
    const repo = fakeRepo();
    const result = await gemini().runToolLoop(fixTask(repo.tools));
    expect(result).toMatchObject({ ok: true, value: SCENARIO.finish, summary: { turns: 3, toolCalls: { list_files: 1, read_file: 1, edit_file: 1, finish: 1 } } });
    expect(result.summary.usage).toMatchObject({ inputTokens: 2_400, outputTokens: 150, model: "gemini-3.5-flash" });
    expect(repo.files["src/sum.ts"]).toBe(FIXED);
  });

  it("declares the tools as functionDeclarations with parametersJsonSchema", async () => {
    const bodies = serve(...threeTurns());
    await gemini().runToolLoop(fixTask(fakeRepo().tools));
    const declarations = bodies[0]!.tools[0]!.functionDeclarations;
    expect(declarations.map((d) => d.name)).toEqual(["list_files", "read_file", "edit_file", "finish"]);
    expect(declarations[1]!.parametersJsonSchema).toMatchObject({ type: "object", required: ["path"] });
    expect(declarations[1]!.parametersJsonSchema).not.toHaveProperty("$schema");
  });

  it("sends the model's turn back with its thought signature, then the functionResponse as a user turn", async () => {
    const bodies = serve(...threeTurns());
    await gemini().runToolLoop(fixTask(fakeRepo().tools));
    const [, model, response] = bodies[1]!.contents;
    expect(model).toEqual({ role: "model", parts: [{ functionCall: { name: "list_files", args: SCENARIO.list }, thoughtSignature: "c2lnLTE=" }] });
    expect(response).toMatchObject({ role: "user", parts: [{ functionResponse: { name: "list_files", response: { output: expect.stringContaining("src/sum.ts") } } }] });
    expect(response!.parts[0]!.functionResponse).not.toHaveProperty("id"); // Gemini sent none
  });

  it("echoes the call's id in the functionResponse when Gemini gave one", async () => {
    const bodies = serve(ok(functionCalls([{ name: "list_files", args: {}, id: "fc-7" }])), ok(functionCalls([{ name: "finish", args: SCENARIO.finish }])));
    await gemini().runToolLoop(fixTask(fakeRepo().tools));
    expect(bodies[1]!.contents[2]!.parts[0]).toMatchObject({ functionResponse: { id: "fc-7", name: "list_files" } });
  });

  it("answers parallel functionCall parts with functionResponse parts in the same order", async () => {
    const bodies = serve(
      ok(functionCalls([{ name: "read_file", args: { path: "src/sum.ts" } }, { name: "read_file", args: { path: "README.md" } }])),
      ok(functionCalls([{ name: "finish", args: SCENARIO.finish }])),
    );
    await gemini().runToolLoop(fixTask(fakeRepo().tools));
    const outputs = bodies[1]!.contents[2]!.parts.map((p) => (p.functionResponse as { response: { output: string } }).response.output);
    expect(outputs[0]).toContain("a - b");
    expect(outputs[1]).toContain("# Demo");
  });

  it("sends a handler's ToolError back as a functionResponse error", async () => {
    const bodies = serve(ok(functionCalls([{ name: "read_file", args: { path: "nope.ts" } }])), ok(functionCalls([{ name: "finish", args: SCENARIO.finish }])));
    await gemini().runToolLoop(fixTask(fakeRepo().tools));
    expect(bodies[1]!.contents[2]!.parts[0]).toMatchObject({ functionResponse: { name: "read_file", response: { error: expect.stringContaining("no such file: nope.ts") } } });
  });

  it("retries a 429 RESOURCE_EXHAUSTED mid-loop after Google's RetryInfo delay", async () => {
    const exhausted = {
      error: { code: 429, status: "RESOURCE_EXHAUSTED", message: "You exceeded your current quota.", details: [{ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "0.02s" }] },
    };
    serve(ok(functionCalls([{ name: "list_files", args: {} }])), [429, exhausted], ok(functionCalls([{ name: "finish", args: SCENARIO.finish }])));
    const logger = recordingLogger();
    expect(await gemini(logger).runToolLoop(fixTask(fakeRepo().tools))).toMatchObject({ ok: true, summary: { turns: 2 } });
    expect(logger.lines.some((l) => /retry 1 in 20ms/.test(l))).toBe(true);
  });

  it("nudges after MALFORMED_FUNCTION_CALL with a request to call the tool again", async () => {
    const malformed = { candidates: [{ content: { role: "model", parts: [] }, finishReason: "MALFORMED_FUNCTION_CALL", index: 0 }], usageMetadata: { promptTokenCount: 800, totalTokenCount: 800 }, modelVersion: "gemini-3.5-flash" };
    const bodies = serve(ok(malformed), ok(functionCalls([{ name: "finish", args: SCENARIO.finish }])));
    expect(await gemini().runToolLoop(fixTask(fakeRepo().tools))).toMatchObject({ ok: true, summary: { nudges: 1 } });
    expect(bodies[1]!.contents.at(-1)).toMatchObject({ role: "user", parts: [{ text: expect.stringContaining("could not read the tool call") }] });
  });
});

/** The offline scripted tool-calling client: a small real change through the tools it is offered, scripts, limits, determinism. */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ToolError, defineTool, type AgentTool } from "../../src/agents/index.js";
import { SCRIPTED_LABEL, scriptedToolsProvider } from "../../tools/scripted/index.js";
import { config, recordingLogger, roster } from "./helpers.js";

/** A Map of files behind list/read/edit tools, recording every call. */
function memoryRepo(initial: Record<string, string> = { "README.md": "# Demo\n", "src/greet.ts": "export const greet = () => 'hi';\n", "docs/guide.md": "Guide\n" }) {
  const files = new Map(Object.entries(initial));
  const calls: Array<[string, unknown]> = [];
  const tools: AgentTool[] = [
    defineTool({
      name: "list_files",
      description: "Lists the repository's files.",
      input: z.object({ dir: z.string().default("") }),
      handler: async (input) => (calls.push(["list_files", input]), [...files.keys()].filter((p) => p.startsWith(input.dir)).join("\n")),
    }),
    defineTool({
      name: "read_file",
      description: "Returns a file's content.",
      input: z.object({ path: z.string().min(1) }),
      handler: async (input) => {
        calls.push(["read_file", input]);
        const content = files.get(input.path);
        if (content === undefined) throw new ToolError(`no such file: ${input.path}`);
        return content;
      },
    }),
    defineTool({
      name: "edit_file",
      description: "Replaces one exact occurrence of `old` by `new` in a file.",
      input: z.object({ path: z.string().min(1), old: z.string().min(1), new: z.string(), reason: z.string().min(1) }),
      handler: async (input) => {
        calls.push(["edit_file", input]);
        const content = files.get(input.path);
        if (content === undefined || content.split(input.old).length !== 2) throw new ToolError(`cannot edit ${input.path}`);
        files.set(input.path, content.replace(input.old, input.new));
        return `edited ${input.path}`;
      },
    }),
  ];
  return { files, calls, tools };
}

const task = (tools: AgentTool[], extra: Record<string, unknown> = {}) => ({
  task: "implement",
  instructions: "Carry out the issue, then call finish.",
  data: [{ label: "issue title", content: "Make greet friendlier" }],
  tools,
  finish: z.object({ changedFiles: z.array(z.string()) }),
  ...extra,
});

function bot(options: Parameters<typeof scriptedToolsProvider>[0] = {}) {
  const r = roster({ config: config({ custom: { bot: { provider: "scripted", model: "scripted" } } }), scriptedTools: scriptedToolsProvider(options), logger: recordingLogger() });
  return r.get("bot")!;
}

describe("scripted tool client", () => {
  it("lists, reads the file the task names, appends a [scripted] line to it and finishes", async () => {
    const repo = memoryRepo();
    const result = await bot().runToolLoop(task(repo.tools));
    expect(result).toMatchObject({ ok: true, value: { changedFiles: ["src/greet.ts"], summary: expect.stringContaining(SCRIPTED_LABEL) }, summary: { turns: 4, toolErrors: 0, usage: { estimated: true, model: "scripted" } } });
    expect(repo.files.get("src/greet.ts")).toBe("export const greet = () => 'hi';\n// [scripted] bot worked on implement: Make greet friendlier\n");
    expect(repo.calls.map(([name]) => name)).toEqual(["list_files", "read_file", "edit_file"]);
  });

  it("falls back to the README when no path matches the task", async () => {
    const repo = memoryRepo();
    await bot().runToolLoop(task(repo.tools, { data: [{ label: "issue title", content: "Explain the project" }] }));
    expect(repo.files.get("README.md")).toBe(`# Demo\n${SCRIPTED_LABEL} bot worked on implement: Explain the project\n`);
  });

  it("rewrites the whole file through a write tool when the loop offers no edit tool", async () => {
    const repo = memoryRepo();
    const write = defineTool({
      name: "write_file",
      description: "Replaces a file's whole content.",
      input: z.object({ path: z.string().min(1), content: z.string() }),
      handler: async (input) => (repo.files.set(input.path, input.content), `wrote ${input.path}`),
    });
    const result = await bot().runToolLoop(task([repo.tools[0]!, repo.tools[1]!, write]));
    expect(result).toMatchObject({ ok: true, value: { changedFiles: ["src/greet.ts"] } });
    expect(repo.files.get("src/greet.ts")).toBe("export const greet = () => 'hi';\n// [scripted] bot worked on implement: Make greet friendlier\n");
  });

  it("follows an agent's byAgent script, turn by turn", async () => {
    const repo = memoryRepo();
    const script = [[{ name: "read_file", input: { path: "docs/guide.md" } }], [{ name: "finish", input: { summary: `${SCRIPTED_LABEL} read the guide`, changedFiles: [] } }]];
    const result = await bot({ byAgent: { bot: script } }).runToolLoop(task(repo.tools));
    expect(result).toMatchObject({ ok: true, value: { summary: `${SCRIPTED_LABEL} read the guide`, changedFiles: [] }, summary: { turns: 2 } });
    expect(repo.calls).toEqual([["read_file", { path: "docs/guide.md" }]]);
  });

  it("ends at the turn limit when told never to finish", async () => {
    const result = await bot({ neverFinish: true }).runToolLoop(task(memoryRepo().tools, { limits: { maxTurns: 6 } }));
    expect(result).toMatchObject({ ok: false, error: { kind: "limit-reached", limit: "max-turns" }, summary: { turns: 6 } });
  });

  it("fails as a provider error at the turn given by failAtTurn", async () => {
    const result = await bot({ failAtTurn: 2 }).runToolLoop(task(memoryRepo().tools));
    expect(result).toMatchObject({ ok: false, error: { kind: "provider-error", message: expect.stringContaining(SCRIPTED_LABEL) }, summary: { turns: 1 } });
  });

  it("makes the same calls for the same input", async () => {
    const first = memoryRepo();
    const second = memoryRepo();
    await bot().runToolLoop(task(first.tools));
    await bot().runToolLoop(task(second.tools));
    expect(second.calls).toEqual(first.calls);
    expect(first.calls.length).toBe(3);
  });
});

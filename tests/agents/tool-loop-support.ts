/** Shared setup for the tool-loop tests: a tiny in-memory repository behind list/read/edit tools. */
import { z } from "zod";
import { ToolError, defineTool, type AgentTool } from "../../src/agents/index.js";

/** Files the fake tools read and edit, and the tools themselves. */
export function fakeRepo(initial: Record<string, string> = { "README.md": "# Demo\n", "src/sum.ts": "export const sum = (a: number, b: number) => a - b;\n" }) {
  const files = { ...initial };
  const tools: AgentTool[] = [
    defineTool({
      name: "list_files",
      description: "Lists the repository's files under a directory.",
      input: z.object({ dir: z.string().default("") }),
      handler: async ({ dir }) => Object.keys(files).filter((path) => path.startsWith(dir)).join("\n"),
    }),
    defineTool({
      name: "read_file",
      description: "Returns a file's content.",
      input: z.object({ path: z.string().min(1) }),
      handler: async ({ path }) => {
        const content = files[path];
        if (content === undefined) throw new ToolError(`no such file: ${path}`);
        return content;
      },
    }),
    defineTool({
      name: "edit_file",
      description: "Replaces one exact occurrence of `old` by `new` in a file.",
      input: z.object({ path: z.string().min(1), old: z.string().min(1), new: z.string() }),
      handler: async ({ path, old, new: replacement }) => {
        const content = files[path];
        if (content === undefined) throw new ToolError(`no such file: ${path}`);
        if (content.split(old).length !== 2) throw new ToolError(`the text to replace must occur exactly once in ${path}`);
        files[path] = content.replace(old, replacement);
        return `edited ${path}`;
      },
    }),
  ];
  return { files, tools };
}

/** The task every provider test runs: fix the subtraction in src/sum.ts. */
export function fixTask(tools: AgentTool[], extra: Record<string, unknown> = {}) {
  return {
    task: "implement",
    instructions: "Fix the bug described in the issue, then call finish.",
    data: [{ label: "issue body", content: "sum() subtracts instead of adding." }],
    tools,
    finish: z.object({ changedFiles: z.array(z.string()) }),
    ...extra,
  };
}

/** The calls of the three-turn scenario: list, read, then edit and finish together. */
export const SCENARIO = {
  list: { dir: "src" },
  read: { path: "src/sum.ts" },
  edit: { path: "src/sum.ts", old: "a - b", new: "a + b" },
  finish: { summary: "sum() now adds its arguments.", changedFiles: ["src/sum.ts"] },
};

export const FIXED = "export const sum = (a: number, b: number) => a + b;\n";

/** The agent's workspace tools: small answers the model can use, tool errors it can act on. */
import { describe, expect, it } from "vitest";
import type { AgentTool } from "../../src/agents/index.js";
import { finishSchema, workspaceTools } from "../../src/handlers/execution/tools.js";
import { repository } from "./support.js";

async function tools(files: Record<string, string>) {
  const repo = await repository(files);
  const workspace = await repo.open();
  const byName = new Map(workspaceTools(workspace).map((tool) => [tool.name, tool]));
  /** Calls a tool the way the loop does: input parsed (defaults applied) first. */
  const call = (name: string, input: unknown) => {
    const tool = byName.get(name) as AgentTool;
    return tool.handler(tool.input.parse(input));
  };
  return { workspace, call };
}

describe("workspace tools", () => {
  it("read_file shows the asked line range with line numbers and says what is left", async () => {
    const { call } = await tools({ "a.txt": "one\ntwo\nthree\nfour" });
    expect(await call("read_file", { path: "a.txt", start_line: 2, end_line: 3 })).toBe("2|two\n3|three\n(lines 4-4 not shown)");
  });

  it("list_files caps the listing and says how many more there are", async () => {
    const { call } = await tools({ "a.txt": "", "b.txt": "", "docs/c.md": "" });
    expect(await call("list_files", { limit: 2 })).toBe("a.txt\nb.txt\n… 1 more; narrow `within` or raise `limit`");
    expect(await call("list_files", { within: "docs" })).toBe("docs/c.md");
  });

  it("edit_file answers in one short line and search finds the edit", async () => {
    const { call } = await tools({ "src/a.ts": "const x = 1;\n" });
    expect(await call("edit_file", { path: "src/a.ts", search: "x = 1", replace: "x = 2" })).toBe("edited src/a.ts");
    expect(await call("search", { pattern: "x = 2" })).toBe("src/a.ts:1: const x = 2;");
  });

  it("finish asks for nothing besides the loop's summary but optional notes", () => {
    expect(finishSchema.parse({})).toEqual({});
    expect(finishSchema.safeParse({ notes: "x".repeat(4001) }).success).toBe(false);
  });
});

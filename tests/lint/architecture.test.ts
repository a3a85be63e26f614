/** The lint rules that keep layers pointing down and the domain pure fail on code that breaks them. */
import { ESLint, type Linter } from "eslint";
import tseslint from "typescript-eslint";
import { describe, expect, it } from "vitest";
// @ts-expect-error -- the ESLint config is plain JavaScript without type declarations
import { architecture } from "../../eslint.config.js";

const eslint = new ESLint({
  overrideConfigFile: true,
  overrideConfig: [{ files: ["**/*.ts"], languageOptions: { parser: tseslint.parser } }, ...(architecture as Linter.Config[])],
});

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((message) => `${message.ruleId ?? "parse"}: ${message.message}`);
}

describe("architecture lint", () => {
  it("refuses a domain module importing the configuration", async () => {
    expect(await problems("src/domain/task/example.ts", `import type { Config } from "../../config/schema.js";\nexport type X = Config;\n`)).toEqual([
      expect.stringMatching(/^boundaries\/dependencies: .*"domain".*"config"/),
    ]);
  });

  it("refuses a handler importing a door", async () => {
    expect(await problems("src/handlers/example.ts", `import { runAction } from "../action/main.js";\nexport const x = runAction;\n`)).toEqual([
      expect.stringMatching(/^boundaries\/dependencies: .*"handlers".*"doors"/),
    ]);
  });

  it("refuses product code importing the sandbox", async () => {
    expect(await problems("src/action/example.ts", `import { startSandbox } from "../../tools/sandbox/index.js";\nexport const x = startSandbox;\n`)).toEqual([
      expect.stringMatching(/^boundaries\/dependencies: .*"doors".*"tools"/),
    ]);
  });

  it("allows a handler importing the runtime, a port and the domain", async () => {
    const code = [
      `import type { RunContext } from "../runtime/context.js";`,
      `import type { GitHubPort } from "../github/port.js";`,
      `import { lockRef } from "../domain/assignment/lock.js";`,
      `export const x = (ctx: RunContext, port: GitHubPort) => [ctx, port, lockRef(1)];`,
    ].join("\n");
    expect(await problems("src/handlers/example.ts", code)).toEqual([]);
  });

  it("refuses the real clock in the domain", async () => {
    expect(await problems("src/domain/example.ts", `export const now = () => new Date();\nexport const ms = () => Date.now();\n`)).toEqual([
      expect.stringMatching(/^no-restricted-syntax: .*Clock/),
      expect.stringMatching(/^no-restricted-properties: .*Clock/),
    ]);
  });

  it("refuses the environment and file system in the domain", async () => {
    expect(await problems("src/domain/example.ts", `import { readFileSync } from "node:fs";\nexport const key = () => process.env.KEY ?? readFileSync("x");\n`)).toEqual([
      expect.stringMatching(/^no-restricted-imports: .*I\/O/),
      expect.stringMatching(/^no-restricted-globals: .*environment/),
    ]);
  });

  it("allows dates built from data in the domain", async () => {
    expect(await problems("src/domain/example.ts", `export const at = (iso: string) => new Date(iso);\n`)).toEqual([]);
  });
});

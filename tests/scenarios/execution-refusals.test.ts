/**
 * Safe outputs, end to end: an agent (scripted through the tool client) produces a change set
 * Orkestra must refuse — a workflow file, 5,000 files, an agent's own key, a token, a path outside
 * the repository. Nothing of it is written (no blob, tree, branch or pull request); the card shows
 * the refusal and the retry. Symlinks cannot be made through the tools (the workspace writes only
 * regular files); the domain test of `checkChanges` covers them (tests/domain/execution/safe-outputs.test.ts).
 */
import { afterEach, describe, expect, it } from "vitest";
import { parseCard } from "../../src/domain/task/card.js";
import { scriptedProvider } from "../../tools/scripted/index.js";
import { scriptedToolsProvider } from "../../tools/scripted/tools.js";
import { botComments, DOORS, labelsOf, orkestraRequests, startHarness, type Harness } from "../support/harness.js";

const ALPHA_KEY = "sk-alpha-test-key-0123456789abcdef";
const GITHUB_TOKEN_LIKE = `ghp_${"A1b2C3d4E5".repeat(3)}abcdef`;

/** alpha has a key of its own (so it is a secret Orkestra knows); beta reviews. */
const CONFIG = [
  "agents:",
  ...["claude", "chatgpt", "gemini", "grok", "copilot"].map((name) => `  ${name}: { enabled: false }`),
  "  custom:",
  "    alpha:",
  "      provider: scripted",
  "      model: scripted",
  "      apiKeyEnv: ALPHA_KEY",
  "    beta:",
  "      provider: scripted",
  "      model: scripted",
  "execution:",
  "  enabled: true",
].join("\n");

type Call = { name: string; input: unknown };
const write = (path: string, content: string): Call => ({ name: "write_file", input: { path, content } });
const finish: Call = { name: "finish", input: { summary: "[scripted] alpha did the work" } };

function cardOf(h: Harness, number: number) {
  return botComments(h.sandbox, number).map(parseCard).find((meta) => meta !== null)!;
}

const WORK_WRITES = /^POST \/repos\/\{owner\}\/\{repo\}\/(git\/blobs|git\/trees|pulls)$/;

describe.each(DOORS)("safe-output refusals through the %s", (door) => {
  let h: Harness;
  afterEach(async () => h?.close());

  async function refusedWork(calls: Call[]) {
    h = await startHarness(
      door,
      { files: { ".github/orkestra.yml": CONFIG, "README.md": "# Demo\n", "src/greet.ts": "export const greet = () => 'hi';\n" } },
      { env: { ALPHA_KEY }, agentOptions: { scripted: scriptedProvider(), scriptedTools: scriptedToolsProvider({ byAgent: { alpha: [[...calls, finish]] } }) } },
    );
    const task = h.sandbox.as("alice").openIssue({ title: "Tidy up", body: "Tidy the repository." });
    await h.settle();
    h.sandbox.as("alice").comment(task.number, "/assign alpha");
    await h.settle();
    const number = task.number;

    // Nothing the agent produced was written.
    expect(orkestraRequests(h.sandbox).filter((line) => WORK_WRITES.test(line))).toEqual([]);
    expect(h.sandbox.state.pulls()).toEqual([]);
    expect(h.sandbox.state.refs().filter((ref) => ref.ref.startsWith("refs/heads/") && ref.ref !== `refs/heads/${h.sandbox.defaultBranch}`)).toEqual([]);
    // A failed attempt: released with a retry, the refusal on the card.
    const card = cardOf(h, number);
    expect(card.status).toBe("pending");
    expect(card.agent).toBeNull();
    expect(card.retry).toMatchObject({ count: 1, avoid: ["alpha"], escalated: false });
    expect(card.execution).toMatchObject({ agent: "alpha", attempt: 1, commits: 0, pr: null });
    expect(card.history.at(-1)!.why).toMatch(/^Orkestra refused to write these changes .*; retry 1 of 3 after /s);
    const body = botComments(h.sandbox, number).find((text) => parseCard(text) !== null)!;
    expect(body).toContain("**Last refusal:**");
    expect(body).toContain("**Retries:** 1 failed attempt");
    expect(labelsOf(h.sandbox, number)).toContain("status:pending");
    expect(h.sandbox.state.refs().some((ref) => ref.ref === `refs/orkestra/locks/${number}`)).toBe(false);
    return card.execution!.lastRefusal!;
  }

  it("a change under .github/workflows/", async () => {
    const refusal = await refusedWork([write(".github/workflows/ci.yml", "on: push\njobs: {}\n"), write("src/ok.ts", "export {};\n")]);
    expect(refusal).toMatch(/\.github\/workflows\/ci\.yml/);
  });

  it("5,000 files", async () => {
    const calls = Array.from({ length: 5000 }, (_, i) => write(`generated/file-${i}.txt`, `${i}\n`));
    const refusal = await refusedWork(calls);
    expect(refusal).toContain("touches 5,000 files; at most 50 may change at once");
  });

  it("the agent's own key in the diff", async () => {
    const refusal = await refusedWork([write("src/config.ts", `export const key = "${ALPHA_KEY}";\n`)]);
    expect(refusal).toMatch(/src\/config\.ts/);
    expect(refusal).not.toContain(ALPHA_KEY);
    for (const text of botComments(h.sandbox, 1)) expect(text).not.toContain(ALPHA_KEY);
  });

  it("a token pattern in the diff", async () => {
    const refusal = await refusedWork([write("notes.md", `token: ${GITHUB_TOKEN_LIKE}\n`)]);
    expect(refusal).toMatch(/notes\.md/);
    for (const text of botComments(h.sandbox, 1)) expect(text).not.toContain(GITHUB_TOKEN_LIKE);
  });

  it("a `../` path", async () => {
    const refusal = await refusedWork([write("../outside.txt", "escaped\n")]);
    expect(refusal).toMatch(/\.\.\/outside\.txt/);
  });
});

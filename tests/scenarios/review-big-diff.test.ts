import { afterEach, describe, expect, it } from "vitest";
import type { AgentCall } from "../../src/agents/index.js";
import { DOORS, startHarness, type Harness } from "../support/harness.js";
import { approve, botReviews, checkRunsOf, openPr, reviewConfig, scriptReviews } from "../review-handler/support.js";

const cleanups: Array<() => void> = [];

function numbered(count: number, prefix: string): string {
  return Array.from({ length: count }, (_, i) => `${prefix} ${i + 1} = compute(${i});`).join("\n") + "\n";
}

describe.each(DOORS)("a big diff through the %s", (door) => {
  let h: Harness;
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    expect(h.sandbox.violations).toEqual([]);
    await h.close();
  });

  it("excludes generated files, completes patches GitHub left out from the whole diff, packs into small budgets and lists what was not seen", async () => {
    const review = "budget: { tokens: 24000, reserveTokens: 6000, perAgent: { beta: 60000 } }";
    h = await startHarness(door, { files: { ".github/orkestra.yml": reviewConfig({ alpha: {}, beta: {} }, review) } });
    const prompts: Record<string, number> = {};
    cleanups.push(
      scriptReviews((agent, call: AgentCall<unknown>) => {
        prompts[agent] = call.data.find((block) => block.label === "diff")!.content.length;
        return approve();
      }),
    );
    const files = [
      // 21,000 added lines: GitHub's files API leaves the patch out (over 20,000 lines).
      { path: "src/huge.ts", after: numbered(21_000, "const huge") },
      { path: "src/auth/session.ts", after: numbered(400, "const session") },
      { path: "package-lock.json", after: JSON.stringify({ lockfileVersion: 3, packages: {} }, null, 2) },
      { path: "dist/bundle.js", after: numbered(300, "var bundled") },
    ];
    const pr = await openPr(h, { head: "big", files });
    const body = botReviews(h, pr)[0]!.body;
    expect(body).toContain("Approved by 2 of 2 agents");
    // Excluded files are listed with their reason, never silently dropped.
    expect(body).toContain("`package-lock.json` — excluded: lock-file");
    expect(body).toContain("`dist/bundle.js` — excluded: build-output");
    // The huge file came from the whole diff: it is packed (partly), not "no diff from GitHub".
    expect(body).not.toContain("no diff from GitHub");
    expect(body).toMatch(/\*\*alpha\*\* did not see \(budget 18,000 tokens, saw [\d,]+ of 21,400 lines\)/);
    expect(body).toMatch(/Agents saw [\d,]+ of 21,400 reviewable changed lines/);
    // Each packet stayed within its agent's room (≈ 3 characters per token).
    expect(prompts.alpha!).toBeLessThanOrEqual(18_000 * 3);
    expect(prompts.beta!).toBeLessThanOrEqual(54_000 * 3);
    expect(checkRunsOf(h, pr)[0]).toMatchObject({ conclusion: "success" });
  });
});

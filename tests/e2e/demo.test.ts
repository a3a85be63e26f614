import { describe, expect, it } from "vitest";
import { runDemo } from "../../tools/demo/demo.js";

describe("npm run demo", () => {
  it("plays the whole story offline and shows what Orkestra did and why", async () => {
    const { lines, sandbox } = await runDemo({ env: {}, write: () => {} });
    const text = lines.join("\n");
    expect(text).toContain("scripted offline (no API keys set)");
    expect(text).toContain("🤖 #2 decided: task created as `blocked` — waiting for #1");
    expect(text).toMatch(/🤖 #1 commented: @bob 😕 .*needs triage permission/);
    expect(text).toContain("🤖 #1 decided: assigned to `claude` — claude 80: base 50, specialty research +30");
    expect(text).toMatch(/🤖 #1 decided: vote closed: passed: \w+ \(ranked\)/);
    expect(text).toContain("🤖 #2 decided: status `blocked` → `pending` — #1 closed");
    expect(text).toMatch(/🤖 #3 decided: assigned to `gemini`/);
    expect(text).toMatch(/🤖 #4 reviewed: COMMENTED — ⚠️ Orkestra review — \d of 5 agents raised concerns/);
    expect(text).toMatch(/🤖 #4 check run orkestra\/review: neutral/);
    expect(text).toMatch(/🤖 #3 decided: released by `gemini` — no activity for 120 minutes while held by `gemini`; retry 1 of 3 after/);
    expect(text).not.toMatch(/🤖 #2 decided: released by/);
    expect(text).toContain("| #1 | Design the public API | done | high | — |");
    expect(text).toContain("| #2 | Build the client | assigned | medium | chatgpt |");
    expect(sandbox.violations).toEqual([]);
    expect(sandbox.webhookDeliveries.every((delivery) => delivery.status === 200)).toBe(true);
  }, 60_000);
});

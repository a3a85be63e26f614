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
    // A research task ends in one result comment; its dependent is unblocked.
    expect(text).toContain("🤖 #1 decided: status `in-progress` → `done` — `claude` posted its result");
    expect(text).toContain("🤖 #1 commented: 🎼 Result from claude [scripted] claude's answer to \"Design the public API\"");
    expect(text).toContain("🤖 #2 decided: status `blocked` → `pending` — #1 closed");
    // A technical task becomes an agent's pull request, reviewed by the others, merged by a person.
    expect(text).toContain("🤖 #5 opened pull request “Add retries to the client” from orkestra/2-add-retries-to-the-client, ready for review: src/client.ts (+1 −0)");
    expect(text).toContain("🤖 #2 decided: status `in-progress` → `review` — `chatgpt` opened #5");
    // The four other agents review it (which verdicts the scripted ones give follows their prompts).
    expect(text).toMatch(/🤖 #5 reviewed: COMMENTED — \S+ Orkestra review — .*/);
    expect(text).toMatch(/🤖 #5 check run orkestra\/review: \w+ — /);
    expect(text).toContain("🤖 #2 decided: status `review` → `done` — issue closed as completed");
    // The task that waited on it starts at the next sweep.
    expect(text).toContain("🤖 #3 decided: status `blocked` → `pending` — #2 closed");
    expect(text).toContain("🤖 #3 decided: status `in-progress` → `review` — `chatgpt` opened #7");
    expect(text).toMatch(/🤖 #8 reviewed: COMMENTED — \S+ Orkestra review — .*\d of 5 agents (raised a concern|raised concerns|have concerns)/);
    expect(text).toContain("| #1 | Design the public API | done | high | — |");
    expect(text).toContain("| #2 | Add retries to the client | done | medium | — |");
    expect(text).toContain("| #3 | Document the client in the README | review | medium | chatgpt |");
    expect(text).toContain("| #4 | Write the user guide | done | medium | — |");
    // An epic planned by three agents (they differ in round 1, agree in round 2), approved, its first sub-task started.
    expect(text).toContain("🤖 #9 decided: status `pending` → `blocked` — /plan by @alice");
    expect(text).toContain("🤖 #9 commented: 🗺️ Plan for #9 Status: proposed — the planners agreed on 3 sub-issues in round 2 of 3.");
    expect(text).toContain("🤖 #11 decided: task created as `blocked` — waiting for #10");
    expect(text).toContain("🤖 #10 decided: assigned to `claude` — claude 80: base 50, specialty research +30");
    expect(text).toContain("🤖 #11 decided: status `blocked` → `pending` — #10 closed");
    expect(text).toContain("| #9 | Epic: paging in the client | blocked | medium | — |");
    // The board at a glance (the dashboard, #6, opened by the first sweep) and why things happened (the CLI on the ledger).
    expect(text).toContain("🤖 #6 “Orkestra dashboard”, opened by the first sweep and edited when the board changes: 4 open tasks:");
    expect(text).toContain("👤 mona runs `orkestra status`");
    expect(text).toMatch(/Open tasks: 4/);
    expect(text).toMatch(/Ledger of octo-org\/orkestra-demo, newest first/);
    expect(text).toMatch(/write +#9 +alice +remove-labels: remove labels `orkestra:planning` +plan created/);
    expect(sandbox.violations).toEqual([]);
    expect(sandbox.webhookDeliveries.every((delivery) => delivery.status === 200)).toBe(true);
  }, 60_000);
});

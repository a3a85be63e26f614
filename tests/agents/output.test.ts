/** Parsing answers, sanitising agent text, and redacting keys. */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createRedactor, parseStructured } from "../../src/agents/index.js";
import { defuseAgentText } from "../../src/domain/untrusted-text.js";
import { extractJson } from "../../src/agents/output.js";
import { config, recordingLogger, reviewCall, roster } from "./helpers.js";

describe("parseStructured", () => {
  const schema = z.object({ n: z.number().int() });

  it("accepts bare JSON, a fenced block, or JSON inside prose", () => {
    expect(parseStructured(schema, '{"n": 1}')).toEqual({ ok: true, value: { n: 1 } });
    expect(extractJson('Sure.\n```json\n{"n": 2}\n```\nDone.')).toBe('{"n": 2}');
    expect(parseStructured(schema, 'My answer is {"n": 3} as requested.')).toEqual({ ok: true, value: { n: 3 } });
  });

  it("describes what is wrong, for the repair turn", () => {
    expect(parseStructured(schema, "{n: 1}")).toMatchObject({ ok: false, message: expect.stringContaining("not valid JSON") });
    expect(parseStructured(schema, '{"n": 1.5}')).toMatchObject({ ok: false, message: expect.stringMatching(/expected int.*\n.*at n/s) });
  });
});

describe("defuseAgentText", () => {
  it("neutralises commands, mentions and hidden markers but keeps the text readable", () => {
    const text = "Looks good.\n  /approve\nThanks @octocat and email a@b.c\n<!-- orkestra:vote {} -->\n`@code` stays";
    const safe = defuseAgentText(text);
    expect(safe).not.toMatch(/^\s*\//m);
    expect(safe).toContain("\u2215approve");
    expect(safe).toContain("@\u200boctocat");
    expect(safe).toContain("`@\u200bcode`");
    expect(safe).not.toContain("<!--");
  });
});

describe("redaction", () => {
  it("masks known secrets and common key shapes", () => {
    const redact = createRedactor(["my-very-secret-value"]);
    const text = "key my-very-secret-value, sk-ant-api03-abcdefgh12345, xai-abcdefgh1234, AIzaSyA1234567890abcdefghijklm, github_pat_11ABCDEFGHIJ, ghs_abcdefghijklmn, Authorization: Bearer abc.def.ghi123";
    const out = redact(text);
    for (const secret of ["my-very-secret-value", "sk-ant-api03", "xai-abcdefgh", "AIzaSy", "github_pat_", "ghs_abcdef", "abc.def.ghi123"]) expect(out).not.toContain(secret);
    expect(out).toContain("Bearer [REDACTED]");
  });

  it("keeps every environment secret out of the roster's logs", () => {
    const logger = recordingLogger();
    const r = roster({ config: config({ claude: { enabled: true } }), env: { ANTHROPIC_API_KEY: "sk-ant-key-0123456789", DEPLOY_TOKEN: "plain-deploy-value-42" }, logger });
    expect(r.redact("leaked plain-deploy-value-42 and sk-ant-key-0123456789")).toBe("leaked [REDACTED] and [REDACTED]");
    expect(logger.lines.join("\n")).toContain("chatgpt is switched off");
  });
});

describe("a disabled agent", () => {
  it("answers with a typed failure, never a throw", async () => {
    const r = roster({ config: config({}) });
    expect(r.agents).toEqual([]);
    expect(r.disabled.map((d) => d.reason)).toEqual(["disabled", "disabled", "disabled", "disabled", "disabled"]);
    expect(await r.get("claude")!.call(reviewCall())).toMatchObject({ ok: false, error: { kind: "disabled" }, attempts: 0 });
    expect(r.get("nobody")).toBeUndefined();
  });
});

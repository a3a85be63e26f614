import { Ajv2020 } from "ajv/dist/2020.js";
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { REVIEW_LIMITS, agentReviewSchema, effectiveVerdict, parseAgentReview, parseAgentReviewText } from "../../src/domain/review/schema.js";

const valid = {
  verdict: "concern",
  summary: "Looks fine except the logging change.",
  findings: [{ file: "src/server.ts", line: 43, startLine: null, side: "RIGHT", severity: "warning", message: "log.error drops the stack.", suggestion: null }],
};

describe("agentReviewSchema", () => {
  it("converts to a JSON Schema with every key required, as strict structured output needs", () => {
    const schema = z.toJSONSchema(agentReviewSchema) as unknown as { required: string[]; properties: { findings: { items: { required: string[] } } } };
    expect(schema.required).toEqual(["verdict", "summary", "findings"]);
    expect(schema.properties.findings.items.required).toEqual(["file", "line", "startLine", "side", "severity", "message", "suggestion"]);
    const validate = new Ajv2020({ strict: false }).compile(schema);
    expect(validate(valid)).toBe(true);
    expect(validate({ ...valid, verdict: "maybe" })).toBe(false);
  });
});

describe("parseAgentReview", () => {
  it("normalises a lenient answer: missing nullable keys, lower-case side, spaces", () => {
    const result = parseAgentReview({
      verdict: " Approve ",
      summary: "  ok  ",
      findings: [{ file: " a.ts ", line: 3, side: "left", severity: "INFO", message: " note " }],
    });
    expect(result).toEqual({
      ok: true,
      review: {
        verdict: "approve",
        summary: "ok",
        findings: [{ file: "a.ts", line: 3, startLine: null, side: "LEFT", severity: "info", message: "note", suggestion: null }],
      },
    });
  });

  it("defaults the side to RIGHT and the findings to none", () => {
    const result = parseAgentReview({ verdict: "approve", summary: "fine" });
    expect(result).toEqual({ ok: true, review: { verdict: "approve", summary: "fine", findings: [] } });
    const withFinding = parseAgentReview({ ...valid, findings: [{ ...valid.findings[0], side: null }] });
    expect(withFinding.ok && withFinding.review.findings[0]!.side).toBe("RIGHT");
  });

  it.each([
    ["unknown verdict", { ...valid, verdict: "lgtm" }, "verdict"],
    ["line zero", { ...valid, findings: [{ ...valid.findings[0], line: 0 }] }, "line"],
    ["fractional line", { ...valid, findings: [{ ...valid.findings[0], line: 1.5 }] }, "line"],
    ["empty summary", { ...valid, summary: "   " }, "summary"],
    ["summary too long", { ...valid, summary: "x".repeat(REVIEW_LIMITS.summaryChars + 1) }, "summary"],
    ["too many findings", { ...valid, findings: Array.from({ length: REVIEW_LIMITS.findings + 1 }, () => valid.findings[0]) }, "findings"],
    ["unknown severity", { ...valid, findings: [{ ...valid.findings[0], severity: "critical" }] }, "severity"],
    ["not an object", "approve", "expected object"],
  ])("rejects %s with a message naming the problem", (_name, input, mention) => {
    const result = parseAgentReview(input);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toContain(mention);
  });

  it("parses raw model text, fenced or not", () => {
    expect(parseAgentReviewText(JSON.stringify(valid)).ok).toBe(true);
    expect(parseAgentReviewText("```json\n" + JSON.stringify(valid) + "\n```").ok).toBe(true);
    expect(parseAgentReviewText("Sure! here it is")).toMatchObject({ ok: false, error: expect.stringContaining("not valid JSON") });
  });
});

describe("effectiveVerdict", () => {
  it("raises to blocker on a blocker finding and keeps the verdict otherwise", () => {
    const parsed = parseAgentReview(valid);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(effectiveVerdict(parsed.review)).toBe("concern");
    const blocking = { ...parsed.review, verdict: "approve" as const, findings: [{ ...parsed.review.findings[0]!, severity: "blocker" as const }] };
    expect(effectiveVerdict(blocking)).toBe("blocker");
  });
});

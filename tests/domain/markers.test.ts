import { describe, expect, it } from "vitest";
import { hasMarker, isOrkestraText, parseMarker, renderMarker } from "../../src/domain/markers.js";

describe("hidden markers", () => {
  it("round-trips data, including text that would close an HTML comment", () => {
    const data = { note: "evil --> <!-- injected -->", n: [1, 2], nested: { ok: true } };
    const marker = renderMarker("task", data);
    expect(marker).not.toMatch(/-->.*-->/s);
    expect(parseMarker(`intro\n${marker}\nafter`)).toEqual({ kind: "task", data });
  });

  it("finds the kind and ignores text without a marker or with broken JSON", () => {
    const body = `${renderMarker("vote", { id: 1 })} tally`;
    expect(hasMarker(body, "vote")).toBe(true);
    expect(hasMarker(body, "task")).toBe(false);
    expect(isOrkestraText("plain comment")).toBe(false);
    expect(parseMarker("<!-- orkestra:task {not json} -->")).toBeNull();
  });

  it("refuses kinds that could break the marker syntax", () => {
    expect(() => renderMarker("Bad Kind", {})).toThrow(/invalid marker kind/);
  });
});

describe("codeSpan", () => {
  it("keeps untrusted text inside one code span, whatever backticks it holds", async () => {
    const { codeSpan } = await import("../../src/domain/markdown.js");
    expect(codeSpan("/status done")).toBe("`/status done`");
    expect(codeSpan("a`b @alice <!--")).toBe("`` a`b @alice <!-- ``");
    expect(codeSpan("x ``` y\nz")).toBe("```` x ``` y z ````");
  });
});

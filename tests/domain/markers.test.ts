import { describe, expect, it } from "vitest";
import { z } from "zod";
import { hasMarker, isOrkestraText, parseMarker, readMarker, renderMarker } from "../../src/domain/markers.js";

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

describe("readMarker", () => {
  const schema = z.object({ vote: z.string(), round: z.number().int().default(1) });

  it("returns null when the body has no marker", () => {
    expect(readMarker("just a comment", "vote", schema)).toBeNull();
  });

  it("returns null for an empty or missing body", () => {
    expect(readMarker(undefined, "vote", schema)).toBeNull();
  });

  it("returns null when the marker is of another kind", () => {
    expect(readMarker(renderMarker("task", { vote: "v1" }), "vote", schema)).toBeNull();
  });

  it("returns null when the marker's JSON is invalid", () => {
    expect(readMarker('<!-- orkestra:vote {"vote": v1} -->', "vote", schema)).toBeNull();
  });

  it("returns null when the data does not fit the schema", () => {
    expect(readMarker(renderMarker("vote", { vote: 7 }), "vote", schema)).toBeNull();
  });

  it("returns the data parsed by the schema, defaults applied", () => {
    expect(readMarker(`${renderMarker("vote", { vote: "v1" })}\n### Tally`, "vote", schema)).toEqual({ vote: "v1", round: 1 });
  });

  it("reads only the first marker, so a later look-alike cannot replace it", () => {
    const body = `${renderMarker("vote", { vote: "v1" })}\n${renderMarker("vote", { vote: "forged" })}`;
    expect(readMarker(body, "vote", schema)?.vote).toBe("v1");
  });
});

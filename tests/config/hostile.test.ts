import { describe, expect, it } from "vitest";
import { aliasBomb } from "../support/config.js";
import { formatConfigErrors, parseConfig, type ConfigError } from "../../src/config/load.js";

function errorsOf(text: string): ConfigError[] {
  const result = parseConfig(text);
  if (result.ok) throw new Error("expected errors");
  return result.errors;
}

describe("hostile configuration files", () => {
  it("an alias bomb is an error, not an exception", () => {
    const errors = errorsOf(aliasBomb());
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/alias/i);
  });

  it("a few aliases are still fine", () => {
    const result = parseConfig("tasks:\n  types: &t [technical, research]\n  defaultType: technical\nx-copy: *t\n");
    // Rejected for the unknown key, not for the alias.
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.map((error) => error.path)).toEqual(["x-copy"]);
  });

  it("a file larger than the cap is refused before it is parsed", () => {
    const text = `tasks:\n  defaultPriority: high\n${"# padding padding padding padding padding padding padding\n".repeat(4_000)}`;
    const errors = errorsOf(text);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain("too large");
  });

  it("a 50,000-entry list gives the first problems and counts the rest", () => {
    const text = `review:\n  exclude:\n    paths: [${Array.from({ length: 50_000 }, () => "1").join(",")}]\n`;
    const errors = errorsOf(text);
    expect(errors.length).toBeLessThanOrEqual(51);
    expect(errors.at(-1)?.message).toBe("and 49,950 more problems not listed");
    expect(errors[0]?.path).toBe("review.exclude.paths.0");
  });

  it("a very long key is clipped in the message", () => {
    const key = "k".repeat(20_000);
    const errors = errorsOf(`tasks:\n  ${key}: 1\n`);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.path.length).toBeLessThanOrEqual(200);
    expect(errors[0]!.message.length).toBeLessThanOrEqual(500);
  });

  it("the formatted list stays within the room it is given and counts what it left out", () => {
    const errors = Array.from({ length: 5_000 }, (_, i) => ({ path: `review.exclude.paths.${i}`, message: "Invalid input: expected string, received number", line: 3 }));
    const text = formatConfigErrors(errors, ".github/orkestra.yml", 10_000);
    expect(text.length).toBeLessThanOrEqual(10_000);
    expect(text).toMatch(/- … and [\d,]+ more problems not listed$/);
    const listed = text.split("\n").length - 1;
    expect(text).toContain(`and ${(5_000 - listed).toLocaleString("en-US")} more problems`);
    expect(formatConfigErrors(errors.slice(0, 2))).toBe(
      "- .github/orkestra.yml line 3 — `review.exclude.paths.0`: Invalid input: expected string, received number\n" +
        "- .github/orkestra.yml line 3 — `review.exclude.paths.1`: Invalid input: expected string, received number",
    );
  });
});

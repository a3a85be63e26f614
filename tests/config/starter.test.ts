import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import { EXAMPLE_CONFIG, starterConfig } from "../../src/config/starter.js";
import { issueOfBranch } from "../../src/domain/execution/branch.js";
import { ONBOARDING_BRANCH } from "../../src/handlers/onboarding.js";

describe("the onboarding pull request's starter configuration", () => {
  it("is examples/orkestra.yml: the module's copy is the file, word for word", () => {
    expect(EXAMPLE_CONFIG).toBe(readFileSync("examples/orkestra.yml", "utf8"));
  });

  it("shows every setting of the example, commented out, so it parses to the defaults", () => {
    const starter = starterConfig();
    const settings = EXAMPLE_CONFIG.split("\n").filter((line) => line !== "" && !line.startsWith("#"));
    expect(settings.length).toBeGreaterThan(20);
    for (const line of settings) expect(starter.split("\n")).toContain(`# ${line}`);
    expect(starter.split("\n").filter((line) => line !== "" && !line.startsWith("#"))).toEqual([]);
    const parsed = parseConfig(starter);
    expect(parsed).toMatchObject({ ok: true, source: "file" });
    const defaults = parseConfig(null);
    expect(parsed.ok && parsed.config).toEqual(defaults.ok && defaults.config);
    // The example itself is valid: uncommenting any of it gives a working file.
    expect(parseConfig(EXAMPLE_CONFIG)).toMatchObject({ ok: true });
  });

  it("is proposed on a branch no task claims", () => {
    expect(issueOfBranch(ONBOARDING_BRANCH)).toBeNull();
    expect(issueOfBranch(`refs/heads/${ONBOARDING_BRANCH}`)).toBeNull();
  });
});

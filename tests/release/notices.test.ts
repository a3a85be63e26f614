import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { bundleAction, renderNotices, type ActionFiles } from "../../scripts/build-action.js";

/** The sections of dist/licenses.txt: `name version` → the section's text. */
function sections(notices: string): Map<string, string> {
  const parts = notices.split(`${"=".repeat(80)}\n`).slice(1);
  return new Map(parts.map((part) => [part.slice(0, part.indexOf("\n")), part]));
}

describe("the third-party notices of the bundle", () => {
  let files: ActionFiles;
  beforeAll(async () => {
    files = await bundleAction();
  }, 60_000);

  it("list the bundled SDKs with their version, licence id and full licence text", () => {
    const notices = sections(files["dist/licenses.txt"]!);
    for (const name of ["@anthropic-ai/sdk", "openai", "@google/genai"]) {
      const version = (JSON.parse(readFileSync(`node_modules/${name}/package.json`, "utf8")) as { version: string }).version;
      const section = notices.get(`${name} ${version}`);
      expect(section, name).toBeDefined();
      expect(section).toContain("License: Apache-2.0\n");
      expect(section).toMatch(/Apache License\s+Version 2\.0, January 2004/);
      expect(section).toContain("END OF TERMS AND CONDITIONS");
    }
    expect(notices.get("@actions/core 3.0.1")).toMatch(/License: MIT\n-+\n[^]*Permission is hereby granted, free of charge/);
  });

  it("list only packages whose code is in the bundle, each once", () => {
    const names = [...sections(files["dist/licenses.txt"]!).keys()];
    expect(new Set(names).size).toBe(names.length);
    // Build tools and the app's server are not in the Action's bundle.
    expect(names.filter((name) => /^(esbuild|vitest|typescript|probot|tsx) /.test(name))).toEqual([]);
    // Every package named is one esbuild says it bundled: its path is in the bundle's module comments.
    const code = files["dist/index.js"]!;
    for (const name of names) {
      const escaped = name.split(" ")[0]!.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
      expect(code, name).toMatch(new RegExp(`^// (\\S+/)?node_modules/${escaped}/`, "m"));
    }
  });

  it("keep the licence comments in the bundle itself", () => {
    expect(files["dist/index.js"]).toContain("SPDX-License-Identifier: Apache-2.0");
  });

  it("carry a package's NOTICE file after its licence, as Apache-2.0 asks", () => {
    const dir = mkdtempSync(join(tmpdir(), "orkestra-notices-"));
    const pkg = join(dir, "node_modules", "@acme", "sdk");
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, "LICENSE"), "Apache License\nVersion 2.0, January 2004\n");
    writeFileSync(join(pkg, "NOTICE"), "Acme SDK\nCopyright 2026 Acme Corp.\n");
    const bare = join(dir, "node_modules", "bare");
    mkdirSync(bare, { recursive: true });
    const text = renderNotices([
      { name: "@acme/sdk", version: "2.1.0", license: "Apache-2.0", dir: pkg },
      { name: "bare", version: "1.0.0", license: "MIT", dir: bare },
    ]);
    expect(sections(text).get("@acme/sdk 2.1.0")).toBe(
      `@acme/sdk 2.1.0\nLicense: Apache-2.0\n${"-".repeat(80)}\nApache License\nVersion 2.0, January 2004\n\n${"-".repeat(80)}\nNOTICE:\n\nAcme SDK\nCopyright 2026 Acme Corp.\n\n`,
    );
    expect(sections(text).get("bare 1.0.0")).toContain("(The package ships no licence file; its package.json declares the licence MIT.)");
  });
});

// Bundles the Action (src/action/index.ts) into dist/index.js, the file action.yml runs.
// dist/ is committed because GitHub runs an Action straight from the repository; a test
// fails when it is stale. `--check` compares instead of writing.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { build } from "esbuild";

export async function bundleAction(): Promise<string> {
  const result = await build({
    entryPoints: ["src/action/index.ts"],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    write: false,
    legalComments: "none",
    // Some dependencies are CommonJS and call require() for Node built-ins.
    banner: { js: "import { createRequire as __orkestraCreateRequire } from 'node:module'; const require = __orkestraCreateRequire(import.meta.url);" },
    logLevel: "warning",
    // Paths in the bundle stay relative to the checkout even when node_modules is a symlink.
    preserveSymlinks: true,
  });
  return result.outputFiles[0]!.text;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const code = await bundleAction();
  if (process.argv.includes("--check")) {
    const committed = readFileSync("dist/index.js", "utf8");
    if (committed !== code) {
      console.error("dist/index.js is stale: run `npm run build:action` and commit it");
      process.exit(1);
    }
    console.log("dist/index.js is up to date");
  } else {
    mkdirSync("dist", { recursive: true });
    writeFileSync("dist/index.js", code);
    console.log(`wrote dist/index.js (${(code.length / 1024).toFixed(0)} KiB)`);
  }
}

import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { HEALTH_PATH, healthHandler } from "../../src/app/health.js";

/**
 * No image registry is reachable here, so the image cannot be built: this checks what the
 * Dockerfile claims against the repository instead, and runs its HEALTHCHECK command for real.
 */
const run = promisify(execFile);
const dockerfile = readFileSync("Dockerfile", "utf8").replace(/\\\n\s*/g, "");
const lines = dockerfile.split("\n").filter((line) => line.trim() !== "" && !line.startsWith("#"));
const stages = dockerfile.split(/^FROM /m).slice(1);
const runtime = stages.at(-1)!;
const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string>; engines: { node: string } };
const build = JSON.parse(readFileSync("tsconfig.build.json", "utf8")) as { compilerOptions: { outDir: string; rootDir: string } };

const instruction = (text: string, name: string) => text.split("\n").filter((line) => line.startsWith(`${name} `)).map((line) => line.slice(name.length + 1).trim());
const execForm = (value: string) => JSON.parse(value) as string[];

describe("the Dockerfile", () => {
  it("has a build stage and a runtime stage on a Node the package supports", () => {
    expect(stages).toHaveLength(2);
    const images = instruction(dockerfile, "FROM").map((from) => from.split(" ")[0]!);
    for (const image of images) expect(image).toMatch(/^node:\d+-slim$/);
    const major = Number(/^node:(\d+)/.exec(images[1]!)![1]);
    expect(major).toBeGreaterThanOrEqual(Number(/>=(\d+)/.exec(pkg.engines.node)![1]));
  });

  it("copies only files that exist and that .dockerignore lets into the build context", () => {
    const allowed = readFileSync(".dockerignore", "utf8")
      .split("\n")
      .filter((line) => line.startsWith("!"))
      .map((line) => line.slice(1));
    const copies = instruction(dockerfile, "COPY").filter((copy) => !copy.startsWith("--from"));
    expect(copies.length).toBeGreaterThan(3);
    for (const copy of copies) {
      for (const source of copy.split(/\s+/).slice(0, -1)) {
        expect(existsSync(source), source).toBe(true);
        expect(allowed, source).toContain(source);
      }
    }
  });

  it("builds with the package's build:lib into the lib/ the runtime stage copies and starts", () => {
    expect(stages[0]).toMatch(/^RUN npm ci\b/m);
    expect(stages[0]).toMatch(/^RUN npm run build:lib$/m);
    expect(pkg.scripts["build:lib"]).toBe("tsc -p tsconfig.build.json");
    expect(build.compilerOptions).toMatchObject({ outDir: "lib", rootDir: "src" });
    expect(instruction(runtime, "COPY")).toContain("--from=build /app/lib ./lib");
    // What the CMD runs is what tsc makes of src/app/main.ts, and what `npm start` runs.
    const cmd = execForm(instruction(runtime, "CMD")[0]!);
    expect(cmd).toEqual(["node", "lib/app/main.js"]);
    expect(existsSync(cmd[1]!.replace(/^lib\//, "src/").replace(/\.js$/, ".ts"))).toBe(true);
    expect(pkg.scripts.start).toBe(cmd.join(" "));
  });

  it("runs with production dependencies only, as a user that is not root, listening on the exposed port", () => {
    expect(runtime).toMatch(/^RUN npm ci --omit=dev\b/m);
    expect(runtime).not.toMatch(/\btsx\b|npm run build/);
    expect(instruction(runtime, "USER")).toEqual(["node"]);
    const env = instruction(runtime, "ENV").join(" ");
    expect(env).toMatch(/\bHOST=0\.0\.0\.0\b/);
    const port = /\bPORT=(\d+)\b/.exec(env)?.[1];
    expect(instruction(runtime, "EXPOSE")).toEqual([port]);
    expect(lines.at(-1)).toMatch(/^CMD /);
  });

  it("has a HEALTHCHECK that asks the App's health endpoint, and fails when nothing answers", async () => {
    const [options] = instruction(runtime, "HEALTHCHECK");
    const [node, flag, script] = execForm(options!.slice(options!.indexOf("CMD ") + 4));
    expect([node, flag]).toEqual(["node", "-e"]);
    expect(script).toContain(HEALTH_PATH);
    const server = createServer((req, res) => {
      if (!healthHandler(req, res)) res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    const env = { PATH: process.env.PATH ?? "", PORT: String(port) };
    await expect(run(process.execPath, ["-e", script!], { env })).resolves.toBeDefined();
    await new Promise((resolve) => server.close(resolve));
    await expect(run(process.execPath, ["-e", script!], { env })).rejects.toMatchObject({ code: 1 });
  });
});

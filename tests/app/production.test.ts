import { execFile, spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HEALTH_PATH } from "../../src/app/health.js";
import { CONFIG_PATH } from "../../src/config/schema.js";
import { starterConfig } from "../../src/config/starter.js";
import { startSandbox, type Sandbox } from "../../tools/sandbox/index.js";

const run = promisify(execFile);
const SECRET = "production-webhook-secret";
const ROOT = process.cwd();

/** The packages `npm ci --omit=dev` installs: package-lock.json's entries not marked `dev`, top-level ones (nested ones come inside them). */
function productionPackages(): string[] {
  const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { dev?: boolean; devOptional?: boolean }> };
  return Object.entries(lock.packages)
    .filter(([path, entry]) => /^node_modules\/(@[^/]+\/)?[^/]+$/.test(path) && !entry.dev && !entry.devOptional)
    .map(([path]) => path);
}

/** A port nobody listens on now (Probot takes PORT=0 for 3000, so the test picks one). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string): Promise<Response> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the App exited with ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(url);
      if (response.status === 200) return response;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`no answer from ${url} within 20 s:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The App as production starts it (docs/deploy.md, the Dockerfile): `tsc -p tsconfig.build.json`
 * output, package.json, app.yml and only the production dependencies — no tsx, no TypeScript —
 * started with `node lib/app/main.js`, pointed at the sandbox as at a GitHub Enterprise Server.
 */
describe("the App in production", () => {
  let dir: string;
  let sandbox: Sandbox;
  let child: ChildProcess;
  let base: string;
  let logs = "";

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "orkestra-production-"));
    // The production build's emitter; the type check is `npm run typecheck`'s job, not this test's.
    await run(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", join(ROOT, "tsconfig.build.json"), "--outDir", join(dir, "lib"), "--sourceMap", "false", "--noCheck"], { cwd: ROOT });
    cpSync(join(ROOT, "package.json"), join(dir, "package.json"));
    cpSync(join(ROOT, "app.yml"), join(dir, "app.yml"));
    for (const path of productionPackages()) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      // Hard links: the closure is ~150 MB, and the same file system holds both.
      await run("cp", ["-al", join(ROOT, path), join(dir, path)]);
    }
    sandbox = await startSandbox({ files: { [CONFIG_PATH]: starterConfig() }, collaborators: { alice: "write" } });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
    const url = new URL(sandbox.url);
    // Only what an operator sets: no NODE_OPTIONS or loaders of the test runner come along.
    const env = {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      APP_ID: String(sandbox.app.id),
      PRIVATE_KEY: privateKey,
      WEBHOOK_SECRET: SECRET,
      HOST: "127.0.0.1",
      PORT: String(port),
      LOG_LEVEL: "warn" as const,
      GHE_HOST: url.host,
      GHE_PROTOCOL: "http",
      ORKESTRA_SWEEP_MINUTES: "0",
    };
    child = spawn(process.execPath, ["lib/app/main.js"], { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout!.on("data", (chunk: Buffer) => (logs += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (logs += chunk.toString()));
  }, 120_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    await sandbox?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("has only the production dependencies: a devDependency needed at run time would fail here", () => {
    expect(existsSync(join(dir, "node_modules/probot"))).toBe(true);
    for (const dev of ["tsx", "typescript", "vitest", "esbuild", "nock"]) expect(existsSync(join(dir, "node_modules", dev)), dev).toBe(false);
    expect(existsSync(join(dir, "lib/app/main.js"))).toBe(true);
  });

  it("answers its health endpoint", async () => {
    const response = await waitForHealth(`${base}${HEALTH_PATH}`, child, () => logs);
    expect(response.headers.get("content-type")).toMatch(/application\/json/);
    expect(await response.json()).toEqual({ status: "ok" });
  }, 30_000);

  it("accepts a signed webhook, refuses a badly signed one, and handles the event against GitHub (Enterprise Server layout)", async () => {
    await waitForHealth(`${base}${HEALTH_PATH}`, child, () => logs);
    const url = `${base}/api/github/webhooks`;
    const forged = await sandbox.sendWebhook({ url, event: "ping", payload: { zen: "Keep it logically awesome.", hook_id: 1 }, signature: "sha256=0000" });
    expect(forged.status).toBe(400);
    sandbox.deliverWebhooks({ url, secret: SECRET });
    const issue = sandbox.as("alice").openIssue({ title: "Add a dark mode", body: "" });
    await sandbox.settled();
    // The person's event, then those of Orkestra's own writes (which it ignores): all accepted.
    expect(sandbox.webhookDeliveries[0]).toMatchObject({ event: "issues", action: "opened", status: 200 });
    expect(new Set(sandbox.webhookDeliveries.map((delivery) => delivery.status))).toEqual(new Set([200]));
    const labels = sandbox.state.issue(issue.number)!.labels.map((label) => (typeof label === "string" ? label : label.name));
    expect(labels, logs).toContain("orkestra:task");
    // Every request went through the Enterprise Server prefix (GHE_HOST), as on a real one.
    const prefixes = new Set(sandbox.requests.map((request) => request.path.startsWith("/api/v3/")));
    expect([...prefixes]).toEqual([true]);
  }, 30_000);
});

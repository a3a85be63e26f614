import { Octokit } from "@octokit/rest";
import { afterEach, expect } from "vitest";
import { fixedClock } from "../../tools/fixed-clock.js";
import { startSandbox, type Sandbox, type SandboxOptions } from "../../tools/sandbox/index.js";

export const START = "2030-01-01T00:00:00Z";

const running: Sandbox[] = [];

/**
 * Every sandbox is closed after its test, and the test fails if it left OpenAPI violations: a
 * request GitHub would refuse, or a response that does not fit GitHub's description. A test that
 * sends a bad request on purpose asserts its violations and clears them.
 */
afterEach(async () => {
  const sandboxes = running.splice(0);
  await Promise.all(sandboxes.map((sandbox) => sandbox.close()));
  expect(sandboxes.flatMap((sandbox) => sandbox.violations)).toEqual([]);
});

/** A sandbox on a fixed clock, closed after the test. */
export async function sandboxFor(options: SandboxOptions = {}) {
  const clock = fixedClock(START);
  const sandbox = await startSandbox({ clock, ...options });
  running.push(sandbox);
  return { sandbox, clock };
}

/** A real @octokit/rest client, at "/" or at the GitHub Enterprise prefix "/api/v3". */
export function octokitFor(sandbox: Sandbox, auth: string, layout: "root" | "enterprise" = "root"): Octokit {
  return new Octokit({ auth, baseUrl: layout === "root" ? sandbox.url : `${sandbox.url}/api/v3`, log: silentLog });
}

const silentLog = { debug() {}, info() {}, warn() {}, error() {} };

/** The status and body of a request that is expected to fail. */
export async function failure(promise: Promise<unknown>): Promise<{ status: number; body: unknown; headers: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { status: number; response?: { data: unknown; headers: Record<string, unknown> } };
    return { status: e.status, body: e.response?.data, headers: e.response?.headers ?? {} };
  }
  throw new Error("expected the request to fail");
}

export const repoOf = (sandbox: Sandbox) => ({ owner: sandbox.owner, repo: sandbox.repo });

import { runCli, type CliIO } from "../../src/cli/program.js";
import { fixedClock } from "../../tools/fixed-clock.js";
import type { Sandbox } from "../../tools/sandbox/index.js";

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `orkestra <args>` in process: no pacing, no `gh` or `git` on the PATH, a fixed clock. */
export async function cli(args: string[], env: CliIO["env"] = {}, io: Partial<CliIO> = {}): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(
    args,
    {
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
      env,
      isTTY: false,
      ...io,
    },
    { throttle: false, clock: fixedClock("2026-11-21T10:00:00Z"), run: async () => null },
  );
  return { code, stdout, stderr };
}

/** The flags and environment that point the CLI at a sandbox with a token it accepts. */
export function against(sandbox: Sandbox, token: string): { flags: string[]; env: CliIO["env"] } {
  return { flags: ["--repo", `${sandbox.owner}/${sandbox.repo}`, "--api-url", sandbox.url], env: { GITHUB_TOKEN: token } };
}

/** Requests that could have changed something (anything but GET; GraphQL queries are POSTs too). */
export function writes(sandbox: Sandbox): string[] {
  return sandbox.requests.filter((request) => request.method !== "GET").map((request) => `${request.method} ${request.path}`);
}

/** Real temporary git repositories and the fake CLIs in fixtures/, for the worker's tests. */
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach } from "vitest";

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "fixtures");
const made: string[] = [];

afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "orkestra-worker-test-"));
  made.push(dir);
  return dir;
}

/** A fake CLI from fixtures/, executable (a checkout may not keep the bit). */
export function fake(name: string): string {
  const path = join(FIXTURES, name);
  chmodSync(path, 0o755);
  return path;
}

export interface Repo {
  dir: string;
  /** The commit the repository started at. */
  base: string;
  git(...args: string[]): string;
  write(path: string, content: string | Uint8Array): void;
}

/** A repository with one commit holding `files`. */
export function repo(files: Record<string, string>): Repo {
  const dir = tempDir();
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, encoding: "utf8" }).trim();
  const write = (path: string, content: string | Uint8Array) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  };
  git("init", "-q", "-b", "main");
  git("config", "user.name", "Test");
  git("config", "user.email", "test@example.com");
  git("config", "commit.gpgsign", "false");
  for (const [path, content] of Object.entries(files)) write(path, content);
  git("add", "-A");
  git("commit", "-q", "-m", "base");
  return { dir, base: git("rev-parse", "HEAD"), git, write };
}

/** The environment a runner step would have: PATH, HOME, the agents' keys, and write tokens. */
export function runnerEnv(extra: Record<string, string> = {}): Record<string, string | undefined> {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_TOKEN: "ghs_writetoken000000000000000000000000",
    GH_TOKEN: "ghs_writetoken000000000000000000000000",
    "INPUT_GITHUB-TOKEN": "ghs_writetoken000000000000000000000000",
    INPUT_MODE: "worker",
    ACTIONS_RUNTIME_TOKEN: "runtime-token-000000",
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: "id-token-000000",
    ANTHROPIC_API_KEY: "sk-ant-test-key-0000000000",
    OPENAI_API_KEY: "sk-openai-test-key-000000",
    GEMINI_API_KEY: "gemini-test-key-000000",
    COPILOT_GITHUB_TOKEN: "github_pat_copilot_test_0000",
    ...extra,
  };
}

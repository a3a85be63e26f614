/**
 * Runs one CLI to completion or to its time limit. It gets its own process group, so the limit
 * stops everything it started (test runners, dev servers), and output is kept within a bound.
 */
import { spawn } from "node:child_process";

interface ProcessRun {
  /** Exit code, or null when a signal ended it. */
  code: number | null;
  timedOut: boolean;
  /** The end of each stream, at most `maxOutputBytes` of it. */
  stdout: string;
  stderr: string;
  durationMs: number;
}

interface ProcessOptions {
  cwd: string;
  env: Record<string, string>;
  stdin: string | null;
  timeoutMs: number;
  maxOutputBytes: number;
}

/** How long a process group has between SIGTERM and SIGKILL. */
const GRACE_MS = 2_000;

/** Rejects only when the executable cannot be started (ENOENT, EACCES). */
export function runProcess(command: string, args: readonly string[], options: ProcessOptions): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      detached: true, // its own process group: a kill reaches its children too
      stdio: ["pipe", "pipe", "pipe"],
    });
    const stdout = new TailBuffer(options.maxOutputBytes);
    const stderr = new TailBuffer(options.maxOutputBytes);
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.stdin.on("error", () => undefined); // a CLI that exits without reading its stdin
    child.stdin.end(options.stdin ?? ""); // empty stdin: nothing waits for input that never comes

    let timedOut = false;
    let settled = false;
    const killGroup = (signal: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // the group is gone already
      }
    };
    const finish = (code: number | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(hardStop);
      resolve({ code, timedOut, stdout: stdout.text(), stderr: stderr.text(), durationMs: performance.now() - started });
    };
    let hardStop: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup("SIGTERM");
      hardStop = setTimeout(() => {
        killGroup("SIGKILL");
        // A grandchild that left the group may hold the pipes open: stop waiting for them.
        setTimeout(() => {
          child.stdout.destroy();
          child.stderr.destroy();
          finish(null);
        }, GRACE_MS).unref();
      }, GRACE_MS);
    }, options.timeoutMs);

    child.on("error", (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(hardStop);
      reject(error);
    });
    // Whatever the CLI left running in its group (a watcher, a server) is stopped once it exits.
    child.on("exit", () => killGroup("SIGKILL"));
    child.on("close", (code) => finish(code));
  });
}

/** Keeps the last `max` bytes written to it. */
class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  constructor(private readonly max: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size - (this.chunks[0]?.length ?? 0) >= this.max && this.chunks.length > 1) {
      this.size -= this.chunks.shift()!.length;
    }
  }

  text(): string {
    const all = Buffer.concat(this.chunks);
    return all.subarray(Math.max(0, all.length - this.max)).toString("utf8");
  }
}

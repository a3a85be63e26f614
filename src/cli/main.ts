#!/usr/bin/env node
import { runCli } from "./program.js";

// The `orkestra` bin: everything happens in runCli, which returns the exit code.
const code = await runCli(process.argv.slice(2), {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  env: process.env,
  isTTY: process.stdout.isTTY === true,
  stderrIsTTY: process.stderr.isTTY === true,
});
// Exit once stdout is flushed (a pipe may still hold output), not waiting for idle keep-alive sockets.
process.stdout.write("", () => process.exit(code));

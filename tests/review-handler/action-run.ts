/**
 * One Action job for one already emitted sandbox event, with the `dry-run` input on: the
 * harness hands every event to a normal run, and a dry run of a pull request or comment event
 * needs its own job. Writes nothing but the event file.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runAction } from "../../src/action/main.js";
import { scriptedProvider } from "../../tools/scripted/index.js";
import type { RunReport } from "../../src/runtime/context.js";
import { silentLogger } from "../../src/shared/logger.js";
import type { SandboxEvent } from "../../tools/sandbox/index.js";
import type { Harness } from "../support/harness.js";

export async function dryActionRun(h: Harness, event: Pick<SandboxEvent, "name" | "payload">): Promise<RunReport> {
  const eventPath = join(mkdtempSync(join(tmpdir(), "orkestra-dry-")), "event.json");
  writeFileSync(eventPath, JSON.stringify(event.payload));
  const env = {
    GITHUB_EVENT_NAME: event.name,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: `${h.sandbox.owner}/${h.sandbox.repo}`,
    GITHUB_API_URL: h.sandbox.url,
    GITHUB_TOKEN: h.sandbox.tokens.actions,
    GITHUB_REF: `refs/heads/${h.sandbox.defaultBranch}`,
  };
  const report = await runAction({ env, clock: h.clock, log: silentLogger, throttle: false, dryRun: true, agentOptions: { scripted: scriptedProvider() } });
  await h.sandbox.settled();
  return report;
}

/** The last event GitHub emitted with this name whose payload passes `match`. */
export function emitted(h: Harness, name: string, match: (payload: Record<string, unknown>) => boolean): SandboxEvent {
  const event = h.sandbox.deliveries.filter((delivery) => delivery.name === name && match(delivery.payload)).at(-1);
  if (!event) throw new Error(`no ${name} event was emitted`);
  return event;
}

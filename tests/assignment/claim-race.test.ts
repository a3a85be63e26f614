import fc from "fast-check";
import { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import type { Config } from "../../src/config/schema.js";
import { fixedClock } from "../../tools/fixed-clock.js";
import { parseCard } from "../../src/domain/task/card.js";
import { OctokitGitHub } from "../../src/github/octokit.js";
import type { GitHubPort } from "../../src/github/port.js";
import { claimTask, type ClaimResult } from "../../src/handlers/assignment/claim.js";
import { createRunContext, emptyReport } from "../../src/runtime/context.js";
import { handleEvent } from "../../src/handlers/index.js";
import { silentLogger } from "../../src/shared/logger.js";
import { startSandbox, type Sandbox } from "../../tools/sandbox/index.js";
import { scriptedAgentsConfig } from "../support/config.js";

const CLAIMERS = 10;
const TRIALS = Number(process.env.CLAIM_TRIALS ?? 1000);
const AGENTS = Array.from({ length: CLAIMERS }, (_, i) => `agent${i}`);
const clock = fixedClock("2026-11-21T09:00:00Z");

let sandbox: Sandbox;
let config: Config;

beforeAll(async () => {
  const yaml = scriptedAgentsConfig(Object.fromEntries(AGENTS.map((name) => [name, {}])), "assignment:\n  maxPerAgent: 100\n");
  // Ten thousand claims in one test: far more than an hour's budget of a real installation.
  sandbox = await startSandbox({ clock, rateLimit: 1_000_000, files: { ".github/orkestra.yml": yaml } });
  const parsed = parseConfig(yaml);
  if (!parsed.ok) throw new Error("bad config");
  config = parsed.config;
});

afterAll(async () => sandbox?.close());

function port(): GitHubPort {
  const log = { debug() {}, info() {}, warn() {}, error() {} };
  return new OctokitGitHub(new Octokit({ auth: sandbox.tokens.actions, baseUrl: sandbox.url, log }), { owner: sandbox.owner, repo: sandbox.repo });
}

function services(github: GitHubPort) {
  return { github, clock, log: silentLogger, dryRun: false, repoPrivate: false, env: {}, defaultBranch: "main" };
}

/** A port whose every call first waits for the seeded scheduler to let it go. */
function scheduled(github: GitHubPort, s: fc.Scheduler, who: string): GitHubPort {
  return new Proxy(github, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== "function" || key === "rateLimit" || key === "repo") return value;
      return async (...args: unknown[]) => {
        await s.schedule(Promise.resolve(), `${who} ${String(key)}`);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

async function openTask(): Promise<number> {
  const issue = sandbox.as("alice").openIssue({ title: "Contended task" });
  const [opened] = sandbox.deliveries.filter((event) => event.name === "issues" && (event.payload.issue as { number: number }).number === issue.number);
  await handleEvent(services(port()), { name: "issues", payload: opened!.payload });
  return issue.number;
}

describe("claim protocol", () => {
  it(`exactly one of ${CLAIMERS} concurrent claimers wins, over ${TRIALS} seeded interleavings, and losers leave no trace`, async () => {
    const base = port();
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), async (s) => {
        const number = await openTask();
        const claims: Promise<ClaimResult>[] = AGENTS.map((agent) => {
          const ctx = createRunContext(services(scheduled(base, s, agent)), config, emptyReport());
          return claimTask(ctx, number, { name: agent, why: `${agent} was asked` }, { actor: "orkestra", how: "race test" });
        });
        const results = await s.waitFor(Promise.all(claims));
        const winners = AGENTS.filter((_, i) => results[i]?.ok);
        expect(winners).toHaveLength(1);
        const labels = (sandbox.state.issue(number)?.labels ?? []).map((label) => (typeof label === "string" ? label : label.name));
        expect(labels.filter((label) => label?.startsWith("agent:"))).toEqual([`agent:${winners[0]}`]);
        const cards = sandbox.state.comments(number).map((comment) => parseCard(comment.body)).filter((card) => card !== null);
        expect(cards).toHaveLength(1);
        expect(cards[0]?.agent?.name).toBe(winners[0]);
        expect(sandbox.state.refs().filter((ref) => ref.ref === `refs/orkestra/locks/${number}`)).toHaveLength(1);
        for (const [i, result] of results.entries()) {
          if (!result.ok) expect(result.reason).toBe("another run claimed this task first");
          else expect(AGENTS[i]).toBe(winners[0]);
        }
        // The task is done with: its lock goes, which frees its places under the limits for the next run.
        await base.deleteRef(`orkestra/locks/${number}`);
      }),
      { numRuns: TRIALS, seed: 20261121, endOnFailure: true },
    );
  }, 600_000);
});

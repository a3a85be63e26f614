/**
 * Two ballots handled at the same time (two Action runs, two app replicas): the core's
 * `handleEvent` is called directly, bypassing the app's per-issue serialisation, against the
 * sandbox. Both ballots must end up in the tally.
 */
import { sandboxServices } from "../support/services.js";
import { afterEach, describe, expect, it } from "vitest";
import { fixedClock } from "../../tools/fixed-clock.js";
import { parseVoteComment, type VoteState } from "../../src/domain/consensus/index.js";
import type { GitHubPort } from "../../src/github/port.js";
import { defaultConfig } from "../../src/config/schema.js";
import { createRunContext, emptyReport, type Services } from "../../src/runtime/context.js";
import { handleEvent } from "../../src/handlers/index.js";
import { readVote, voteResult } from "../../src/handlers/votes/index.js";
import { startSandbox, type Sandbox, type SandboxEvent } from "../../tools/sandbox/index.js";
import { counted } from "../votes/support.js";

const START = "2026-11-21T09:00:00Z";

let sandbox: Sandbox;
afterEach(async () => {
  expect(sandbox.violations).toEqual([]);
  await sandbox.close();
});

async function setup(): Promise<{ services: Services; issue: number; clock: ReturnType<typeof fixedClock> }> {
  const clock = fixedClock(START);
  sandbox = await startSandbox({ owner: "octo-org", repo: "orkestra-demo", clock, collaborators: { alice: "write" } });
  const services = sandboxServices(sandbox, clock);
  const issue = sandbox.as("alice").openIssue({ title: "Ship it?" }).number;
  // A task (with its status label), so a command's first read of the comments is the ballot's.
  await handleEvent(services, lastDelivery());
  sandbox.as("alice").comment(issue, "/propose Ship it? voters=@alice,@bob,@carol");
  await handleEvent(services, lastDelivery());
  return { services, issue, clock };
}

function lastDelivery(): SandboxEvent {
  const event = sandbox.deliveries.at(-1);
  if (!event) throw new Error("no delivery");
  return event;
}

function tally(issue: number): VoteState {
  const state = sandbox.state
    .comments(issue)
    .map((comment) => parseVoteComment(comment.body))
    .find((parsed) => parsed !== null);
  if (!state) throw new Error("no tally");
  return state;
}

/** The port, with a hook run once right after the first comment list is read. */
function afterFirstRead(port: GitHubPort, hook: () => Promise<void>): GitHubPort {
  let done = false;
  return new Proxy(port, {
    get(target, property, receiver) {
      if (property === "listComments") {
        return async (issue: number) => {
          const comments = await target.listComments(issue);
          if (!done) {
            done = true;
            await hook();
          }
          return comments;
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe("ballots arriving at once", () => {
  it("two ballots handled concurrently both count", async () => {
    const { services, issue } = await setup();
    sandbox.as("bob").comment(issue, "/vote yes");
    const bob = lastDelivery();
    sandbox.as("carol").comment(issue, "/vote no");
    const carol = lastDelivery();
    const reports = await Promise.all([handleEvent(services, bob), handleEvent(services, carol)]);
    expect(reports.flatMap((report) => report.errors)).toEqual([]);
    expect(counted(tally(issue))).toEqual(["bob: A", "carol: B"]);
  });

  it("a handler that wrote a stale tally sees the other ballot on its check and writes again", async () => {
    const { services, issue } = await setup();
    sandbox.as("bob").comment(issue, "/vote yes");
    const bob = lastDelivery();
    // Bob's handler reads the comments before Carol's ballot exists; Carol's whole handler runs
    // before Bob's writes, so Bob's first write leaves Carol's ballot out.
    let carolDone: Promise<unknown> = Promise.resolve();
    const racing: Services = {
      ...services,
      github: afterFirstRead(services.github, async () => {
        sandbox.as("carol").comment(issue, "/vote no");
        carolDone = handleEvent(services, lastDelivery());
        await carolDone;
      }),
    };
    sandbox.clearRequests();
    await Promise.all([handleEvent(racing, bob), carolDone]);
    expect(counted(tally(issue))).toEqual(["bob: A", "carol: B"]);
    const tallyEdits = sandbox.requests.filter((request) => request.route === "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}");
    // Carol's write, Bob's stale write, Bob's corrected write.
    expect(tallyEdits).toHaveLength(3);
  });

  it("readVote gives the review handler the vote of a pull request with its running result", async () => {
    const { services } = await setup();
    const pr = sandbox.as("alice").openPullRequest({ title: "Cache", head: "cache", files: [{ path: "a.ts", after: "export {};\n" }] }).number;
    const ctx = createRunContext(services, defaultConfig(), emptyReport());
    expect(await readVote(ctx, pr)).toBeNull();
    sandbox.as("alice").comment(pr, "/propose Merge? voters=@alice,@bob,@carol");
    await handleEvent(services, lastDelivery());
    sandbox.as("bob").comment(pr, "/vote approve");
    await handleEvent(services, lastDelivery());
    // A ballot whose event is not handled yet is counted by reading the comments too.
    sandbox.as("carol").comment(pr, "/vote approve");
    const state = await readVote(ctx, pr);
    expect(state?.spec.options.map((option) => option.label)).toEqual(["Approve", "Reject"]);
    expect(state && counted(state)).toEqual(["bob: A", "carol: A"]);
    expect(state && voteResult(state)).toMatchObject({ status: "pending", provisional: "passed", winner: "A" });
  });
});

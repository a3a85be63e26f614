/**
 * A command delivered several times at once runs once: GitHub delivers an event more than once, and
 * app replicas or Action runs take the copies at the same time. The 👀 receipt is the
 * compare-and-set: only the delivery whose reaction was new (201) runs the commands.
 */
import { afterEach, describe, expect, it } from "vitest";
import { scriptedAgentsConfig } from "../support/config.js";
import { botComments, DOORS, labelsOf, reactionsOn, startHarness, type Harness } from "../support/harness.js";

const CONFIG = scriptedAgentsConfig({ alpha: {}, beta: {} });

describe.each(DOORS)("one command, many deliveries, through the %s", (door) => {
  let h: Harness;
  afterEach(async () => h?.close());

  async function commandEvent() {
    h = await startHarness(door, { files: { ".github/orkestra.yml": CONFIG } }, { autoDeliver: false });
    const issue = h.sandbox.as("alice").openIssue({ title: "Docs" });
    await h.deliver("issues", h.sandbox.deliveries.at(-1)!.payload);
    const comment = h.sandbox.as("alice").comment(issue.number, "/assign");
    const event = h.sandbox.deliveries.filter((delivery) => delivery.name === "issue_comment").at(-1)!;
    return { issue, comment, event };
  }

  it("six simultaneous deliveries of /assign run it once: one claim, one 👍, one reply", async () => {
    const { issue, comment, event } = await commandEvent();
    await Promise.all(Array.from({ length: 6 }, () => h.deliver("issue_comment", event.payload)));
    expect(reactionsOn(h.sandbox, comment.id)).toEqual(["eyes", "+1"]);
    expect(botComments(h.sandbox, issue.number).filter((body) => body.includes("orkestra:reply-"))).toHaveLength(1);
    expect(labelsOf(h.sandbox, issue.number).filter((label) => label.startsWith("agent:"))).toHaveLength(1);
  });

  it("a delivery after a run that died (👀 older than a run may take, no 👍 or 😕) runs the commands again", async () => {
    const { issue, comment, event } = await commandEvent();
    // A run that reacted 👀 and died: GitHub failed it on the next request, for good.
    h.sandbox.faults.inject({ method: "GET", route: "/repos/{owner}/{repo}/issues/{issue_number}", status: 500, times: 20 });
    await h.deliver("issue_comment", event.payload);
    expect(reactionsOn(h.sandbox, comment.id)).toEqual(["eyes"]);
    h.sandbox.faults.clear();
    // Within a run's time limit another delivery leaves it to the run that may still be at work…
    h.clock.advance(30 * 60_000);
    await h.deliver("issue_comment", event.payload);
    expect(reactionsOn(h.sandbox, comment.id)).toEqual(["eyes"]);
    // …after it, the commands are the delivery's to run.
    h.clock.advance(31 * 60_000);
    await h.deliver("issue_comment", event.payload);
    expect(reactionsOn(h.sandbox, comment.id)).toEqual(["eyes", "+1"]);
    expect(labelsOf(h.sandbox, issue.number).filter((label) => label.startsWith("agent:"))).toHaveLength(1);
  });
});

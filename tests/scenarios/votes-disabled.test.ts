import { afterEach, describe, expect, it } from "vitest";
import { DOORS, labelsOf, reactionsOn, startHarness, type Harness } from "../support/harness.js";
import { counted, replyTo, tallyOf } from "../votes/support.js";

describe.each(DOORS)("`/vote` disabled in the configuration, through the %s", (door) => {
  let h: Harness;
  afterEach(async () => {
    expect(h.sandbox.violations).toEqual([]);
    await h.close();
  });

  it("people's /vote comments are refused and never counted when the tally is recounted", async () => {
    h = await startHarness(door, { files: { ".github/orkestra.yml": "maintainers: [trish]\ncommands:\n  disabled: [vote]\n" } });
    const issue = h.sandbox.as("alice").openIssue({ title: "Ship it?" }).number;
    await h.settle();
    h.sandbox.as("alice").comment(issue, "/propose Ship it? voters=@alice,@bob");
    await h.settle();
    const ballot = h.sandbox.as("alice").comment(issue, "/vote yes");
    h.sandbox.as("bob").comment(issue, "/vote yes -- looks good");
    await h.settle();
    expect(reactionsOn(h.sandbox, ballot.id)).toEqual(["eyes", "confused"]);
    expect(replyTo(h, issue, ballot.id)).toContain("this command is disabled in this repository");

    h.sandbox.as("trish").comment(issue, "/close-vote");
    await h.settle();
    const state = tallyOf(h, issue);
    expect(state.phase).toBe("closed");
    expect(counted(state)).toEqual([]);
    expect(state.result?.status).not.toBe("passed");
    expect(labelsOf(h.sandbox, issue)).not.toContain("decision:yes");
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { reportFailed } from "../../src/action/summary.js";
import { DOORS, labelsOf, startHarness, type Harness } from "../support/harness.js";
import { tallyOf } from "../votes/support.js";

const HOUR = 3_600_000;
const NO_TASKS = "tasks:\n  from: label\n";

describe.each(DOORS)("closing due votes at the rate-limit floor, through the %s", (door) => {
  let h: Harness;
  afterEach(async () => {
    expect(h.sandbox.violations).toEqual([]);
    await h.close();
  });

  async function dueVote(title: string): Promise<number> {
    const issue = h.sandbox.as("alice").openIssue({ title });
    await h.settle();
    h.sandbox.as("alice").comment(issue.number, "/propose Ship it? deadline=1h voters=@alice,@bob");
    await h.settle();
    h.sandbox.as("bob").comment(issue.number, "/vote yes");
    await h.settle();
    return issue.number;
  }

  it("stops before reading a vote, says which votes it did not reach, and the next run closes them", async () => {
    // Every request leaves fewer than 100 of the hour's 100: the floor is reached at once. The
    // issues are no tasks, so only the votes are left to reach.
    h = await startHarness(door, { rateLimit: 100, files: { ".github/orkestra.yml": `${NO_TASKS}sweep:\n  rateLimitFloor: 100\n  requestShare: 1\n` } });
    const first = await dueVote("First");
    const second = await dueVote("Second");
    h.clock.advance(2 * HOUR);
    const [report] = await h.sweep();
    expect(report?.truncated?.notReached.slice().sort()).toEqual([`#${first}`, `#${second}`, "the open tasks from page 1 on"]);
    expect(report?.truncated?.reason).toMatch(/^stopped while closing due votes: \d+ GitHub requests left this hour, floor 100 \(sweep.rateLimitFloor\); the next sweep continues$/);
    expect(reportFailed(report!)).toBe(false);
    expect(tallyOf(h, first).phase).toBe("open");
    expect(tallyOf(h, second).phase).toBe("open");

    h.sandbox.setFile(".github/orkestra.yml", `${NO_TASKS}sweep:\n  rateLimitFloor: 0\n  requestShare: 1\n`);
    h.clock.advance(HOUR);
    await h.sweep();
    expect(tallyOf(h, first).phase).toBe("closed");
    expect(tallyOf(h, second).phase).toBe("closed");
    expect(labelsOf(h.sandbox, second)).toContain("decision:yes");
  });
});

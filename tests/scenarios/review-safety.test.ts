import { afterEach, describe, expect, it } from "vitest";
import { botComments, DOORS, reactionsOn, startHarness, type Harness } from "../support/harness.js";
import { approve, botReviews, changedApp, checkRunsOf, openPr, reviewConfig, scriptReviews, unprocessable } from "../review-handler/support.js";

const cleanups: Array<() => void> = [];

describe.each(DOORS)("review safety through the %s", (door) => {
  let h: Harness;
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    expect(h.sandbox.violations).toEqual([]);
    expect(unprocessable(h)).toEqual([]);
    await h.close();
  });

  it("a fork PR in a run without agent keys gets one clear notice instead of a failure", async () => {
    // No configuration: the five real agents are configured, and no key is present.
    h = await startHarness(door);
    const pr = await openPr(h, { fromFork: true, head: "patch-1" });
    expect(botReviews(h, pr)).toEqual([]);
    expect(checkRunsOf(h, pr)).toEqual([]);
    const notices = botComments(h.sandbox, pr).filter((body) => body.includes("orkestra:review-notice"));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain("It comes from a fork, and GitHub");
    expect(notices[0]).toContain("`pull_request_target`");
    // A push repeats nothing: the notice is sticky.
    h.sandbox.as("alice").pushCommits(pr, [changedApp("again")]);
    await h.settle();
    expect(botComments(h.sandbox, pr).filter((body) => body.includes("orkestra:review-notice"))).toHaveLength(1);
    if (door === "action") expect(h.reports.every((report) => report.errors.length === 0)).toBe(true);

    const command = h.sandbox.as("alice").comment(pr, "/review");
    await h.settle();
    expect(reactionsOn(h.sandbox, command.id)).toEqual(["eyes", "confused"]);
    expect(botComments(h.sandbox, pr).some((body) => body.includes("this PR comes from a fork and the run has no agent keys"))).toBe(true);
  });

  it("a PR from an author without write access waits for a maintainer's /review", async () => {
    h = await startHarness(door, { files: { ".github/orkestra.yml": reviewConfig({ alpha: {} }) } });
    const calls: string[] = [];
    cleanups.push(scriptReviews(() => approve(), calls));
    const pr = await openPr(h, { by: "rita", fromFork: true, head: "patch-1" });
    expect(botReviews(h, pr)).toEqual([]);
    if (door === "action") expect(h.reports.flatMap((report) => report.notes).join("\n")).toContain("the author has no write access: a maintainer can start the review with `/review`");

    // rita may comment, but /review needs write access.
    const own = h.sandbox.as("rita").comment(pr, "/review");
    await h.settle();
    expect(reactionsOn(h.sandbox, own.id)).toEqual(["eyes", "confused"]);
    expect(calls).toEqual([]);

    h.clock.advance(60_000);
    h.sandbox.as("alice").comment(pr, "/review");
    await h.settle();
    expect(calls).toEqual(["alpha"]);
    expect(botReviews(h, pr)).toHaveLength(1);
  });

  it("with `untrustedAuthors: skip` even a maintainer's /review of an untrusted author's PR is refused", async () => {
    h = await startHarness(door, { files: { ".github/orkestra.yml": reviewConfig({ alpha: {} }, "untrustedAuthors: skip") } });
    const calls: string[] = [];
    cleanups.push(scriptReviews(() => approve(), calls));
    const pr = await openPr(h, { by: "rita", fromFork: true, head: "patch-1" });
    const refused = h.sandbox.as("alice").comment(pr, "/review");
    await h.settle();
    expect(reactionsOn(h.sandbox, refused.id)).toEqual(["eyes", "confused"]);
    expect(calls).toEqual([]);
    expect(botReviews(h, pr)).toEqual([]);
  });

  it("the configuration comes from the base branch, never from the PR", async () => {
    h = await startHarness(door, { files: { ".github/orkestra.yml": reviewConfig({ alpha: {} }) } });
    const calls: string[] = [];
    cleanups.push(scriptReviews(() => approve(), calls));
    // The PR turns reviews off in its own copy of the configuration: it is reviewed anyway.
    const sneaky = await openPr(h, { head: "sneaky", files: [changedApp(), { path: ".github/orkestra.yml", after: "review: { enabled: false }\n" }] });
    expect(calls).toEqual(["alpha"]);
    expect(botReviews(h, sneaky)).toHaveLength(1);

    // A PR to `release` follows release's configuration: other agents, no automatic review.
    h.sandbox.setFile(".github/orkestra.yml", reviewConfig({ beta: {} }, "enabled: false"), { ref: "release" });
    calls.length = 0;
    const toRelease = await openPr(h, { head: "fix", base: "release", files: [changedApp("fix", "src/release.ts")] });
    expect(calls).toEqual([]);
    h.clock.advance(60_000);
    h.sandbox.as("alice").comment(toRelease, "/review");
    await h.settle();
    expect(calls).toEqual(["beta"]);
    expect(botReviews(h, toRelease)).toHaveLength(1);
  });
});

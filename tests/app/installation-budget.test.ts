import { ProbotOctokit } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { INSTALLATION_BUDGET_SETTING, InstallationBudgets, installationBudgetsFrom } from "../../src/app/installation-budget.js";
import { parseVoteComment } from "../../src/domain/consensus/index.js";
import { silentLogger } from "../../src/shared/logger.js";
import { fixedClock } from "../../tools/fixed-clock.js";
import { scriptedAgentsConfig } from "../support/config.js";
import { botComments, startHarness, type Harness } from "../support/harness.js";

// A scripted ballot at these prices costs about $0.10; the worst case checked before it, about $0.30:
// one ballot fits under the cap, a second (0.10 spent + 0.30) does not.
const CONFIG = scriptedAgentsConfig({ alpha: {} }, "prices:\n  scripted: { inputPerMTok: 100, outputPerMTok: 100 }\n");
const CAP_USD = 0.35;

/** Alpha's ballot on a proposal in a new issue: its choice and, when it abstained, why. */
async function ballot(h: Harness): Promise<{ choice: unknown; reason: string }> {
  const issue = h.sandbox.as("alice").openIssue({ title: "A question" });
  await h.settle();
  h.sandbox.as("alice").comment(issue.number, "/propose Ship it? voters=alpha");
  await h.settle();
  const [tally] = botComments(h.sandbox, issue.number).map(parseVoteComment).filter((vote) => vote !== null);
  const [cast] = tally!.ballots;
  return { choice: cast!.choice, reason: cast!.reason ?? "" };
}

/** What the repository's day record says its agents spent. */
function recordedUsd(h: Harness): number {
  const ref = h.sandbox.state.refs().find(({ ref }) => ref === "refs/orkestra/usage/2026-11-21");
  if (!ref) return 0;
  const message = h.sandbox.internals.store.git.commits.get(ref.object.sha)!.message;
  return (JSON.parse(message.slice(message.indexOf("\n\n") + 2)) as { costUsd: number }).costUsd;
}

describe("the App's installation-wide daily budget", () => {
  const open: Harness[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((h) => h.close()));
  });

  const budgets = () => new InstallationBudgets(CAP_USD, fixedClock("2026-11-21T09:00:00Z"), silentLogger);
  // Two repositories of installation 2000 (the sandbox's default), served by one process.
  const repository = (repo: string, installationBudgets: InstallationBudgets) =>
    startHarness("app", { repo, files: { ".github/orkestra.yml": CONFIG } }, { installationBudgets }).then((h) => (open.push(h), h));

  it("counts what one repository spends against the others: the next call elsewhere is refused, naming the setting", async () => {
    const shared = budgets();
    const first = await repository("alpha-repo", shared);
    const second = await repository("beta-repo", shared);
    expect((await ballot(first)).choice).not.toBe("abstain");
    const spent = recordedUsd(first);
    expect(spent).toBeGreaterThan(0.05);
    // Alone, the second repository is far under both its own perDay budget and the cap...
    expect(spent).toBeLessThan(CAP_USD);
    const refused = await ballot(second);
    expect(refused.choice).toBe("abstain");
    expect(refused.reason).toMatch(INSTALLATION_BUDGET_SETTING);
    expect(recordedUsd(second)).toBe(0);
  });

  it("...which it would not be in another installation (a budget of its own)", async () => {
    const first = await repository("alpha-repo", budgets());
    const second = await repository("beta-repo", budgets());
    await ballot(first);
    expect((await ballot(second)).choice).not.toBe("abstain");
  });

  it("a process that starts later (or another replica) reads the day's records, again once its reading is 15 minutes old", async () => {
    const h = await repository("alpha-repo", budgets());
    const clock = fixedClock("2026-11-21T09:00:00Z");
    const fresh = new InstallationBudgets(CAP_USD, clock, silentLogger);
    const octokit = new ProbotOctokit({ auth: { token: h.sandbox.tokens.installation }, baseUrl: h.sandbox.url, retry: { enabled: false }, throttle: { enabled: false } });
    const shared = fresh.for(h.sandbox.app.installationId, octokit);
    expect(await shared.spent("2026-11-21")).toBe(0);
    await ballot(h);
    const recorded = recordedUsd(h);
    expect(recorded).toBeGreaterThan(0.05);
    // Spent by "another replica" (the harness's app) after this one read: not seen until the reading is old.
    expect(await shared.spent("2026-11-21")).toBe(0);
    clock.advance(15 * 60_000);
    expect(await shared.spent("2026-11-21")).toBeCloseTo(recorded, 10);
    // Its own spending counts at once.
    shared.add("2026-11-21", 0.01);
    expect(await shared.spent("2026-11-21")).toBeCloseTo(recorded + 0.01, 10);
  });

  it("is off unless the operator sets it, and refuses a setting that is not an amount", () => {
    const clock = fixedClock("2026-11-21T09:00:00Z");
    expect(installationBudgetsFrom({}, clock, silentLogger)).toBeNull();
    expect(installationBudgetsFrom({ [INSTALLATION_BUDGET_SETTING]: "25" }, clock, silentLogger)?.maxCostUsd).toBe(25);
    expect(() => installationBudgetsFrom({ [INSTALLATION_BUDGET_SETTING]: "lots" }, clock, silentLogger)).toThrow(INSTALLATION_BUDGET_SETTING);
    expect(() => installationBudgetsFrom({ [INSTALLATION_BUDGET_SETTING]: "0" }, clock, silentLogger)).toThrow(/positive/);
  });
});

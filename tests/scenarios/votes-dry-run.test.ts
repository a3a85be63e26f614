import { afterEach, describe, expect, it } from "vitest";
import { registerScriptedResponder } from "../../tools/scripted/index.js";
import { parseProposal } from "../../src/domain/consensus/index.js";
import { configPathOf, loadConfig } from "../../src/handlers/config.js";
import { createRunContext, emptyReport } from "../../src/runtime/context.js";
import { voteId } from "../../src/handlers/votes/index.js";
import { postVote, specFor } from "../../src/handlers/votes/open.js";
import { scriptedAgentsConfig } from "../support/config.js";
import { labelsOf, orkestraRequests, startHarness, type Harness } from "../support/harness.js";
import { sandboxServices } from "../support/services.js";
import { dryActionRun, emitted } from "../review-handler/action-run.js";
import { tallyCount, tallyOf } from "../votes/support.js";

const CONFIG = scriptedAgentsConfig({ alpha: {}, beta: {} });
const PROPOSAL = "/propose Ship it? voters=alpha,beta";

describe("a dry run of AI voters through the action", () => {
  let h: Harness;
  let calls: string[];
  let cleanup: () => void;
  afterEach(async () => {
    cleanup();
    expect(h.sandbox.violations).toEqual([]);
    await h.close();
  });

  /** Events go to the dry runs below only; every ballot an agent is asked for is counted. */
  async function start(): Promise<number> {
    h = await startHarness("action", { files: { ".github/orkestra.yml": CONFIG } }, { autoDeliver: false });
    calls = [];
    cleanup = registerScriptedResponder("vote", (_call, { agent }) => {
      calls.push(agent);
      return { choice: "Yes", reason: "fine" };
    });
    return h.sandbox.as("alice").openIssue({ title: "Release" }).number;
  }

  const commentEvent = (id: number) => emitted(h, "issue_comment", (payload) => (payload.comment as { id: number }).id === id);

  it("of a new /propose says which agents it would ask, asks none and writes nothing", async () => {
    const issue = await start();
    const comment = h.sandbox.as("alice").comment(issue, PROPOSAL);
    await h.settle();
    h.sandbox.clearRequests();
    const report = await dryActionRun(h, commentEvent(comment.id));
    expect(report.actions).toContain(`#${issue}: would ask \`alpha\`, \`beta\` for their ballots in round 1 (dry run: not asked)`);
    expect(calls).toEqual([]);
    expect(orkestraRequests(h.sandbox).filter((line) => !line.startsWith("GET"))).toEqual([]);
    expect(tallyCount(h, issue)).toBe(0);
  });

  it("of a redelivered /propose whose deliberation was cut short asks no agent and writes nothing", async () => {
    const issue = await start();
    const comment = h.sandbox.as("alice").comment(issue, PROPOSAL);
    await h.settle();
    // A run that posted the tally and stopped before asking anybody (as the Actions token).
    const services = sandboxServices(h.sandbox, h.clock, { token: h.sandbox.tokens.actions });
    const loaded = await loadConfig(services.github, configPathOf(services));
    if (!loaded.ok) throw new Error("invalid test configuration");
    const ctx = createRunContext(services, loaded.config, emptyReport());
    const proposal = parseProposal("Ship it? voters=alpha,beta");
    if (!proposal.ok) throw new Error(proposal.error.message);
    const spec = await specFor(ctx, (await services.github.getIssue(issue))!, "alice", proposal.value);
    if (!spec.ok) throw new Error(spec.reason);
    expect((await postVote(ctx, (await services.github.getIssue(issue))!, voteId(issue, comment.id), spec.spec)).ok).toBe(true);
    await h.settle();
    const before = h.sandbox.state.comments(issue).map((posted) => posted.body);

    h.sandbox.clearRequests();
    const report = await dryActionRun(h, commentEvent(comment.id));
    expect(calls).toEqual([]);
    expect(report.actions).toContain(`#${issue}: would ask \`alpha\`, \`beta\` for their ballots in round 1 (dry run: not asked)`);
    expect(orkestraRequests(h.sandbox).filter((line) => !line.startsWith("GET"))).toEqual([]);
    expect(h.sandbox.state.comments(issue).map((posted) => posted.body)).toEqual(before);
    expect(tallyOf(h, issue).ballots).toEqual([]);
    expect(labelsOf(h.sandbox, issue)).toContain("orkestra:vote-open");
  });
});

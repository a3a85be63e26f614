/**
 * What a vote costs, measured through the local GitHub sandbox and the core handler (the
 * same path both doors take):
 *
 *   npx tsx bench/ballot.ts
 *
 * Prints the GitHub requests of one person's ballot, and the requests and agent calls of a
 * full AI deliberation (two scripted agents: two rounds, deadlock, compromise, final round).
 */
import { sandboxServices } from "../tests/support/services.js";
import { scriptedAgentsConfig } from "../tests/support/config.js";
import { type AgentCall } from "../src/agents/index.js";
import { registerScriptedResponder } from "../tools/scripted/index.js";
import { fixedClock } from "../tools/fixed-clock.js";
import type { RoundBrief } from "../src/domain/consensus/index.js";
import type { RunReport } from "../src/runtime/context.js";
import { handleEvent } from "../src/handlers/index.js";
import { startSandbox } from "../tools/sandbox/index.js";
import { printRequests, requests } from "./requests.js";

const CONFIG = scriptedAgentsConfig({ alpha: {}, beta: {} }, "maintainers: [mona]\n");

async function main(): Promise<void> {
  const clock = fixedClock("2026-11-21T09:00:00Z");
  const sandbox = await startSandbox({ clock, collaborators: { alice: "write", mona: "maintain" }, files: { ".github/orkestra.yml": CONFIG } });
  const services = sandboxServices(sandbox, clock);
  const handleLast = async (): Promise<RunReport> => handleEvent(services, sandbox.deliveries.at(-1)!);
  try {
    // One person's ballot in an open vote (the labels and the tally exist already).
    const issue = sandbox.as("alice").openIssue({ title: "Ship it?", body: "" }).number;
    await handleLast();
    sandbox.as("alice").comment(issue, "/propose Ship it? voters=@alice,@bob");
    await handleLast();
    sandbox.as("alice").comment(issue, "/vote yes");
    await handleLast();
    sandbox.clearRequests();
    sandbox.as("bob").comment(issue, "/vote no -- not yet");
    await handleLast();
    printRequests("One ballot (`/vote no` by a voter, public repository)", requests(sandbox), 0);

    // A full deliberation: both agents keep their side, a compromise is added, both take it.
    let calls = 0;
    const stopBallots = registerScriptedResponder("vote", (call: AgentCall<unknown>, { agent }) => {
      calls += 1;
      const brief = JSON.parse(call.data.find((block) => block.label === "vote")!.content) as RoundBrief;
      if (brief.final) return { choice: "C", reason: "the flag makes it safe" };
      return agent === "alpha" ? { choice: "Yes", reason: "ready" } : { choice: "No", reason: "risky" };
    });
    const stopCompromise = registerScriptedResponder("vote-compromise", () => {
      calls += 1;
      return { option: "Ship behind a flag", reason: "both concerns met" };
    });
    const other = sandbox.as("alice").openIssue({ title: "Release plan", body: "Friday?" }).number;
    await handleLast();
    sandbox.clearRequests();
    sandbox.as("alice").comment(other, "/propose Release on Friday? method=unanimous voters=alpha,beta");
    const report = await handleLast();
    printRequests("One full AI deliberation (`/propose` with 2 agents: 2 rounds, deadlock, compromise, final round)", requests(sandbox), calls);
    console.log(report.notes.filter((note) => note.includes("deliberation")).join("\n"));
    stopBallots();
    stopCompromise();
  } finally {
    await sandbox.close();
  }
}

await main();

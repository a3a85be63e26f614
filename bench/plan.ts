/**
 * What planning an epic costs, measured through the local GitHub sandbox and the core handler
 * (the same path both doors take):
 *
 *   npx tsx bench/plan.ts
 *
 * Three scripted planners break an epic into 8 sub-tasks. In round 1 one of them leaves an item
 * out, so they differ; in round 2 (having read each other's proposals) all three propose the same
 * 8 items and agree. Prints the GitHub requests and agent calls of the `/plan` run, then of
 * `/plan approve` (8 sub-issues created, attached, made tasks and linked), with tokens and cost.
 */
import { type AgentCall } from "../src/agents/index.js";
import type { PlanItem } from "../src/domain/planning/index.js";
import { handleEvent } from "../src/handlers/index.js";
import type { RunReport } from "../src/runtime/context.js";
import { scriptedAgentsConfig } from "../tests/support/config.js";
import { sandboxServices } from "../tests/support/services.js";
import { fixedClock } from "../tools/fixed-clock.js";
import { startSandbox } from "../tools/sandbox/index.js";
import { printRequests, requests } from "./requests.js";
import { registerScriptedResponder } from "../tools/scripted/index.js";

const PLANNERS = ["alpha", "beta", "gamma"];
const CONFIG = scriptedAgentsConfig(Object.fromEntries(PLANNERS.map((name) => [name, {}])), "maintainers: [mona]\n");
/** Eight sub-tasks, each after the previous one but two that can run side by side. */
const ITEMS: PlanItem[] = Array.from({ length: 8 }, (_, index) => ({
  key: `step-${index + 1}`,
  title: `Step ${index + 1} of the new client`,
  description: `Part ${index + 1} of the work: what it changes and how it is checked.`,
  type: index % 4 === 3 ? "content" : "technical",
  priority: index < 2 ? "high" : "medium",
  acceptance: [`step ${index + 1} is covered by a test`],
  dependsOn: index === 0 || index === 4 ? [] : [`step-${index}`],
  agent: null,
}));

function roundOf(call: AgentCall<unknown>): number {
  const block = call.data.find((item) => item.label === "plan");
  try {
    return (JSON.parse(block?.content ?? "{}") as { round?: number }).round ?? 1;
  } catch {
    return 1;
  }
}

async function main(): Promise<void> {
  const clock = fixedClock("2026-11-21T09:00:00Z");
  const sandbox = await startSandbox({ clock, collaborators: { alice: "write", mona: "maintain" }, files: { ".github/orkestra.yml": CONFIG } });
  const services = sandboxServices(sandbox, clock);
  const handleLast = async (): Promise<RunReport> => handleEvent(services, sandbox.deliveries.at(-1)!);
  let calls = 0;
  const stop = registerScriptedResponder("plan", (call: AgentCall<unknown>, { agent }) => {
    calls += 1;
    const round = roundOf(call);
    // Round 1: gamma leaves the last item out; from round 2 on every planner proposes all eight.
    const items = round === 1 && agent === "gamma" ? ITEMS.slice(0, 7) : ITEMS;
    return { items, reason: round === 1 ? `${agent}: eight steps in order` : `${agent}: agreed after reading the others` };
  });
  try {
    const epic = sandbox.as("alice").openIssue({ title: "Epic: a new API client", body: "Replace the client: retries, paging, docs." }).number;
    await handleLast();

    sandbox.clearRequests();
    calls = 0;
    sandbox.as("alice").comment(epic, "/plan alpha beta gamma");
    const planned = await handleLast();
    printRequests("`/plan` with 3 planners, 8 items, one deliberation round (agreed in round 2)", requests(sandbox), calls);
    for (const note of planned.notes.filter((line) => /plan/i.test(line))) console.log(`  note: ${note}`);

    sandbox.clearRequests();
    calls = 0;
    sandbox.as("alice").comment(epic, "/plan approve");
    const created = await handleLast();
    printRequests("`/plan approve`: 8 sub-issues created, attached to the epic, made tasks, dependencies set", requests(sandbox), calls);
    for (const note of created.notes.filter((line) => /plan|sub-issue/i.test(line))) console.log(`  note: ${note}`);
    if (created.errors.length > 0) console.log(`  errors: ${created.errors.join("; ")}`);
    console.log(`\nSandbox contract violations: ${sandbox.violations.length}`);
  } finally {
    stop();
    await sandbox.close();
  }
}

await main();

/**
 * How often a command delivered several times at once runs exactly once (issue 12, item 5):
 *
 *   npx tsx bench/redelivery.ts [trials]      # 1,000 trials per door by default
 *
 * GitHub delivers an event more than once, and app replicas or Action runs take the copies at the
 * same time. Per door (the Probot app and the Action entry) and per trial: a fresh task, a person
 * comments `/assign`, and the same `issue_comment` payload is handed to Orkestra six times at once,
 * each copy after a seeded random delay of 0–3 ms (0: started in the same tick), so the copies'
 * requests interleave differently from trial to trial. The command ran exactly once when the
 * comment has the 👀 receipt and one final reaction (👍 or 😕), Orkestra wrote one reply, and the
 * task carries one `agent:` label. The task is then closed (and the close delivered) so held tasks
 * do not pile up against the limits. The goal: every trial runs the command exactly once.
 */
import { scriptedAgentsConfig } from "../tests/support/config.js";
import { botComments, DOORS, labelsOf, reactionsOn, startHarness, type Door, type Harness } from "../tests/support/harness.js";
import { seededRandom } from "../tools/sandbox/events.js";

const TRIALS = Number(process.argv[2] ?? 1000);
const COPIES = 6;
const MAX_DELAY_MS = 3;
const SEED = 20261121;
const CONFIG = scriptedAgentsConfig({ alpha: {}, beta: {} }, "assignment: { maxPerAgent: 100, maxInProgress: 1000 }\n");
const FINAL = new Set(["+1", "confused"]);

interface Tally {
  door: Door;
  trials: number;
  once: number;
  twiceOrMore: number;
  never: number;
  /** Trials that fit none of the three (e.g. a reply but no label), with what was seen. */
  odd: string[];
  wallMs: number;
}

function after(ms: number): Promise<void> {
  return ms === 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
}

function lastDelivery(h: Harness, name: string) {
  const event = h.sandbox.deliveries.findLast((delivery) => delivery.name === name);
  if (!event) throw new Error(`no ${name} delivery`);
  return event;
}

async function trial(h: Harness, next: () => number): Promise<{ kind: "once" | "twiceOrMore" | "never" | "odd"; seen: string }> {
  const person = h.sandbox.as("alice");
  const issue = person.openIssue({ title: "Docs" });
  await h.deliver("issues", lastDelivery(h, "issues").payload);
  const comment = person.comment(issue.number, "/assign");
  const event = lastDelivery(h, "issue_comment");
  const delays = Array.from({ length: COPIES }, () => Math.floor(next() * (MAX_DELAY_MS + 1)));
  await Promise.all(delays.map((ms) => after(ms).then(() => h.deliver("issue_comment", event.payload))));

  const reactions = reactionsOn(h.sandbox, comment.id);
  const eyes = reactions.filter((content) => content === "eyes").length;
  const finals = reactions.filter((content) => FINAL.has(content)).length;
  const others = reactions.length - eyes - finals;
  const replies = botComments(h.sandbox, issue.number).filter((body) => body.includes("orkestra:reply-")).length;
  const agents = labelsOf(h.sandbox, issue.number).filter((label) => label.startsWith("agent:")).length;
  const seen = `#${issue.number}: reactions [${reactions.join(", ")}], ${replies} replies, ${agents} agent labels, delays [${delays.join(", ")}] ms`;

  person.closeIssue(issue.number);
  await h.deliver("issues", lastDelivery(h, "issues").payload);

  if (eyes === 1 && finals === 1 && others === 0 && replies === 1 && agents === 1) return { kind: "once", seen };
  if (finals >= 2 || replies >= 2 || agents >= 2) return { kind: "twiceOrMore", seen };
  if (finals === 0 && replies === 0 && agents === 0) return { kind: "never", seen };
  return { kind: "odd", seen };
}

async function measure(door: Door, trials: number): Promise<Tally> {
  // Requests are still checked against GitHub's OpenAPI description; responses are not (as in bench/sweep.ts).
  const h = await startHarness(door, { rateLimit: 1_000_000, validateResponses: false, files: { ".github/orkestra.yml": CONFIG } }, { autoDeliver: false });
  const next = seededRandom(SEED);
  const tally: Tally = { door, trials, once: 0, twiceOrMore: 0, never: 0, odd: [], wallMs: 0 };
  const started = performance.now();
  try {
    for (let i = 0; i < trials; i++) {
      const { kind, seen } = await trial(h, next);
      if (kind === "odd") tally.odd.push(seen);
      else tally[kind] += 1;
      if (kind !== "once" && process.argv.includes("--detail")) console.error(`${door} ${kind}: ${seen}`);
    }
  } finally {
    tally.wallMs = performance.now() - started;
    await h.close();
  }
  return tally;
}

async function main(): Promise<void> {
  console.log(`${COPIES} simultaneous deliveries of one \`/assign\` comment per trial, seed ${SEED}`);
  console.log("");
  console.log("| door | trials | ran exactly once | ran twice or more | never ran | other | wall time |");
  console.log("|---|---:|---:|---:|---:|---:|---:|");
  let failed = false;
  for (const door of DOORS) {
    const t = await measure(door, TRIALS);
    console.log(`| ${t.door} | ${t.trials} | ${t.once} | ${t.twiceOrMore} | ${t.never} | ${t.odd.length} | ${(t.wallMs / 1000).toFixed(1)} s |`);
    for (const seen of t.odd.slice(0, 5)) console.log(`|   | other: ${seen} | | | | | |`);
    if (t.once !== t.trials) failed = true;
  }
  if (failed) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

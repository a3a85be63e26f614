import { describe, expect, it } from "vitest";
import { parseCommands } from "../../src/domain/commands/parse.js";
import { NO_OPEN_VOTE_MESSAGE, parseChoice, parseVoteArgs } from "../../src/domain/consensus/parse-vote.js";
import { makeSpec } from "./fixtures.js";

const databases = makeSpec({ labels: ["Postgres", "MySQL", "MyISAM tables", "SQLite"] });
const rankedDatabases = { ...databases, method: "ranked" as const };
const yesNo = makeSpec();

function vote(body: string, spec = databases) {
  const [command] = parseCommands(body);
  if (!command || command.name !== "vote") throw new Error("no /vote in test body");
  return parseVoteArgs(command.args, command.block, spec);
}

describe("/vote: accepted forms", () => {
  it.each([
    ["/vote yes", yesNo, ["A"]],
    ["/vote NO", yesNo, ["B"]],
    ["/vote Postgres", databases, ["A"]],
    ["/vote   postgres  ", databases, ["A"]],
    ["/vote post", databases, ["A"]],
    ["/vote sqlite", databases, ["D"]],
    ["/vote B", databases, ["B"]],
    ["/vote c", databases, ["C"]],
    ["/vote 4", databases, ["D"]],
    ["/vote #2", databases, ["B"]],
    ["/vote myisam   TABLES", databases, ["C"]],
    ["/vote abstain", databases, "abstain"],
    ["/vote ABSTAIN", databases, "abstain"],
    ["/vote D > A > B", rankedDatabases, ["D", "A", "B"]],
    ["/vote sqlite>postgres", rankedDatabases, ["D", "A"]],
    ["/vote Postgres", rankedDatabases, ["A"]],
  ] as const)("%s", (body, spec, choice) => {
    expect(vote(body, spec)).toEqual({ ok: true, value: { choice } });
  });

  it("a reason after -- or a dash, or on the next lines, kept to one line", () => {
    expect(vote("/vote Postgres -- battle-tested, and we know it")).toEqual({
      ok: true,
      value: { choice: ["A"], reason: "battle-tested, and we know it" },
    });
    expect(vote("/vote yes — ship it", yesNo)).toEqual({ ok: true, value: { choice: ["A"], reason: "ship it" } });
    expect(vote("/vote no\nToo risky before the freeze.\nLet's wait.", yesNo)).toEqual({
      ok: true,
      value: { choice: ["B"], reason: "Too risky before the freeze. Let's wait." },
    });
  });

  it("a long reason is cut to 300 characters", () => {
    const result = vote(`/vote yes -- ${"because ".repeat(60)}`, yesNo);
    expect(result.ok && result.value.reason?.length).toBe(300);
    expect(result.ok && result.value.reason?.endsWith("…")).toBe(true);
  });

  it("a single letter picks that option, a longer prefix picks by label", () => {
    const spec = makeSpec({ labels: ["Alpha", "Beta"] });
    expect(parseChoice("a", spec)).toEqual({ ok: true, value: ["A"] });
    expect(parseChoice("al", spec)).toEqual({ ok: true, value: ["A"] });
  });
});

describe("/vote: refused with a message a person can act on", () => {
  it.each([
    ["/vote", databases, "missing-choice", "Vote with `/vote Postgres` or `/vote abstain`"],
    ["/vote -- just a reason", databases, "missing-choice", "Options: A “Postgres”"],
    ["/vote Oracle", databases, "unknown-option", "“Oracle” is not an option. Options: A “Postgres”, B “MySQL”"],
    ["/vote Postgress", databases, "unknown-option", "Did you mean A “Postgres”?"],
    ["/vote my", databases, "ambiguous-option", "“my” could be B “MySQL” or C “MyISAM tables”"],
    ["/vote 5", databases, "unknown-option", "is not an option"],
    ["/vote 0", databases, "unknown-option", "is not an option"],
    ["/vote E", databases, "unknown-option", "is not an option"],
    ["/vote maybe", yesNo, "unknown-option", "“maybe” is not an option"],
    ["/vote B > A", databases, "ranked-not-allowed", "This vote uses majority, so a ballot names one option"],
    ["/vote A > A", rankedDatabases, "duplicate-choice", "“Postgres” appears twice"],
    ["/vote A > postgres", rankedDatabases, "duplicate-choice", "appears twice"],
    ["/vote A > > B", rankedDatabases, "missing-choice", "empty place"],
    ["/vote A >", rankedDatabases, "missing-choice", "empty place"],
    ["/vote > A", rankedDatabases, "missing-choice", "empty place"],
    ["/vote A > abstain", rankedDatabases, "abstain-in-ranking", "Abstain on its own"],
    ["/vote A > Oracle", rankedDatabases, "unknown-option", "“Oracle” is not an option"],
    ["/vote", rankedDatabases, "missing-choice", "`/vote A > B > C > D` (best first)"],
  ] as const)("%j", (body, spec, code, message) => {
    const result = vote(body, spec);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(code);
    expect(result.error.message).toContain(message);
  });

  it("a clear answer when there is no open vote", () => {
    expect(NO_OPEN_VOTE_MESSAGE).toMatch(/no open vote.*\/propose/);
  });
});

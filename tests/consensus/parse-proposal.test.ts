import { describe, expect, it } from "vitest";
import { parseCommands } from "../../src/domain/commands/parse.js";
import { parseDuration } from "../../src/domain/consensus/duration.js";
import { parseProposal } from "../../src/domain/consensus/parse-proposal.js";

/** Parses a whole comment the way the handler will: the command parser, then ours. */
function propose(body: string) {
  const [command] = parseCommands(body);
  if (!command || command.name !== "propose") throw new Error("no /propose in test body");
  return parseProposal(command.args, command.block);
}

describe("/propose: accepted forms", () => {
  it("question, settings and options as in the issue", () => {
    const result = propose(
      [
        "/propose Should we adopt Postgres? method=ranked deadline=48h quorum=3 voters=claude,gemini,@alice,@org/team",
        "- Postgres",
        "- MySQL",
        "- SQLite",
      ].join("\n"),
    );
    expect(result).toEqual({
      ok: true,
      value: {
        question: "Should we adopt Postgres?",
        options: ["Postgres", "MySQL", "SQLite"],
        method: "ranked",
        deadline: { kind: "in", ms: 48 * 3_600_000 },
        quorum: 3,
        voters: [
          { kind: "agent", id: "claude" },
          { kind: "agent", id: "gemini" },
          { kind: "person", id: "alice" },
          { kind: "team", org: "org", slug: "team" },
        ],
      },
    });
  });

  it("no options means the default pair (filled in when the spec is built)", () => {
    expect(propose("/propose Ship it on Friday?")).toEqual({
      ok: true,
      value: { question: "Ship it on Friday?", options: [] },
    });
  });

  it("the question may be on its own line(s) when the command line holds only settings", () => {
    const result = propose("/propose method=plurality\nWhich logo do we use\nfor the website?\n* Round\n* Square");
    expect(result).toMatchObject({
      ok: true,
      value: { question: "Which logo do we use for the website?", options: ["Round", "Square"], method: "plurality" },
    });
  });

  it("a quoted question, numbered options, task-list items, aliases and shares", () => {
    const ranked = propose(
      '/propose "Which queue? (a=b is fine)" method=IRV participation=60% rounds=5 deadline=2026-12-01\n1. Kafka\n2) RabbitMQ\n- [ ] SQS',
    );
    expect(ranked).toEqual({
      ok: true,
      value: {
        question: "Which queue? (a=b is fine)",
        options: ["Kafka", "RabbitMQ", "SQS"],
        method: "ranked",
        minParticipation: 0.6,
        maxRounds: 5,
        deadline: { kind: "at", iso: "2026-12-01T00:00:00.000Z" },
      },
    });
  });

  it("voters written with spaces after the commas, mixed case, repeated", () => {
    const result = propose("/propose Go? voters=Claude, @Alice ,claude, gemini");
    expect(result).toMatchObject({
      ok: true,
      value: {
        question: "Go?",
        voters: [
          { kind: "agent", id: "claude" },
          { kind: "person", id: "alice" },
          { kind: "agent", id: "gemini" },
        ],
      },
    });
  });

  it("a word with = that is nowhere near a setting stays in the question", () => {
    expect(propose("/propose Is x=1 a sane default?")).toMatchObject({ ok: true, value: { question: "Is x=1 a sane default?" } });
  });

  it.each([
    ["threshold=75%", 0.75],
    ["threshold=0.8", 0.8],
    ["threshold=3/4", 0.75],
    ["threshold=100%", 1],
  ])("supermajority %s", (setting, threshold) => {
    expect(propose(`/propose Go? method=supermajority ${setting}`)).toMatchObject({ ok: true, value: { threshold } });
  });

  it.each([
    ["2026-12-01T17:30Z", "2026-12-01T17:30:00.000Z"],
    ["2026-12-01T17:30", "2026-12-01T17:30:00.000Z"],
    ["2026-12-01T17:30:00+02:00", "2026-12-01T15:30:00.000Z"],
  ])("deadline=%s is a UTC time", (text, iso) => {
    expect(propose(`/propose Go? deadline=${text}`)).toMatchObject({ ok: true, value: { deadline: { kind: "at", iso } } });
  });
});

describe("/propose: refused with a message a person can act on", () => {
  it.each([
    ["/propose", "missing-question", "What is the question?"],
    ["/propose method=ranked\n- A1\n- B1", "missing-question", "What is the question?"],
    ["/propose Go? method=rankd", "unknown-method", "did you mean “ranked”?"],
    ["/propose Go? method=supermajorty", "unknown-method", "did you mean “supermajority”?"],
    ["/propose Go? method=borda", "unknown-method", "Methods: unanimous, supermajority, majority, plurality, ranked, weighted"],
    ["/propose Go? methd=ranked", "unknown-setting", "did you mean “method”?"],
    ["/propose Go? quorom=2", "unknown-setting", "did you mean “quorum”?"],
    ["/propose Go? method=ranked method=majority", "duplicate-setting", "“method” is given twice"],
    ["/propose Go? method=", "bad-value", "“method=” needs a value"],
    ["/propose Go? quorum=0", "bad-value", "quorum “0” must be a whole number from 1 to 50"],
    ["/propose Go? quorum=two", "bad-value", "whole number"],
    ["/propose Go? quorum=2.5", "bad-value", "whole number"],
    ["/propose Go? rounds=11", "bad-value", "from 1 to 10"],
    ["/propose Go? threshold=50%", "bad-value", "above half"],
    ["/propose Go? threshold=120%", "bad-value", "above half"],
    ["/propose Go? threshold=3/0", "bad-value", "above half"],
    ["/propose Go? participation=150%", "bad-value", "from 0% to 100%"],
    ["/propose Go? participation=most", "bad-value", "from 0% to 100%"],
    ["/propose Go? deadline=tomorrow", "bad-value", "neither a duration"],
    ["/propose Go? deadline=0h", "bad-value", "neither a duration"],
    ["/propose Go? deadline=48", "bad-value", "neither a duration"],
    ["/propose Go? deadline=200d", "bad-value", "at most 90d"],
    ["/propose Go? deadline=2026-02-30", "bad-value", "not a real date"],
    ["/propose Go? voters=", "bad-value", "needs a value"],
    ["/propose Go? voters=,,", "bad-value", "names nobody"],
    ["/propose Go? voters=claude,@al!ce", "bad-voter", "“@al!ce” is not a voter"],
    ["/propose Go? deadline=2026-13-01", "bad-value", "not a real date"],
    ["/propose Go? voters=@-bad", "bad-voter", "“@-bad” is not a voter"],
    ["/propose Go? voters=Bob!", "bad-voter", "write an agent's name (claude), a person (@alice) or a team (@org/team)"],
    ["/propose Go?\n- Only one", "too-few-options", "at least two options"],
    ["/propose Go?\n- Same\n- same", "duplicate-option", "“same” is listed twice"],
    ["/propose Go?\n- A  thing\n- a thing", "duplicate-option", "listed twice"],
    ["/propose Go?\n- A1\n-\n- B1", "bad-option", "Option 2 is empty"],
    ["/propose Go?\n- Abstain\n- Yes", "bad-option", "“abstain” is always available"],
    ["/propose Go?\n- Faster > safer\n- Safer", "bad-option", "contains “>”"],
    ["/propose Go?\n- Fast -- cheap\n- Slow", "bad-option", "dash that starts a ballot's reason"],
    [`/propose Go?\n- ${"x".repeat(101)}\n- B1`, "bad-option", "longer than 100 characters"],
    ["/propose Go?\n- B\n- A", "bad-option", "Option A is labelled “B”, which is also how option B is picked"],
    ["/propose Replicas?\n- 3\n- 5\n- 7", "bad-option", "Option A is labelled “3”"],
    ["/propose Go?\n- Yes\n- No\nAnd some notes", "unexpected-line", "follows the options but is not one"],
    ['/propose "Quoted?" and more words', "unexpected-line", "Text after the quoted question"],
    [`/propose ${"Why? ".repeat(70)}`, "question-too-long", "keep it under 300"],
  ])("%j → %s", (body, code, message) => {
    const result = propose(body);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(code);
    expect(result.error.message).toContain(message);
  });

  it("more than 26 options", () => {
    const body = ["/propose Pick one", ...Array.from({ length: 27 }, (_, i) => `- Option ${i + 1}`)].join("\n");
    expect(propose(body)).toMatchObject({ ok: false, error: { code: "too-many-options" } });
  });

  it("a blank line ends the block: text after it is ignored, not an error", () => {
    expect(propose("/propose Go?\n- Yes please\n- No thanks\n\nSome context for voters.")).toMatchObject({
      ok: true,
      value: { options: ["Yes please", "No thanks"] },
    });
  });

  it("a proposal quoted in a code block is not a command", () => {
    expect(parseCommands("```\n/propose Go?\n```")).toEqual([]);
  });
});

describe("durations", () => {
  it.each([
    ["30m", 30 * 60_000],
    ["48h", 48 * 3_600_000],
    ["2d", 2 * 86_400_000],
    ["1w", 604_800_000],
    ["12H", 12 * 3_600_000],
  ])("%s", (text, ms) => {
    expect(parseDuration(text)).toEqual({ ok: true, value: ms });
  });

  it.each(["", "0m", "-1h", "1.5h", "1y", "h", "48 h", "1d12h", "13w"])("refuses %j", (text) => {
    expect(parseDuration(text)).toMatchObject({ ok: false, error: { code: "bad-duration" } });
  });
});

/**
 * The `commands` job's `if:` (examples/workflows/orkestra.yml), evaluated with GitHub's expression
 * library: it never skips a comment Orkestra would run a command or count a ballot for
 * (`wantsCommands`, the code's own rule), and starts no job for plain chatter or bots.
 */
import examples from "@octokit/webhooks-examples/api.github.com/index.json" with { type: "json" };
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { asksForCommands, wantsCommands } from "../../src/handlers/comments.js";
import { issueCommentEventSchema } from "../../src/handlers/payloads.js";
import { movesReadiness } from "../../src/handlers/review/people.js";
import { jobsFor, readWorkflow } from "./workflow.js";

const WORKFLOW = readWorkflow("examples/workflows/orkestra.yml");

type Example = { name: string; examples: Record<string, unknown>[] };
const RECORDED = (examples as Example[]).find((entry) => entry.name === "issue_comment")!.examples.find((payload) => payload.action === "created")!;

interface Comment {
  body: string;
  action?: "created" | "edited" | "deleted";
  /** The body before an edit. */
  from?: string;
  bot?: boolean;
  /** The issue's comment count (0: not yet a task, so a plain comment there asks nothing). */
  comments?: number;
}

/** A recorded `issue_comment` payload (GitHub's own sample) with this comment. */
function payload({ body, action = "created", from, bot = false, comments = 0 }: Comment): Record<string, unknown> {
  const sample = structuredClone(RECORDED) as Record<string, Record<string, unknown>>;
  const user = { ...(sample.comment!.user as object), type: bot ? "Bot" : "User" };
  return {
    ...sample,
    action,
    issue: { ...sample.issue, comments, pull_request: undefined },
    comment: { ...sample.comment, body, user },
    sender: { ...sample.sender, type: bot ? "Bot" : "User" },
    ...(from === undefined ? {} : { changes: { body: { from } } }),
  };
}

function starts(comment: Comment, event = "issue_comment"): boolean {
  return jobsFor(WORKFLOW, event, payload(comment)).some((job) => job.name === "commands");
}

function wanted(comment: Comment): boolean {
  return wantsCommands(issueCommentEventSchema.parse(payload(comment)));
}

const COMMANDS: Comment[] = [
  { body: "/assign" },
  { body: "/status done" },
  { body: "Thanks! Taking it.\n/assign" },
  { body: "Thanks!\r\n/priority high" },
  { body: "Old Mac line\r/priority high" },
  { body: "Some text\n\n   /status blocked waiting for #3" },
  { body: "- /assign\n- /priority low" },
  { body: "1. /assign" },
  { body: "-\t/assign" },
  { body: "- [ ] /assign" },
  { body: "Footnote[^a]\n\n[^a]:/assign" },
  { body: "```\nnot this\n```\n/priority low" },
  { body: "<details>\n\n/assign\n</details>" },
  { body: "/ASSIGN" },
  // A near miss gets an answer pointing to the command meant.
  { body: "/asign" },
  { body: "/vote yes" },
  { body: "I changed my mind: /vote no", action: "edited", from: "/vote yes" },
  { body: "/vote no", action: "edited", from: "no opinion yet" },
  { body: "/vote yes", action: "deleted" },
];

/** A slash at a line start in code or a quote: no command, but expressions cannot read Markdown, so a job starts and does nothing. */
const LOOKALIKES: Comment[] = [{ body: "```\n/assign\n```" }, { body: "> /assign\n\nquoting someone" }];

const CHATTER: Comment[] = [
  { body: "Looks good to me!" },
  { body: "See https://example.com/docs/a/b for details" },
  { body: "and/or" },
  { body: "`/assign` is the command to use" },
  { body: "/assign", bot: true },
  { body: "/vote yes", bot: true, action: "edited", from: "/vote no" },
  { body: "fixed a typo", action: "edited", from: "fixd a typo" },
  { body: "/assign", action: "edited", from: "/status done" },
  { body: "bye", action: "deleted" },
];

describe("the commands job's `if:` on comments", () => {
  it.each(COMMANDS)("starts a job for a comment Orkestra acts on: %j", (comment) => {
    expect(wanted(comment)).toBe(true);
    expect(starts(comment)).toBe(true);
  });

  it.each(CHATTER)("starts no job for chatter, bots and edits without a ballot: %j", (comment) => {
    expect(starts(comment)).toBe(false);
  });

  it("the code wants none of that chatter either", () => {
    expect(CHATTER.filter((comment) => wanted(comment))).toEqual([]);
  });

  it.each(LOOKALIKES)("starts a job that does nothing for a slash line in code or a quote: %j", (comment) => {
    expect(wanted(comment)).toBe(false);
    expect(starts(comment)).toBe(true);
  });

  it("never skips a comment with commands: generated comments from Markdown pieces", () => {
    const piece = fc.constantFrom("/assign", "/vote yes", "/status done", "/asign", "text", " ", "\t", "\n", "\r\n", "\r", "- ", "1. ", "> ", "```", "`", "[^a]:", "]:", "<!-- ", " -->", "*", "https://x.test/a", "    ");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), fc.constantFrom<Comment["action"]>("created", "edited", "deleted"), (pieces, action) => {
        const comment: Comment = { body: pieces.join(""), action, ...(action === "edited" ? { from: "" } : {}) };
        if (wanted(comment)) expect(starts(comment)).toBe(true);
      }),
      { numRuns: 1_500 },
    );
  });

  it("a person's plain comment on a task starts no job: the code would bring the task in line, the next event or sweep does it instead", () => {
    const plain: Comment = { body: "Any news on this?", comments: 2 };
    // What the filter gives up, deliberately (docs/workflows.md): a comment without commands.
    expect(wanted(plain)).toBe(true);
    expect(asksForCommands(issueCommentEventSchema.parse(payload(plain)))).toBe(false);
    expect(starts(plain)).toBe(false);
  });

  it("review comments with a command start the same job; others none", () => {
    expect(starts({ body: "/priority high" }, "pull_request_review_comment")).toBe(true);
    expect(starts({ body: "nit: rename this" }, "pull_request_review_comment")).toBe(false);
  });

  it("no other job starts for a comment", () => {
    const jobs = jobsFor(WORKFLOW, "issue_comment", payload({ body: "/assign" })).map((job) => job.name);
    expect(jobs).toEqual(["commands"]);
  });
});

describe("the feedback job's `if:` on reviews", () => {
  const cases = ["submitted", "dismissed", "edited"].flatMap((action) =>
    ["approved", "changes_requested", "commented", "dismissed"].flatMap((state) => ["User", "Bot"].map((type) => ({ action, state, type }))),
  );

  it.each(cases)("starts a job exactly when a person's review moves merge readiness: %j", ({ action, state, type }) => {
    const review = { state, user: { login: type === "Bot" ? "ci[bot]" : "alice", type } };
    const started = jobsFor(WORKFLOW, "pull_request_review", { action, review, sender: review.user }).some((job) => job.name === "feedback");
    // `edited` is not in `on:`: GitHub starts no run for it.
    expect(started).toBe(action !== "edited" && type !== "Bot" && movesReadiness({ action, review } as never));
  });
});

/**
 * Commands are taken only from what GitHub shows as plain paragraph text at the start of a
 * line (issue 12). Each case here fooled the old line scanner, which skipped only fences
 * that started a line, lines starting with `>` and HTML comments.
 */
import { describe, expect, it } from "vitest";
import { parseCommands } from "../../src/domain/commands/parse.js";

const names = (body: string) => parseCommands(body).map(({ name, line }) => `${name}@${line}`);

describe("parseCommands reads the comment as GitHub renders it", () => {
  it("ignores a command in a code fence that opens inside a list item", () => {
    expect(names("- ```\n  /status done\n  ```\n/help")).toEqual(["help@3"]);
    expect(names("1. Steps:\n   ```sh\n   /approve\n   ```")).toEqual([]);
  });

  it("ignores a lazy continuation line of a block quote", () => {
    expect(names("> Someone wrote\n/approve\n> and more\n\n/help")).toEqual(["help@4"]);
    expect(names("> - a list in a quote\n/status done")).toEqual([]);
  });

  it("ignores commands in a <pre> block and other HTML blocks", () => {
    expect(names("<pre>\n/status done\n\n/approve\n</pre>\n\n/help")).toEqual(["help@6"]);
    expect(names("<details>\n/status done\n</details>")).toEqual([]);
  });

  it("ignores a command inside an inline code span that runs over several lines", () => {
    expect(names("Type `\n/status done\n` to finish")).toEqual([]);
    expect(names("``a\n/approve``\n/help")).toEqual(["help@2"]);
  });

  it("splits lines at a lone carriage return as GitHub does", () => {
    // The old scanner saw one line here and then took `/status done` from the fence below it.
    expect(names("Note\r```\n/status done\n```")).toEqual([]);
    expect(names("Thanks\r/status done\r\n/help")).toEqual(["status@1", "help@2"]);
  });

  it("handles HTML comments as CommonMark ends them", () => {
    expect(names("<!-- /status done -->\n<!--\n/approve\n-->\n/help")).toEqual(["help@4"]);
    // `<!--->` is a whole (empty) comment; the old scanner hid the rest of the comment.
    expect(names("<!--->\n/status done")).toEqual(["status@1"]);
    // An HTML comment opener inside code is code, not a comment.
    expect(names("`<!--`\n/status done\n`-->`")).toEqual(["status@1"]);
  });

  it("ignores indented code, also inside list items", () => {
    expect(names("    /status done\n\t/approve")).toEqual([]);
    expect(names("- item\n\n      /status done\n\n/help")).toEqual(["help@4"]);
  });

  it("ignores headings and tables", () => {
    expect(names("/status done\n---\n# /approve\n| /help |\n|---|")).toEqual([]);
  });

  it("takes a command written after other text of a paragraph or in a list item's text", () => {
    expect(names("Looks good.\n/approve\n\n- /status done\n- item\n  /help")).toEqual(["approve@1", "status@3", "help@5"]);
  });

  it("keeps the source lines after a command as its block, up to hidden material", () => {
    const [propose] = parseCommands("/propose Which DB?\n- Postgres\n- SQLite\n```\n- MySQL\n```");
    expect(propose).toEqual({ name: "propose", args: "Which DB?", block: ["- Postgres", "- SQLite"], line: 0 });
  });
});

import { describe, expect, it } from "vitest";
import { MAX_COMMANDS_PER_COMMENT, parseCommands } from "../../src/domain/commands/parse.js";

describe("parseCommands", () => {
  it("finds line-anchored commands with their arguments", () => {
    const commands = parseCommands("Thanks!\n/status in-progress\n  /priority HIGH  \nnot /status done");
    expect(commands.map(({ name, args }) => [name, args])).toEqual([
      ["status", "in-progress"],
      ["priority", "HIGH"],
    ]);
  });

  it("ignores commands in code fences, block quotes and HTML comments", () => {
    const body = [
      "```",
      "/status done",
      "```",
      "~~~~",
      "/status done",
      "~~~~",
      "> /status done",
      "<!-- /status done -->",
      "<!--",
      "/priority low",
      "-->",
      "    /status review is indented code",
      "/help",
    ].join("\n");
    expect(parseCommands(body).map((command) => command.name)).toEqual(["help"]);
  });

  it("an unclosed fence hides the rest of the comment", () => {
    expect(parseCommands("```\n/status done")).toEqual([]);
  });

  it("collects the lines after a command as its block until a blank line", () => {
    const [propose] = parseCommands("/propose Which DB?\n- Postgres\n- SQLite\n\nunrelated");
    expect(propose?.block).toEqual(["- Postgres", "- SQLite"]);
  });

  it("does not mistake paths for commands", () => {
    expect(parseCommands("/usr/bin/env node\n/etc/hosts")).toEqual([]);
  });

  it("takes at most a bounded number of commands from one comment", () => {
    const body = Array.from({ length: 50 }, () => "/help").join("\n");
    expect(parseCommands(body)).toHaveLength(MAX_COMMANDS_PER_COMMENT);
  });

  it("keeps markdown in the arguments as written and reads every line ending", () => {
    const commands = parseCommands("/status `done` *now*\r\n/propose X\r- a\r- b\r\rtext");
    expect(commands).toEqual([
      { name: "status", args: "`done` *now*", block: [], line: 0 },
      { name: "propose", args: "X", block: ["- a", "- b"], line: 1 },
    ]);
  });

  it("needs the name written out in plain text, followed by a space or the end of the line", () => {
    expect(parseCommands("/status`done`\n/sta*tus* x\n\\/help\n[/approve](https://x.test)")).toEqual([]);
    expect(parseCommands("/help  \n/approve\\\nlast").map((command) => command.name)).toEqual(["help", "approve"]);
  });
});

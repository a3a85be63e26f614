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
});

/**
 * The tools an agent works with in API mode, over a `Workspace`. The loop re-sends the whole
 * conversation every turn, so every answer is small: counts instead of echoes, bounded listings,
 * line ranges instead of whole files.
 */
import { z } from "zod";
import { defineTool, ToolError, type AgentTool } from "../../agents/index.js";
import { pathFilter, type Workspace } from "./workspace.js";

/** Paths `list_files` returns at most by default, and at most when asked. */
const LIST_DEFAULT = 200;
const LIST_MAX = 1000;
/** Lines `read_file` returns at most per call, and characters. */
const READ_LINES_MAX = 400;
const READ_CHARS_MAX = 30_000;
/** A matching line is shown up to this many characters. */
const MATCH_LINE_CHARS = 200;
const SEARCH_MATCHES_MAX = 100;

const path = z.string().min(1).max(1024).describe("Repository-relative path, e.g. `src/app.ts`.");

/** The `finish` tool's fields besides `summary` (which the loop adds). */
export const finishSchema = z.object({
  notes: z.string().max(4000).optional().describe("Anything reviewers should know: follow-ups, doubts, what was not done."),
});

/** The six workspace tools; `finish` is the loop's own. */
export function workspaceTools(workspace: Workspace): AgentTool[] {
  return [
    defineTool({
      name: "list_files",
      readOnly: true,
      description: "List files of the repository (with your edits), by directory prefix or glob. Sorted; capped.",
      input: z.object({
        within: z.string().max(512).optional().describe("A directory (`src/`) or a glob (`src/**/*.ts`); the whole repository when absent."),
        limit: z.number().int().min(1).max(LIST_MAX).default(LIST_DEFAULT),
      }),
      handler({ within, limit }) {
        const paths = workspace.files().filter(pathFilter(within));
        if (paths.length === 0) return Promise.resolve("no files");
        const shown = paths.slice(0, limit);
        const more = paths.length - shown.length;
        const truncated = workspace.truncated ? "\n(GitHub's tree listing was cut short: some files are missing)" : "";
        return Promise.resolve(`${shown.join("\n")}${more > 0 ? `\n… ${more} more; narrow \`within\` or raise \`limit\`` : ""}${truncated}`);
      },
    }),
    defineTool({
      name: "read_file",
      readOnly: true,
      description: `Read a text file with line numbers (\`N|\`, not part of the file). At most ${READ_LINES_MAX} lines per call: use start_line/end_line for more.`,
      input: z.object({
        path,
        start_line: z.number().int().min(1).default(1),
        end_line: z.number().int().min(1).optional().describe("Last line to show (inclusive)."),
      }),
      async handler({ path: file, start_line: start, end_line: end }) {
        const lines = (await workspace.read(file)).split("\n");
        if (start > lines.length) throw new ToolError(`${file} has ${lines.length} lines; start_line ${start} is past the end`);
        const last = Math.min(end ?? lines.length, lines.length, start + READ_LINES_MAX - 1);
        if (last < start) throw new ToolError("end_line is before start_line");
        const out: string[] = [];
        let chars = 0;
        let shownTo = start - 1;
        for (let n = start; n <= last; n++) {
          const line = `${n}|${lines[n - 1]}`;
          chars += line.length + 1;
          if (chars > READ_CHARS_MAX && out.length > 0) break;
          out.push(line.length > READ_CHARS_MAX ? `${line.slice(0, READ_CHARS_MAX)}…` : line);
          shownTo = n;
        }
        const rest = shownTo < lines.length ? `\n(lines ${shownTo + 1}-${lines.length} not shown)` : "";
        return `${out.join("\n")}${rest}`;
      },
    }),
    defineTool({
      name: "search",
      readOnly: true,
      description: "Find lines containing a text (or matching a regular expression) in text files. Returns `path:line: text`, capped.",
      input: z.object({
        pattern: z.string().min(1).max(500),
        regex: z.boolean().default(false).describe("Treat `pattern` as a regular expression (RE2 syntax: no backreferences or lookarounds)."),
        within: z.string().max(512).optional().describe("A directory or a glob to search in."),
        max_matches: z.number().int().min(1).max(SEARCH_MATCHES_MAX).default(30),
      }),
      async handler({ pattern, regex, within, max_matches: maxMatches }) {
        const found = await workspace.search(pattern, { regex, ...(within === undefined ? {} : { within }), bounds: { maxMatches } });
        const lines = found.matches.map((m) => `${m.path}:${m.line}: ${clip(m.text.trim(), MATCH_LINE_CHARS)}`);
        if (lines.length === 0) lines.push("no matches");
        if (found.stoppedBy) {
          const why = found.stoppedBy === "matches" ? `${maxMatches} matches` : `the ${found.stoppedBy} scanned limit`;
          lines.push(`(stopped at ${why}; ${found.notScanned} file(s) not searched: narrow \`within\`)`);
        }
        return lines.join("\n");
      },
    }),
    defineTool({
      name: "edit_file",
      description: "Replace one exact occurrence of `search` with `replace` in a file. `search` must occur exactly once: include enough surrounding lines.",
      input: z.object({ path, search: z.string().min(1), replace: z.string() }),
      async handler({ path: file, search, replace }) {
        await workspace.edit(file, search, replace);
        return `edited ${file}`;
      },
    }),
    defineTool({
      name: "write_file",
      description: "Create a file, or replace a whole file with new content.",
      input: z.object({ path, content: z.string() }),
      handler({ path: file, content }) {
        const existed = workspace.exists(file);
        workspace.write(file, content);
        return Promise.resolve(`${existed ? "replaced" : "created"} ${file} (${content.split("\n").length} lines)`);
      },
    }),
    defineTool({
      name: "delete_file",
      description: "Delete a file.",
      input: z.object({ path }),
      handler({ path: file }) {
        workspace.delete(file);
        return Promise.resolve(`deleted ${file}`);
      },
    }),
  ];
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

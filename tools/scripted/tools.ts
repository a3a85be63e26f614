/**
 * The offline scripted tool-calling client (API mode), for `CreateAgentsOptions.scriptedTools`.
 * No network, deterministic: the same request always gets the same calls. By default it makes a
 * small, real change driven only by the tools it is offered (by name and JSON schema) and their
 * answers: it lists the files, reads the most relevant one, appends a line mentioning the task
 * with the edit or write tool, then calls `finish`. Everything it writes says "[scripted]".
 */
import type { CreateAgentsOptions } from "../../src/agents/index.js";
import { ProviderFailure } from "../../src/agents/failure.js";
import type { ToolCall, ToolChatRequest, ToolChatResponse, ToolResult, ToolSpec, ToolTurn } from "../../src/agents/provider.js";
import { estimateTokens } from "../../src/domain/tokens.js";
import { SCRIPTED_LABEL } from "./provider.js";

type ScriptedToolsProvider = NonNullable<CreateAgentsOptions["scriptedTools"]>;

/** One scripted call: the tool's name and its input. */
interface ScriptedCall {
  name: string;
  input: unknown;
}

interface ScriptedToolsOptions {
  /**
   * Scripts for some agents: turn N (1-based) makes the calls of entry N-1. Past the end of its
   * script an agent answers with text only (the loop nudges it, then ends as `no-finish`).
   */
  byAgent?: Readonly<Record<string, ReadonlyArray<readonly ScriptedCall[]>>>;
  /** Every agent fails this turn (1-based) with a non-retryable provider error. */
  failAtTurn?: number;
  /** The default behaviour never calls `finish`: once done it keeps listing files (to test limits). */
  neverFinish?: boolean;
}

const FINISH = "finish";
type Json = Record<string, unknown>;

/** The scripted tool-calling client, for `CreateAgentsOptions.scriptedTools`. */
export function scriptedToolsProvider({ byAgent = {}, failAtTurn, neverFinish = false }: ScriptedToolsOptions = {}): ScriptedToolsProvider {
  return ({ name }) => ({
    send: async (request: ToolChatRequest): Promise<ToolChatResponse> => {
      const turn = request.conversation.filter((t) => t.role === "assistant").length + 1;
      if (turn === failAtTurn) throw new ProviderFailure("provider-error", `${SCRIPTED_LABEL} simulated failure at turn ${turn}`, false);
      const script = byAgent[name];
      const planned = script ? (script[turn - 1] ?? null) : defaultTurn(name, request, neverFinish);
      const toolCalls: ToolCall[] = (planned ?? []).map((call, i) => ({ id: `scripted-${turn}-${i + 1}`, name: call.name, input: call.input }));
      const text = toolCalls.length > 0 ? "" : `${SCRIPTED_LABEL} ${name} has nothing more to do.`;
      return {
        text,
        toolCalls,
        stop: toolCalls.length > 0 ? "tool-use" : "end",
        refusal: null,
        usage: { inputTokens: estimateTokens(requestText(request)), outputTokens: estimateTokens(text + JSON.stringify(planned ?? [])), estimated: true },
        model: "scripted",
      };
    },
  });
}

function requestText(request: ToolChatRequest): string {
  const parts = [request.system, JSON.stringify(request.tools)];
  for (const turn of request.conversation) {
    if (turn.role === "user") parts.push(turn.text);
    else if (turn.role === "assistant") parts.push(turn.text, JSON.stringify(turn.toolCalls.map((c) => [c.name, c.input])));
    else parts.push(...turn.results.map((r) => r.content));
  }
  return parts.join("\n");
}

// ---- The default behaviour: list, read, edit, finish. ----

/** The tools the default behaviour uses, found by name and input schema. */
interface Roles {
  list?: ToolSpec;
  read?: ToolSpec;
  /** A tool that replaces text (has an old-text field) or writes a whole file (has a content field). */
  edit?: ToolSpec;
  finish?: ToolSpec;
}

const OLD_FIELD = /^(old|old_?(text|string|str)|search|find|from|original|target)$/i;
const CONTENT_FIELD = /^(new|new_?(text|string|str|content)|replace|replacement|to|content|contents|text|body|data)$/i;
const PATH_FIELD = /(path|file|filename)$/i;
const DIR_FIELD = /^(dir|directory|folder|prefix|root|under)$/i;

function findRoles(tools: ToolSpec[]): Roles {
  const others = tools.filter((t) => t.name !== FINISH);
  const fields = (t: ToolSpec) => Object.keys(properties(t.parameters));
  const editable = others.filter((t) => /edit|replace|patch|write|update|create|save|put/i.test(t.name) && !/read|list/i.test(t.name));
  return {
    list: others.find((t) => /^(list|ls)|list_?files|glob|tree/i.test(t.name)),
    read: others.find((t) => /read|cat|view|get_?file|open/i.test(t.name) && !/list/i.test(t.name)),
    edit: editable.find((t) => fields(t).some((f) => OLD_FIELD.test(f))) ?? editable.find((t) => fields(t).some((f) => CONTENT_FIELD.test(f))),
    finish: tools.find((t) => t.name === FINISH),
  };
}

function properties(schema: Json): Record<string, Json> {
  return (schema.properties ?? {}) as Record<string, Json>;
}

/** The agent's earlier calls of one tool and their results, latest last. */
function history(conversation: ToolTurn[], tool: ToolSpec | undefined): Array<{ call: ToolCall; result: ToolResult | undefined }> {
  if (!tool) return [];
  const results = new Map<string, ToolResult>();
  for (const turn of conversation) if (turn.role === "tool-results") for (const r of turn.results) results.set(r.callId, r);
  return conversation.flatMap((turn) => (turn.role === "assistant" ? turn.toolCalls.filter((c) => c.name === tool.name).map((call) => ({ call, result: results.get(call.id) })) : []));
}

/** A tool result's content without its data-block wrapping and any "[cut: ...]" note. */
function unwrap(content: string): string {
  const block = /^<data-[0-9a-zA-Z]+ label="[^"]*">\n([\s\S]*)\n<\/data-[0-9a-zA-Z]+>$/.exec(content);
  return (block ? block[1]! : content).replace(/\n\[cut: \d+ more characters not shown[^\]]*\]$/, "");
}

/** The task's title and data (not the trusted instructions), from the first user turn. */
function taskOf(conversation: ToolTurn[]): { title: string; subject: string; words: Set<string> } {
  const first = conversation.find((t) => t.role === "user");
  const text = first?.role === "user" ? first.text : "";
  const title = /^Task: (.*)$/m.exec(text)?.[1]?.trim() ?? "";
  const data = [...text.matchAll(/<data-[0-9a-zA-Z]+ label="[^"]*">\n([\s\S]*?)\n<\/data-[0-9a-zA-Z]+>/g)].map((m) => m[1]!);
  const subject = (data[0] ?? "").split("\n").find((line) => line.trim() !== "")?.trim().slice(0, 80) ?? "";
  const words = new Set([title, ...data].join(" ").toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length >= 3));
  return { title, subject, words };
}

/** A read tool that numbers lines (`12|text`, Orkestra's `read_file`) gives the text back without them. */
function withoutLineNumbers(text: string): string {
  const lines = text.replace(/\n\(lines \d+-\d+ not shown\)$/, "").split("\n");
  return lines.every((line) => /^\d+\|/.test(line)) ? lines.map((line) => line.replace(/^\d+\|/, "")).join("\n") : text;
}

function parseFiles(listing: string): string[] {
  const text = listing.trim();
  if (text.startsWith("[")) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed)) return parsed.filter((p): p is string => typeof p === "string");
    } catch {
      // Not JSON after all: read it as lines.
    }
  }
  return text.split("\n").map((line) => line.replace(/^[-*]\s+/, "").trim()).filter((line) => line !== "" && !line.endsWith("/"));
}

const BINARY = /\.(png|jpe?g|gif|ico|webp|pdf|zip|gz|tgz|tar|woff2?|ttf|eot|mp[34]|wasm|exe|bin|lock)$/i;

/** The file whose path shares the most words with the task, else a README, else the first text file. */
function pickFile(files: string[], words: Set<string>): string | undefined {
  const text = files.filter((f) => !BINARY.test(f));
  let best: string | undefined;
  let bestScore = 0;
  for (const file of text) {
    const score = file.toLowerCase().split(/[^a-z0-9]+/).filter((part) => words.has(part)).length;
    if (score > bestScore) [best, bestScore] = [file, score];
  }
  return best ?? text.find((f) => /(^|\/)readme(\.|$)/i.test(f)) ?? text[0];
}

/** The line appended to a file, as a comment where the file type has one. */
function noteFor(file: string, agent: string, task: { title: string; subject: string }): string {
  const about = task.subject ? `${task.title}: ${task.subject}` : task.title || "the task";
  const note = `${SCRIPTED_LABEL} ${agent} worked on ${about}`;
  if (/\.(ts|tsx|js|jsx|mjs|cjs|java|c|cc|cpp|h|go|rs|swift|kt|cs)$/i.test(file)) return `// ${note}`;
  if (/\.(py|rb|sh|ya?ml|toml|r|pl)$/i.test(file) || /(^|\/)(Dockerfile|Makefile)$/.test(file)) return `# ${note}`;
  if (/\.(html?|xml|svg)$/i.test(file)) return `<!-- ${note} -->`;
  if (/\.(css|scss)$/i.test(file)) return `/* ${note} */`;
  return note;
}

/** The edit tool's input: the last line replaced by itself plus the note, or the whole file rewritten. */
function editInput(tool: ToolSpec, file: string, content: string, note: string, agent: string): Json {
  const props = properties(tool.parameters);
  const oldField = Object.keys(props).find((f) => OLD_FIELD.test(f));
  const body = content.endsWith("\n") || content === "" ? content : `${content}\n`;
  const lines = content.split("\n").filter((l) => l.trim() !== "");
  const last = lines.at(-1);
  const anchor = last !== undefined && content.split(last).length === 2 ? last : content;
  const known: Record<string, unknown> = {};
  for (const field of Object.keys(props)) {
    if (field === oldField) known[field] = anchor;
    else if (CONTENT_FIELD.test(field)) known[field] = oldField && anchor === last ? `${last}\n${note}` : `${body}${note}\n`;
    else if (PATH_FIELD.test(field)) known[field] = file;
  }
  return fillObject(tool.parameters, known, agent, [file]);
}

/** What the default behaviour does next, from what it already did and saw. */
function defaultTurn(agent: string, request: ToolChatRequest, neverFinish: boolean): ScriptedCall[] {
  const roles = findRoles(request.tools);
  const { conversation } = request;
  const task = taskOf(conversation);
  const listed = history(conversation, roles.list).at(-1);
  const read = history(conversation, roles.read).at(-1);
  const edited = history(conversation, roles.edit).at(-1);
  const ok = (r: ToolResult | undefined) => r !== undefined && !r.isError;

  if (roles.list && !listed) return [{ name: roles.list.name, input: fillObject(roles.list.parameters, {}, agent, []) }];
  const files = listed && ok(listed.result) ? parseFiles(unwrap(listed.result!.content)) : [];
  const file = pickFile(files, task.words);
  if (roles.read && file && !read) return [{ name: roles.read.name, input: fillObject(roles.read.parameters, pathFields(roles.read, file), agent, [file]) }];
  const content = read && ok(read.result) ? withoutLineNumbers(unwrap(read.result!.content)) : undefined;
  if (roles.edit && file && content !== undefined && !edited) {
    return [{ name: roles.edit.name, input: editInput(roles.edit, file, content, noteFor(file, agent, task), agent) }];
  }
  if (neverFinish || !roles.finish) {
    const again = roles.list ?? request.tools.find((t) => t.name !== FINISH);
    return again ? [{ name: again.name, input: fillObject(again.parameters, {}, agent, []) }] : [];
  }
  const changed = edited && ok(edited.result) && file ? [file] : [];
  // Only reading tools: a task whose answer is the result itself (research, content).
  const answer = !roles.edit && file && content !== undefined ? readingAnswer(agent, task.subject || task.title, file, content) : null;
  const summary = answer ?? (changed.length > 0
    ? `${SCRIPTED_LABEL} ${agent} appended a line about "${task.title}" to ${file}.`
    : `${SCRIPTED_LABEL} ${agent} made no change: ${edited ? "the edit failed" : "no file could be read and edited with the tools given"}.`);
  return [{ name: FINISH, input: fillObject(roles.finish.parameters, { summary }, agent, changed) }];
}

/** A short, deterministic answer drawn from the file it read. */
function readingAnswer(agent: string, title: string, file: string, content: string): string {
  const lines = content.split("\n").filter((line) => line.trim() !== "");
  const first = lines[0]?.trim().slice(0, 120) ?? "(empty)";
  return [
    `${SCRIPTED_LABEL} ${agent}'s answer to "${title}"`,
    "",
    `- Read \`${file}\` (${lines.length} non-empty line${lines.length === 1 ? "" : "s"}); it starts with: ${first}`,
    "- A real agent would put its research or draft here.",
  ].join("\n");
}

function pathFields(tool: ToolSpec, file: string): Json {
  return Object.fromEntries(Object.keys(properties(tool.parameters)).filter((f) => PATH_FIELD.test(f)).map((f) => [f, file]));
}

/** An object for a JSON schema: the known fields, plus every other required field filled sensibly. */
function fillObject(schema: Json, known: Json, agent: string, files: string[]): Json {
  const props = properties(schema);
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  const out: Json = { ...known };
  for (const field of required) if (!(field in out)) out[field] = fillValue(props[field] ?? {}, field, agent, files);
  return out;
}

function fillValue(schema: Json, field: string, agent: string, files: string[]): unknown {
  if ("const" in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  const options = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  if (Array.isArray(options) && options.length > 0) return fillValue(options.find((o) => o.type !== "null") ?? options[0]!, field, agent, files);
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
  switch (types.find((t) => t !== "null") ?? types[0]) {
    case "object":
      return fillObject(schema, {}, agent, files);
    case "array": {
      const items = (schema.items ?? {}) as Json;
      if (items.type === "string" && /file|path/i.test(field)) return [...files];
      const min = typeof schema.minItems === "number" ? schema.minItems : 0;
      return Array.from({ length: min }, () => fillValue(items, field, agent, files));
    }
    case "integer":
    case "number":
      return typeof schema.minimum === "number" ? schema.minimum : 0;
    case "boolean":
      return false;
    case "null":
      return null;
    default: {
      if (DIR_FIELD.test(field)) return typeof schema.minLength === "number" && schema.minLength > 0 ? "." : "";
      if (PATH_FIELD.test(field) && files[0]) return files[0];
      const text = `${SCRIPTED_LABEL} ${agent}: ${field}`;
      const min = typeof schema.minLength === "number" ? schema.minLength : 0;
      return text.padEnd(min, ".").slice(0, typeof schema.maxLength === "number" ? schema.maxLength : undefined);
    }
  }
}

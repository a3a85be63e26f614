/**
 * The offline `scripted` provider: no network, deterministic, and honest — every free-text field
 * it invents says "[scripted]". It answers through the same pipeline as real providers (budget,
 * timeout, retries, validation, repair), so scenarios can use it to simulate an agent that is
 * slow, down, or returns invalid output.
 *
 * Answers come from, in order: a responder passed in code for the agent, one a test registered
 * for the call's task, the default for that task (how agents review and vote), or a generic one
 * that builds a value from the schema, choosing enums, numbers and booleans from a hash of the
 * agent, task and data.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import type { ScriptedBehaviour } from "../../src/config/agents.js";
import { estimateTokens } from "../../src/domain/tokens.js";
import { ProviderFailure } from "../../src/agents/failure.js";
import type { ProviderClient, ProviderRequest, ProviderResponse } from "../../src/agents/provider.js";
import type { AgentCall } from "../../src/agents/types.js";

export const SCRIPTED_LABEL = "[scripted]";

export interface ScriptedContext {
  agent: string;
  /** A number in [0, 1) derived from agent, task and data: the same call always gets the same one. */
  seed: number;
}

export type ScriptedResponder = (call: AgentCall<unknown>, ctx: ScriptedContext) => unknown;

const registry = new Map<string, ScriptedResponder>();

/**
 * Registers a test's scripted answer for a task (e.g. "vote"). Returns a function that removes
 * it and puts back the one it replaced.
 */
export function registerScriptedResponder(task: string, responder: ScriptedResponder): () => void {
  const previous = registry.get(task);
  registry.set(task, responder);
  return () => {
    if (registry.get(task) !== responder) return;
    if (previous) registry.set(task, previous);
    else registry.delete(task);
  };
}

interface ScriptedOptions {
  agentName: string;
  behaviour: ScriptedBehaviour;
  responder?: ScriptedResponder | undefined;
  /** Answers by task when no test registered one. */
  defaults?: Readonly<Record<string, ScriptedResponder>>;
}

export function createScriptedClient(opts: ScriptedOptions): ProviderClient {
  let attempts = 0;
  let answers = 0;
  return {
    nativeSchema: false,
    async complete(req: ProviderRequest): Promise<ProviderResponse> {
      attempts += 1;
      await sleep(opts.behaviour.delayMs, req.signal);
      if (attempts <= opts.behaviour.failures) {
        throw new ProviderFailure("provider-error", `${SCRIPTED_LABEL} simulated outage (503)`, true);
      }
      const inputTokens = estimateTokens(req.system + req.messages.map((m) => m.content).join("\n"));
      const answer = (text: string, refusal: string | null = null): ProviderResponse => ({
        text,
        refusal,
        truncated: false,
        inputTokens,
        outputTokens: estimateTokens(text),
        estimated: true,
        model: "scripted",
      });
      if (opts.behaviour.refuse) return answer("", `${SCRIPTED_LABEL} simulated refusal`);
      answers += 1;
      if (answers <= opts.behaviour.invalidOutputs) return answer(`${SCRIPTED_LABEL} this is deliberately not JSON`);
      const ctx = { agent: opts.agentName, seed: seedOf(opts.agentName, req.call) };
      const responder = opts.responder ?? registry.get(req.call.task) ?? opts.defaults?.[req.call.task] ?? genericResponder(req.schema);
      return answer(JSON.stringify(responder(req.call, ctx)));
    },
  };
}

function seedOf(agent: string, call: AgentCall<unknown>): number {
  const digest = createHash("sha256").update(JSON.stringify([agent, call.task, call.data])).digest();
  return digest.readUInt32BE(0) / 2 ** 32;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(new ProviderFailure("timeout", `${SCRIPTED_LABEL} aborted`, true));
    }, { once: true });
  });
}

type JsonSchema = Record<string, unknown>;

/** Builds a value for any schema from its JSON Schema; choices follow the call's seed. */
function genericResponder(schema: z.ZodType<unknown>): ScriptedResponder {
  const json = z.toJSONSchema(schema) as JsonSchema;
  return (_call, ctx) => {
    let state = Math.floor(ctx.seed * 2 ** 32) || 1;
    const next = () => {
      // xorshift32: cheap, deterministic, good enough to vary choices.
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return (state >>> 0) / 2 ** 32;
    };
    return sample(json, json, "answer", ctx.agent, next);
  };
}

function sample(schema: JsonSchema, root: JsonSchema, key: string, agent: string, rand: () => number): unknown {
  if (typeof schema.$ref === "string") {
    const target = resolveRef(root, schema.$ref);
    return target ? sample(target, root, key, agent, rand) : null;
  }
  if ("const" in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[Math.floor(rand() * schema.enum.length)];
  const options = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(options) && options.length > 0) {
    const nonNull = options.filter((o) => o.type !== "null");
    const pool = nonNull.length > 0 ? nonNull : options;
    return sample(pool[Math.floor(rand() * pool.length)]!, root, key, agent, rand);
  }
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
  const type = types.find((t) => t !== "null") ?? types[0];
  switch (type) {
    case "object": {
      const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
      return Object.fromEntries(Object.entries(properties).map(([name, sub]) => [name, sample(sub, root, name, agent, rand)]));
    }
    case "array": {
      const min = typeof schema.minItems === "number" ? schema.minItems : 1;
      const max = typeof schema.maxItems === "number" ? schema.maxItems : Math.max(min, 1);
      const items = (schema.items ?? {}) as JsonSchema;
      return Array.from({ length: Math.min(Math.max(min, 1), max) }, () => sample(items, root, key, agent, rand));
    }
    case "integer":
    case "number":
      return sampleNumber(schema, type === "integer", rand);
    case "boolean":
      return rand() < 0.5;
    case "null":
      return null;
    default:
      return sampleString(schema, key, agent);
  }
}

function sampleNumber(schema: JsonSchema, integer: boolean, rand: () => number): number {
  const num = (k: string) => (typeof schema[k] === "number" ? schema[k] : undefined);
  const min = num("minimum") ?? (num("exclusiveMinimum") !== undefined ? num("exclusiveMinimum")! + (integer ? 1 : 0.001) : 0);
  const max = num("maximum") ?? (num("exclusiveMaximum") !== undefined ? num("exclusiveMaximum")! - (integer ? 1 : 0.001) : min + 10);
  const value = min + rand() * (max - min);
  return integer ? Math.min(max, Math.max(min, Math.round(value))) : Number(value.toFixed(3));
}

function sampleString(schema: JsonSchema, key: string, agent: string): string {
  switch (schema.format) {
    case "date-time":
      return "2026-01-01T00:00:00.000Z";
    case "date":
      return "2026-01-01";
    case "email":
      return "scripted@example.com";
    case "uri":
    case "url":
      return "https://example.com/scripted";
    default: {
      let text = `${SCRIPTED_LABEL} ${agent}: ${key}`;
      const min = typeof schema.minLength === "number" ? schema.minLength : 0;
      const max = typeof schema.maxLength === "number" ? schema.maxLength : Infinity;
      if (text.length < min) text = text.padEnd(min, ".");
      return text.slice(0, max);
    }
  }
}

function resolveRef(root: JsonSchema, ref: string): JsonSchema | undefined {
  if (!ref.startsWith("#/")) return undefined;
  let node: unknown = root;
  for (const part of ref.slice(2).split("/")) node = (node as Record<string, unknown> | undefined)?.[part];
  return node as JsonSchema | undefined;
}

/**
 * Offline agents for the demo, scenario tests and benches: the `scripted` provider with
 * sensible default answers for reviews, votes and plans. Not part of the product: a door that wants
 * them passes `scriptedProvider()` as `agentOptions.scripted`.
 */
import type { ScriptedProvider } from "../../src/agents/index.js";
import { PLAN_TASK } from "../../src/handlers/planning/ask.js";
import { REVIEW_TASK } from "../../src/handlers/review/ask.js";
import { BALLOT_TASK, COMPROMISE_TASK } from "../../src/handlers/votes/ask.js";
import { createScriptedClient, type ScriptedResponder } from "./provider.js";
import { planResponder } from "./plan.js";
import { reviewResponder } from "./review.js";
import { ballotResponder, compromiseResponder } from "./votes.js";

export { registerScriptedResponder, SCRIPTED_LABEL } from "./provider.js";
export { scriptedToolsProvider } from "./tools.js";

const DEFAULT_RESPONDERS: Readonly<Record<string, ScriptedResponder>> = {
  [REVIEW_TASK]: reviewResponder,
  [BALLOT_TASK]: ballotResponder,
  [COMPROMISE_TASK]: compromiseResponder,
  [PLAN_TASK]: planResponder,
};

interface ScriptedOptions {
  /** Answers of their own for some agents, for every call. */
  byAgent?: Readonly<Record<string, ScriptedResponder>>;
  /** Answer reviews and votes the way the demo shows them (default); off, every task gets the generic answer. */
  defaults?: boolean;
}

/** The scripted provider, for `agentOptions.scripted`. */
export function scriptedProvider({ byAgent = {}, defaults = true }: ScriptedOptions = {}): ScriptedProvider {
  return ({ name, behaviour }) =>
    createScriptedClient({ agentName: name, behaviour, responder: byAgent[name], ...(defaults ? { defaults: DEFAULT_RESPONDERS } : {}) });
}

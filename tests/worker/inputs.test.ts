/** The inputs a worker job is dispatched with, read the way @actions/core gives them. */
import { describe, expect, it } from "vitest";
import { readWorkerInputs, workerInputsSchema, type WorkerInputs } from "../../src/action/worker/index.js";

const from = (values: Record<string, string>) => (name: string) => values[name] ?? "";

describe("worker inputs", () => {
  it("reads typed inputs, with round 1 when it is not given", () => {
    expect(readWorkerInputs(from({ issue: "12", agent: "claude", attempt: "2" }))).toEqual({ ok: true, inputs: { issue: 12, agent: "claude", attempt: 2, round: 1 } });
    expect(readWorkerInputs(from({ issue: " 12 ", agent: "gpt-5.5", attempt: "1", round: "3" }))).toEqual({ ok: true, inputs: { issue: 12, agent: "gpt-5.5", attempt: 1, round: 3 } });
  });

  it("names every bad or missing input", () => {
    expect(readWorkerInputs(from({ issue: "0", attempt: "1.5", round: "x" }))).toEqual({
      ok: false,
      error: 'Invalid worker inputs: `issue` is "0", expected a positive whole number; `agent` is missing; `attempt` is "1.5", expected a positive whole number; `round` is "x", expected a positive whole number.',
    });
  });

  it("refuses an agent name that could be an option or a path", () => {
    const result = readWorkerInputs(from({ issue: "1", agent: "--help", attempt: "1" }));
    expect(!result.ok && result.error).toMatch(/^Invalid worker inputs: `agent` is "--help", expected an agent name/);
    expect(readWorkerInputs(from({ issue: "1", agent: "../x", attempt: "1" })).ok).toBe(false);
  });

  it("is the schema the Action's inputs are checked with", () => {
    const inputs: WorkerInputs | undefined = workerInputsSchema.safeParse({ issue: 3, agent: "gemini", attempt: 1 }).data;
    expect(inputs).toEqual({ issue: 3, agent: "gemini", attempt: 1, round: 1 });
  });
});

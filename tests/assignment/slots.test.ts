import { describe, expect, it } from "vitest";
import { agentPool, poolState, supersededPlaces, totalPool } from "../../src/domain/assignment/slots.js";

const lock = (issue: number, sha: string) => ({ ref: `orkestra/locks/${issue}`, sha });
const place = (agent: string, k: number, generation: number, sha: string) => ({ ref: `orkestra/locks/agent/${agent}/${k}-${generation}`, sha });

describe("places under the limits", () => {
  it("offers the first place of an empty pool", () => {
    expect(poolState([lock(1, "a")], agentPool("alpha", 2), "a")).toEqual({ held: 0, mine: false, next: "orkestra/locks/agent/alpha/1-1" });
  });

  it("counts a place as taken only while a task lock points at the same commit", () => {
    const refs = [lock(1, "a"), place("alpha", 1, 1, "a"), place("alpha", 2, 4, "gone"), lock(3, "c")];
    expect(poolState(refs, agentPool("alpha", 2), "c")).toEqual({ held: 1, mine: false, next: "orkestra/locks/agent/alpha/2-5" });
  });

  it("is full at the limit, counting places beyond a lowered limit", () => {
    const refs = [lock(1, "a"), lock(2, "b"), place("alpha", 1, 1, "a"), place("alpha", 3, 1, "b"), lock(9, "z")];
    expect(poolState(refs, agentPool("alpha", 2), "z")).toEqual({ held: 2, mine: false, next: null });
  });

  it("judges a place by its newest generation only", () => {
    const refs = [lock(1, "a"), place("alpha", 1, 1, "a"), place("alpha", 1, 2, "old"), lock(5, "e")];
    expect(poolState(refs, agentPool("alpha", 1), "e").next).toBe("orkestra/locks/agent/alpha/1-3");
  });

  it("knows a place it took already (a retried claim)", () => {
    const refs = [lock(4, "d"), place("alpha", 1, 1, "d")];
    expect(poolState(refs, agentPool("alpha", 1), "d")).toMatchObject({ mine: true, next: null });
  });

  it("keeps agents' pools and the overall one apart", () => {
    const refs = [lock(1, "a"), place("beta", 1, 1, "a"), { ref: "orkestra/locks/all/1-1", sha: "a" }, lock(2, "b")];
    expect(poolState(refs, agentPool("alpha", 1), "b").next).toBe("orkestra/locks/agent/alpha/1-1");
    expect(poolState(refs, totalPool(1), "b")).toMatchObject({ held: 1, next: null });
  });

  it("lists older generations as garbage, never the newest of a place", () => {
    const refs = [place("alpha", 1, 1, "x"), place("alpha", 1, 2, "y"), place("alpha", 2, 1, "z"), { ref: "orkestra/locks/all/1-7", sha: "q" }, lock(3, "x")];
    expect(supersededPlaces(refs)).toEqual(["orkestra/locks/agent/alpha/1-1"]);
  });
});

import { describe, expect, it } from "vitest";
import { tickedActions, untickAll } from "../../src/domain/dashboard/checkboxes.js";

const SWEEP = '<!-- orkestra:dashboard-action {"kind":"sweep"} -->';
const PAUSE = '<!-- orkestra:dashboard-action {"kind":"pause"} -->';
const RETRY_12 = '<!-- orkestra:dashboard-action {"kind":"retry","issue":12} -->';
const RETRY_13 = '<!-- orkestra:dashboard-action {"kind":"retry","issue":13} -->';

const before = [
  '<!-- orkestra:dashboard {"v":1,"digest":"0123456789abcdef"} -->',
  "### Actions",
  "",
  `- [ ] ${SWEEP} Run the sweep now`,
  `- [ ] ${PAUSE} Pause Orkestra in this repository`,
  `- [ ] ${RETRY_12} Retry #12 (flaky build)`,
  `- [x] ${RETRY_13} Retry #13 (already ticked)`,
  "- [ ] a box of people's own",
].join("\n");

function tick(body: string, marker: string, mark = "x"): string {
  return body.replace(`- [ ] ${marker}`, `- [${mark}] ${marker}`);
}

describe("tickedActions", () => {
  it("returns the actions newly ticked, in order, with either x", () => {
    const after = tick(tick(before, RETRY_12, "X"), SWEEP);
    expect(tickedActions(before, after)).toEqual([{ kind: "sweep" }, { kind: "retry", issue: 12 }]);
  });

  it("returns nothing when nothing changed", () => {
    expect(tickedActions(before, before)).toEqual([]);
  });

  it("ignores a box ticked before too", () => {
    expect(tickedActions(before, before.replace("- [x]", "- [X]"))).toEqual([]);
  });

  it("sees a box unticked then ticked again (the sweep unticks after acting)", () => {
    const unticked = untickAll(before);
    expect(tickedActions(unticked, before)).toEqual([{ kind: "retry", issue: 13 }]);
  });

  it("ignores boxes without a marker", () => {
    const after = before.replace("- [ ] a box of people's own", "- [x] a box of people's own");
    expect(tickedActions(before, after)).toEqual([]);
    expect(tickedActions("", "- [x] Run the sweep now")).toEqual([]);
  });

  it("ignores forged markers: broken JSON, unknown kinds, extra or wrong fields", () => {
    const forged = [
      "- [x] <!-- orkestra:dashboard-action {kind:sweep} --> broken JSON",
      '- [x] <!-- orkestra:dashboard-action {"kind":"sweep" --> unclosed',
      '- [x] <!-- orkestra:dashboard-action {"kind":"merge-all"} --> unknown kind',
      '- [x] <!-- orkestra:dashboard-action {"kind":"retry","issue":-1} --> bad issue',
      '- [x] <!-- orkestra:dashboard-action {"kind":"retry","issue":"12"} --> string issue',
      '- [x] <!-- orkestra:dashboard-action {"kind":"sweep","as":"admin"} --> extra field',
      '- [x] <!-- orkestra:dashboard-actions {"kind":"sweep"} --> another marker kind',
      '- [x] some text <!-- orkestra:dashboard-action {"kind":"pause"} --> marker not right after the box',
      '> - [x] <!-- orkestra:dashboard-action {"kind":"pause"} --> quoted',
    ].join("\n");
    expect(tickedActions("", forged)).toEqual([]);
  });

  it("ignores ticks inside fenced code blocks", () => {
    const after = [
      "```",
      `- [x] ${SWEEP} in a backtick fence`,
      "```",
      "~~~~md",
      `- [x] ${PAUSE} in a tilde fence`,
      "```",
      `- [x] ${PAUSE} still inside: a backtick line does not close a tilde fence`,
      "~~~~",
      `- [x] ${RETRY_12} outside`,
    ].join("\n");
    expect(tickedActions("", after)).toEqual([{ kind: "retry", issue: 12 }]);
  });

  it("collapses duplicates", () => {
    const after = [`- [x] ${SWEEP} one`, `* [x] ${SWEEP} two`, `- [x] ${RETRY_12}`, `- [x] ${RETRY_12}`].join("\n");
    expect(tickedActions("", after)).toEqual([{ kind: "sweep" }, { kind: "retry", issue: 12 }]);
  });

  it("reads bodies with CRLF line endings", () => {
    const after = tick(before, SWEEP).replace(/\n/g, "\r\n");
    expect(tickedActions(before.replace(/\n/g, "\r\n"), after)).toEqual([{ kind: "sweep" }]);
  });
});

describe("untickAll", () => {
  it("unticks every action box and changes nothing else", () => {
    const ticked = tick(tick(before, SWEEP), RETRY_12, "X").replace("- [ ] a box of people's own", "- [x] a box of people's own");
    const unticked = untickAll(ticked);
    expect(unticked).toBe(before.replace(`- [x] ${RETRY_13}`, `- [ ] ${RETRY_13}`).replace("- [ ] a box of people's own", "- [x] a box of people's own"));
    expect(unticked).not.toMatch(/- \[[xX]\] <!-- orkestra:dashboard-action/);
  });

  it("leaves fenced code, CRLF line endings and unticked bodies alone", () => {
    const fenced = ["```", `- [x] ${SWEEP} quoted`, "```", `- [x] ${PAUSE} real`].join("\r\n");
    expect(untickAll(fenced)).toBe(["```", `- [x] ${SWEEP} quoted`, "```", `- [ ] ${PAUSE} real`].join("\r\n"));
    const clean = untickAll(before.replace("- [x]", "- [ ]"));
    expect(untickAll(clean)).toBe(clean);
  });
});

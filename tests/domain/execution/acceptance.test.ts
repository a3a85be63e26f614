import { describe, expect, it } from "vitest";
import { acceptanceCriteria } from "../../../src/domain/execution/acceptance.js";

/** An issue opened from the task form, as GitHub renders the answers into the body. */
function formBody(acceptance: string, description = "Add a `--version` flag."): string {
  return [
    "### Description",
    "",
    description,
    "",
    "### Type",
    "",
    "technical",
    "",
    "### Priority",
    "",
    "medium",
    "",
    "### Dependencies",
    "",
    "_No response_",
    "",
    "### Acceptance criteria",
    "",
    acceptance,
  ].join("\n");
}

describe("acceptanceCriteria", () => {
  it("reads the task form's field as a checklist", () => {
    expect(acceptanceCriteria(formBody("- [ ] `--version` prints the version\n- [x] the help lists it"))).toEqual([
      "`--version` prints the version",
      "the help lists it",
    ]);
  });

  it("falls back to the body's task list when the form's field is empty", () => {
    expect(acceptanceCriteria(formBody("_No response_", "Do it.\n\n- [ ] tests pass"))).toEqual(["tests pass"]);
  });

  it("reads the items under a heading named like acceptance criteria, up to the next heading", () => {
    const body = "## Context\n\n- not a criterion\n\n## Acceptance Criteria:\n\n- it builds\n* it is documented\n1. it is fast\n\n## Notes\n\n- later";
    expect(acceptanceCriteria(body)).toEqual(["it builds", "it is documented", "it is fast"]);
  });

  it("keeps a sub-heading inside the section from ending it", () => {
    expect(acceptanceCriteria("## Acceptance criteria\n\n### Speed\n\n- under 1s\n\n# Next\n\n- no")).toEqual(["under 1s"]);
  });

  it("reads a section headed by a bold line", () => {
    expect(acceptanceCriteria("Please fix.\n\n**Definition of done:**\n- the page loads\n\n**Notes**\n- nothing")).toEqual(["the page loads"]);
  });

  it("takes paragraphs when the section has no list", () => {
    expect(acceptanceCriteria("### Acceptance criteria\n\nThe command prints\nits version.\n\nIt exits with 0.")).toEqual([
      "The command prints its version.",
      "It exits with 0.",
    ]);
  });

  it("joins an item's continuation lines", () => {
    expect(acceptanceCriteria("## Acceptance\n\n- a long\n  criterion\n- short")).toEqual(["a long criterion", "short"]);
  });

  it("takes the body's task-list items when there is no such section", () => {
    expect(acceptanceCriteria("Add caching.\n\n- [ ] hits are served from memory\n- plain bullet\n- [x] misses go to disk")).toEqual([
      "hits are served from memory",
      "misses go to disk",
    ]);
  });

  it("leaves out task-list items that are dependency references", () => {
    expect(acceptanceCriteria("- [ ] #21 write the docs\n- [ ] https://github.com/o/r/issues/3\n- [ ] it works")).toEqual(["it works"]);
  });

  it("ignores criteria inside fenced code, quotes and HTML comments", () => {
    const body = "```md\n## Acceptance criteria\n- [ ] fenced\n```\n> - [ ] quoted\n<!-- - [ ] hidden -->\n- [ ] real";
    expect(acceptanceCriteria(body)).toEqual(["real"]);
  });

  it("ignores a fenced example inside the section", () => {
    expect(acceptanceCriteria("## Acceptance criteria\n\n- works\n\n```\n- [ ] example\n```\n")).toEqual(["works"]);
  });

  it("lists a repeated criterion once", () => {
    expect(acceptanceCriteria("- [ ] it works\n- [ ] it works")).toEqual(["it works"]);
  });

  it("finds none in a body without any", () => {
    expect(acceptanceCriteria("Just make it better.")).toEqual([]);
  });
});

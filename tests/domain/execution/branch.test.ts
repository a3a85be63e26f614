import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { branchName, commitTrailer, isOrkestraBranch, isOrkestraCommit, issueOfBranch } from "../../../src/domain/execution/branch.js";

/** The rules of `git check-ref-format` (see its manual), for names that are branches. */
function isValidRefName(name: string): boolean {
  if (name === "@" || name.includes("@{") || name.includes("..") || name.includes("//")) return false;
  if (/[\p{Cc} ~^:?*[\\]/u.test(name)) return false;
  if (name.startsWith("/") || name.endsWith("/") || name.endsWith(".")) return false;
  return name.split("/").every((part) => part !== "" && !part.startsWith(".") && !part.endsWith(".lock"));
}

describe("branchName", () => {
  it("joins the issue number and a slug of the title", () => {
    expect(branchName(12, "Add a dark mode!")).toBe("orkestra/12-add-a-dark-mode");
  });

  it("folds accented letters to ASCII", () => {
    expect(branchName(3, "Café über naïve Çà")).toBe("orkestra/3-cafe-uber-naive-ca");
  });

  it.each(["", "🚀🚀🚀", "中文标题", "...", "@{-}~^:?*[\\"])("gives orkestra/<n> for a title with nothing usable: %j", (title) => {
    expect(branchName(7, title)).toBe("orkestra/7");
  });

  it("keeps the slug within 40 characters, cut after a whole word", () => {
    const name = branchName(5, "Refactor the configuration loader so that every section reports its line numbers");
    expect(name).toBe("orkestra/5-refactor-the-configuration-loader-so");
    expect(name.length - "orkestra/5-".length).toBeLessThanOrEqual(40);
  });

  it("cuts one very long word at 40 characters", () => {
    expect(branchName(5, "x".repeat(100))).toBe(`orkestra/5-${"x".repeat(40)}`);
  });

  it("leaves no git-reserved sequence of a hostile title", () => {
    expect(branchName(9, "fix.lock ../../HEAD @{upstream} .hidden/")).toBe("orkestra/9-fix-lock-head-upstream-hidden");
  });

  it("refuses a number that is not an issue number", () => {
    expect(() => branchName(0, "x")).toThrow(/not an issue number/);
  });

  it("always gives a valid git ref name within the length limit", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.string({ unit: "binary", maxLength: 200 }), (issue, title) => {
        const name = branchName(issue, title);
        expect(isValidRefName(name)).toBe(true);
        expect(name.length).toBeLessThanOrEqual(`orkestra/${issue}-`.length + 40);
      }),
    );
  });

  it("gives names git itself accepts for odd titles", () => {
    for (const title of ["Ünïcødé & <html> \"quotes\"", "ends with dot.", "a..b", "tab\tand\nnewline", "trailing-dash-", "-leading"]) {
      expect(() => execFileSync("git", ["check-ref-format", `refs/heads/${branchName(1, title)}`])).not.toThrow();
    }
  });
});

describe("isOrkestraBranch", () => {
  it("recognises the task's branch whatever its slug became", () => {
    expect(isOrkestraBranch(branchName(12, "Old title"), 12)).toBe(true);
    expect(isOrkestraBranch("orkestra/12", 12)).toBe(true);
  });

  it("accepts the full ref name", () => {
    expect(isOrkestraBranch("refs/heads/orkestra/12-x", 12)).toBe(true);
  });

  it("does not take another issue's branch whose number starts the same", () => {
    expect(isOrkestraBranch("orkestra/123-x", 12)).toBe(false);
    expect(isOrkestraBranch("orkestra/1", 12)).toBe(false);
  });

  it("does not take a person's branch", () => {
    expect(isOrkestraBranch("feature/12-x", 12)).toBe(false);
    expect(isOrkestraBranch("orkestra/12-", 12)).toBe(false);
  });
});

describe("isOrkestraCommit", () => {
  it("knows the commits Orkestra writes for an agent by their last line", () => {
    expect(isOrkestraCommit(`Greet people (#12)\n\n${commitTrailer("claude", 2, 3)}`)).toBe(true);
    expect(isOrkestraCommit(`Greet people (#12)\n\n${commitTrailer("claude", 1, 1)}\n`)).toBe(true);
  });

  it("does not take a person's commit, even one quoting the line in its middle", () => {
    expect(isOrkestraCommit("Fix the greeting")).toBe(false);
    expect(isOrkestraCommit(`Fix\n\n${commitTrailer("claude", 1, 1)}\n\nSigned-off-by: alice`)).toBe(false);
    expect(isOrkestraCommit(commitTrailer("claude", 1, 1))).toBe(false);
  });
});

describe("issueOfBranch", () => {
  it("reads the task's number from Orkestra's branch, with or without refs/heads/", () => {
    expect(issueOfBranch(branchName(12, "Greet people"))).toBe(12);
    expect(issueOfBranch("refs/heads/orkestra/7")).toBe(7);
  });

  it("takes no other branch, nor a malformed one of Orkestra's", () => {
    for (const name of ["feature/12-x", "orkestra/12-", "orkestra/x-12", "orkestra/12-Bad", null, undefined]) expect(issueOfBranch(name)).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { checkChanges, type FileChange, type SafeOutputRules } from "../../../src/domain/execution/safe-outputs.js";

const AGENT_KEY = "my-agent-key-0123456789";
const RULES: SafeOutputRules = {
  protectedPaths: [],
  allowBinary: false,
  maxFiles: 50,
  maxBytes: 500_000,
  maxFileBytes: 200_000,
  secrets: [AGENT_KEY],
};

function add(path: string, content: FileChange["content"] = "hello\n", extra: Partial<FileChange> = {}): FileChange {
  return { path, kind: "add", mode: "100644", content, size: 0, ...extra };
}

function refusalsOf(changes: FileChange[], rules: Partial<SafeOutputRules> = {}) {
  const result = checkChanges(changes, { ...RULES, ...rules });
  return result.ok ? [] : result.refusals;
}

function messagesOf(changes: FileChange[], rules: Partial<SafeOutputRules> = {}): string[] {
  return refusalsOf(changes, rules).map((refusal) => refusal.message);
}

describe("checkChanges", () => {
  it("accepts ordinary text files, an executable and a delete", () => {
    const changes = [add("src/app.ts"), add("bin/run", "#!/bin/sh\n", { mode: "100755" }), { ...add("old.txt", null), kind: "delete" as const }];
    expect(checkChanges(changes, RULES)).toEqual({ ok: true });
  });

  it("refuses any change under .github/workflows/, naming the path and the rule", () => {
    expect(messagesOf([add(".github/workflows/ci.yml")])).toEqual([
      "`.github/workflows/ci.yml`: changes under `.github/workflows/` are never written (an agent may not change CI).",
    ]);
  });

  it("refuses deleting a workflow too", () => {
    expect(refusalsOf([{ ...add(".github/workflows/ci.yml", null), kind: "delete" }]).map((r) => r.rule)).toEqual(["workflow"]);
  });

  it("refuses a workflow path spelled in another case", () => {
    expect(refusalsOf([add(".GitHub/Workflows/ci.yml")]).map((r) => r.rule)).toEqual(["workflow"]);
  });

  it("refuses a path matching a configured protected glob, naming the glob", () => {
    expect(messagesOf([add("deploy/prod.env")], { protectedPaths: ["deploy/**"] })).toEqual([
      "`deploy/prod.env`: matches the protected path `deploy/**`, which agents may not change.",
    ]);
  });

  it("protects dotfiles matched by a glob", () => {
    expect(refusalsOf([add("config/.secret")], { protectedPaths: ["config/**"] }).map((r) => r.rule)).toEqual(["protected"]);
  });

  it("matches a protected glob without `/` against the file name in any directory", () => {
    expect(refusalsOf([add("keys/site/server.pem")], { protectedPaths: ["*.pem"] }).map((r) => r.rule)).toEqual(["protected"]);
  });

  it("refuses a symbolic link", () => {
    expect(messagesOf([add("docs/link", "../../etc/passwd", { mode: "120000" })])).toEqual([
      "`docs/link`: symbolic links are never written (a link can point outside the repository).",
    ]);
  });

  it("refuses a submodule", () => {
    expect(messagesOf([add("vendor/lib", null, { mode: "160000" })])).toEqual([
      "`vendor/lib`: submodules are never written (a submodule brings in code from elsewhere).",
    ]);
  });

  it("refuses writing .gitmodules as a submodule", () => {
    expect(refusalsOf([add(".gitmodules", '[submodule "x"]\n')]).map((r) => r.rule)).toEqual(["submodule"]);
  });

  it.each([
    ["../x", "a `..` segment"],
    ["a/../../x", "a `..` segment"],
    ["a//b", "an empty segment"],
    ["a/", "an empty segment"],
    ["./a", "a `.` segment"],
    ["/etc/passwd", "is absolute"],
    ["a\\b", "a backslash"],
    ["C:/Windows/x", "a drive letter"],
    [".git/config", "`.git`"],
    ["x/.git/hooks/post-checkout", "`.git`"],
    [".GIT/config", "`.git`"],
    [".git./config", "`.git`"],
    [".git /config", "`.git`"],
    ["git~1/config", "`.git`"],
    [".git::$INDEX_ALLOCATION/config", "`.git`"],
    [".g\u200cit/config", "U+200C"],
    ["invoice\u202Efdp.exe", "U+202E"],
    ["a\u0000b", "U+0000"],
    ["line\nbreak", "U+000A"],
    ["half\ud800", "U+D800"],
    ["", "is empty"],
    [`${"a".repeat(256)}/x`, "longer than 255 bytes"],
  ])("refuses the hostile path %j as outside the repository", (path, why) => {
    const [refusal] = refusalsOf([add(path)]);
    expect(refusal?.rule).toBe("outside-repository");
    expect(refusal?.message).toContain(why);
  });

  it("spells out invisible characters instead of showing them", () => {
    const [message] = messagesOf([add("invoice\u202Efdp.exe")]);
    expect(message).toMatch(/^`invoice<U\+202E>fdp\.exe`: /);
    expect(message).not.toContain("\u202E");
  });

  it("accepts paths in other scripts and with accents", () => {
    expect(checkChanges([add("docs/café/naïve.md"), add("文档/说明.md"), add(".github/ISSUE_TEMPLATE/bug.yml")], RULES)).toEqual({ ok: true });
  });

  it("refuses a file with a NUL byte", () => {
    expect(messagesOf([add("logo.png", new Uint8Array([0x89, 0x50, 0x00, 0x47]))])).toEqual([
      "`logo.png`: is binary (a NUL byte); binary files are written only when `execution.allowBinary` is on.",
    ]);
  });

  it("refuses bytes that are not valid UTF-8", () => {
    expect(refusalsOf([add("data.bin", new Uint8Array([0xc3, 0x28]))]).map((r) => r.rule)).toEqual(["binary"]);
  });

  it("accepts UTF-8 given as bytes", () => {
    expect(checkChanges([add("café.txt", new TextEncoder().encode("crème brûlée\n"))], RULES)).toEqual({ ok: true });
  });

  it("writes binary content when allowBinary is on", () => {
    expect(checkChanges([add("logo.png", new Uint8Array([0x89, 0x50, 0x00, 0x47]))], { ...RULES, allowBinary: true })).toEqual({ ok: true });
  });

  it("refuses more files than the limit with one set-wide refusal", () => {
    expect(messagesOf([add("a"), add("b"), add("c")], { maxFiles: 2 })).toEqual([
      "The change set touches 3 files; at most 2 may change at once.",
    ]);
  });

  it("refuses more bytes in total than the limit", () => {
    expect(messagesOf([add("a", "x".repeat(600)), add("b", "y".repeat(600))], { maxBytes: 1_000 })).toEqual([
      "The change set holds 1,200 bytes of new content; at most 1,000 may be written at once.",
    ]);
  });

  it("refuses one file larger than the limit, counting UTF-8 bytes", () => {
    expect(messagesOf([add("big.txt", "é".repeat(600))], { maxFileBytes: 1_000 })).toEqual([
      "`big.txt`: holds 1,200 bytes; one file may hold at most 1,000.",
    ]);
  });

  it("trusts a reported size larger than the content it came with", () => {
    expect(refusalsOf([add("huge.txt", null, { size: 5_000_000 })]).map((r) => r.rule)).toEqual(["too-many-bytes", "file-too-large"]);
  });

  it("refuses a file that came without its content", () => {
    expect(messagesOf([add("notes.md", null, { size: 10 })])).toEqual(["`notes.md`: came without its content, so it could not be checked."]);
  });

  it("refuses a path listed twice", () => {
    expect(refusalsOf([add("a.txt"), add("a.txt", "other")]).map((r) => r.rule)).toEqual(["duplicate"]);
  });

  it("refuses an agent's own key in the content without echoing it, naming the line", () => {
    const [message] = messagesOf([add("config/app.js", `const a = 1;\nconst key = "${AGENT_KEY}";\n`)]);
    expect(message).toBe(
      "`config/app.js`: looks like it holds a key — line 2 (one of the agents' own keys); keys are never written (read them from the environment).",
    );
    expect(message).not.toContain(AGENT_KEY);
  });

  it("refuses a token shape without echoing it", () => {
    const token = "ghs_abcdefghijklmnopqrstu";
    const [message] = messagesOf([add(".env", `A=1\nB=2\nGITHUB_TOKEN=${token}\n`)]);
    expect(message).toContain("line 3 (a GitHub token)");
    expect(message).not.toContain("abcdefghij");
  });

  it("names a few places of many keys in one file and counts the rest", () => {
    const content = Array.from({ length: 6 }, (_, i) => `k${i}=sk-ant-api03-abcdefgh${i}2345`).join("\n");
    expect(messagesOf([add("keys.txt", content)])[0]).toContain("line 1 (an Anthropic or OpenAI key), line 2 (an Anthropic or OpenAI key), line 3 (an Anthropic or OpenAI key) and 3 more places");
  });

  it("finds a key inside binary content", () => {
    const bytes = new Uint8Array([0, ...new TextEncoder().encode(AGENT_KEY), 0]);
    expect(messagesOf([add("blob.bin", bytes)], { allowBinary: true })).toEqual([
      "`blob.bin`: looks like it holds a key — its binary content holds one of the agents' own keys; keys are never written (read them from the environment).",
    ]);
  });

  it("refuses a key in a path without showing the path", () => {
    const refusals = refusalsOf([add(`notes/${AGENT_KEY}.txt`)]);
    expect(refusals.map((r) => r.rule)).toEqual(["secret"]);
    expect(refusals[0]?.message).not.toContain(AGENT_KEY);
    expect(refusals[0]?.message).not.toContain("notes/");
  });

  it("lets documentation show a bearer header with a placeholder", () => {
    expect(checkChanges([add("docs/api.md", "curl -H 'Authorization: Bearer YOUR_TOKEN_HERE'\n")], RULES)).toEqual({ ok: true });
  });

  it("ignores configured secrets shorter than six characters", () => {
    expect(checkChanges([add("a.txt", "abc abc")], { ...RULES, secrets: ["abc"] })).toEqual({ ok: true });
  });

  it("orders refusals the same whatever the order of the changes", () => {
    const changes = [add("b/.git/x"), add(".github/workflows/a.yml"), add("z", null, { mode: "120000" }), add("a.txt", AGENT_KEY), add("m", null, { size: 9e6 })];
    const forward = checkChanges(changes, RULES);
    const backward = checkChanges([...changes].reverse(), RULES);
    expect(backward).toEqual(forward);
    expect(forward.ok ? [] : forward.refusals.map((r) => r.rule)).toEqual(["too-many-bytes", "workflow", "secret", "outside-repository", "file-too-large", "symlink"]);
  });

  it("answers 5,000 refused files with a short summary", () => {
    const changes = Array.from({ length: 5_000 }, (_, i) => add(`.github/workflows/w${i}.yml`));
    const result = checkChanges(changes, RULES);
    if (result.ok) throw new Error("expected refusals");
    expect(result.summary.split("\n")).toHaveLength(12);
    expect(result.summary.length).toBeLessThan(2_000);
    expect(result.summary).toMatch(/^Orkestra refused to write these changes \(5,001 problems in 5,000 files\):/);
    expect(result.summary).toMatch(/- … and 4,991 more: 4,991 under `\.github\/workflows\/`\.$/);
  });
});

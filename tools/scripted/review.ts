/**
 * How the offline `scripted` agents review, so the demo and scenario tests show a plausible
 * review without any network: most approve, some raise a concern about the first added line
 * they were shown (a line that is in the diff, so it lands inline). Everything they write says
 * "[scripted]". Tests register their own responders over this one.
 */
import type { AgentReviewAnswer } from "../../src/domain/review/schema.js";
import { SCRIPTED_LABEL, type ScriptedResponder } from "./provider.js";

const FILE = /^### (\S+) \(/m;
const ADDED = /^\+(\d+) \| /m;

export const reviewResponder: ScriptedResponder = (call, ctx): AgentReviewAnswer => {
  const diff = call.data.find((block) => block.label === "diff")?.content ?? "";
  const files = diff.match(/^### /gm)?.length ?? 0;
  const file = FILE.exec(diff)?.[1];
  const firstFile = file ? diff.slice(diff.indexOf(`### ${file}`)) : "";
  const line = Number(ADDED.exec(firstFile)?.[1] ?? 0);
  const concern = ctx.seed >= 0.75 && file !== undefined && line > 0;
  return {
    verdict: concern ? "concern" : "approve",
    summary: `${SCRIPTED_LABEL} ${ctx.agent} read ${files} file${files === 1 ? "" : "s"} of this pull request${concern ? " and has one question" : " and sees nothing to block it"}.`,
    findings: concern
      ? [{ file, line, startLine: null, side: "RIGHT", severity: "warning", message: `${SCRIPTED_LABEL} ${ctx.agent}: is this line covered by a test?`, suggestion: null }]
      : [],
  };
};

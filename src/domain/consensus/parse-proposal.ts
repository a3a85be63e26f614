/**
 * The `/propose` grammar (see docs/consensus.md):
 *
 *   /propose [question] [setting=value …]
 *   [more question text]
 *   - option
 *   - option
 *
 * Settings: method, threshold, deadline, quorum, participation, voters, rounds. A word that
 * is not a setting belongs to the question; a `key=value` word whose key is close to a
 * setting's name is refused as a likely typo. No options means yes/no (approve/reject on a PR).
 */
import { closest, distance } from "fastest-levenshtein";
import { parseDuration } from "./duration.js";
import { YES_NO_LABELS, cleanLabel, labelKey, optionLetter, validateLabel } from "./options.js";
import { LIMITS, METHODS, err, ok } from "./types.js";
import type { ConsensusError, Method, Result } from "./types.js";

export type VoterRef =
  | { kind: "agent"; id: string }
  | { kind: "person"; id: string }
  | { kind: "team"; org: string; slug: string };

export type DeadlineArg = { kind: "in"; ms: number } | { kind: "at"; iso: string };

export interface Proposal {
  question: string;
  /** Option labels in order; empty means the default pair (Yes/No, Approve/Reject on a PR). */
  options: string[];
  method?: Method;
  threshold?: number;
  deadline?: DeadlineArg;
  quorum?: number;
  minParticipation?: number;
  voters?: VoterRef[];
  maxRounds?: number;
}

type ProposalErrorCode =
  | "missing-question"
  | "question-too-long"
  | "unknown-setting"
  | "duplicate-setting"
  | "unknown-method"
  | "bad-value"
  | "bad-voter"
  | "too-few-options"
  | "too-many-options"
  | "duplicate-option"
  | "bad-option"
  | "unexpected-line";
type ProposalError = ConsensusError<ProposalErrorCode>;

const SETTINGS = ["method", "threshold", "deadline", "quorum", "participation", "voters", "rounds"] as const;
type Setting = (typeof SETTINGS)[number];

const METHOD_ALIASES: Readonly<Record<string, Method>> = {
  unanimity: "unanimous",
  "super-majority": "supermajority",
  super: "supermajority",
  qualified: "supermajority",
  simple: "majority",
  "simple-majority": "majority",
  absolute: "majority",
  fptp: "plurality",
  relative: "plurality",
  irv: "ranked",
  rcv: "ranked",
  "ranked-choice": "ranked",
  "instant-runoff": "ranked",
  "instant-run-off": "ranked",
  weight: "weighted",
};

const PROPOSE_USAGE =
  "Usage: `/propose Should we adopt Postgres? method=ranked deadline=48h` and then one option per line (`- Postgres`); no options means yes/no.";

const SETTING_RE = /^([a-z][a-z-]*)=(.*)$/;
const BULLET_RE = /^(?:[-*+]|\d{1,2}[.)])(?:\s+(?:\[[ xX]\]\s+)?(.*))?$/;

/** Parses the `/propose` arguments (the rest of the command line) and the lines right after it. */
export function parseProposal(args: string, block: readonly string[] = []): Result<Proposal, ProposalError> {
  const head = splitHead(args);
  if (!head.ok) return head;
  const settings = parseSettings(head.value.settings);
  if (!settings.ok) return settings;
  const body = parseBlock(head.value.question, block);
  if (!body.ok) return body;
  return ok({ ...settings.value, question: body.value.question, options: body.value.options });
}

interface Head {
  question: string;
  settings: Array<[Setting, string]>;
}

/** Separates the question (quoted or plain words) from `key=value` settings on the command line. */
function splitHead(args: string): Result<Head, ProposalError> {
  let rest = args.trim();
  let quoted: string | null = null;
  const quote = /^["“]([^"”]*)["”]/.exec(rest);
  if (quote) {
    quoted = quote[1] ?? "";
    rest = rest.slice(quote[0].length);
  }
  const words = rest.split(/\s+/).filter((word) => word !== "");
  const question: string[] = [];
  const settings: Array<[Setting, string]> = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? "";
    const match = SETTING_RE.exec(word);
    const key = match?.[1];
    if (!match || !key) {
      question.push(word);
      continue;
    }
    if (!isSetting(key)) {
      const nearest = closest(key, [...SETTINGS]);
      if (distance(key, nearest) <= 2) {
        return err({
          code: "unknown-setting",
          message: `Unknown setting “${key}”; did you mean “${nearest}”? Settings: ${SETTINGS.join(", ")}.`,
        });
      }
      question.push(word);
      continue;
    }
    // `voters=claude, gemini` : glue comma-separated values split by spaces.
    let value = match[2] ?? "";
    while ((value.endsWith(",") || words[i + 1]?.startsWith(",")) && i + 1 < words.length) {
      value += words[++i] ?? "";
    }
    if (settings.some(([seen]) => seen === key)) {
      return err({ code: "duplicate-setting", message: `“${key}” is given twice; give it once.` });
    }
    settings.push([key, value]);
  }
  if (quoted !== null && question.length > 0) {
    return err({
      code: "unexpected-line",
      message: `Text after the quoted question is not a setting: “${question.join(" ")}”. ${PROPOSE_USAGE}`,
    });
  }
  return ok({ question: quoted ?? question.join(" "), settings });
}

function isSetting(key: string): key is Setting {
  return (SETTINGS as readonly string[]).includes(key);
}

type Settings = Omit<Proposal, "question" | "options">;

function parseSettings(settings: ReadonlyArray<[Setting, string]>): Result<Settings, ProposalError> {
  const parsed: Settings = {};
  for (const [key, value] of settings) {
    if (value.trim() === "") return err({ code: "bad-value", message: `“${key}=” needs a value.` });
    const outcome = parseSetting(parsed, key, value.trim());
    if (!outcome.ok) return outcome;
  }
  return ok(parsed);
}

function parseSetting(into: Settings, key: Setting, value: string): Result<true, ProposalError> {
  switch (key) {
    case "method": {
      const method = parseMethod(value);
      if (!method.ok) return method;
      into.method = method.value;
      return ok(true);
    }
    case "threshold": {
      const share = parseShare(value);
      if (share === null || share <= 0.5 || share > 1) {
        return badValue(`threshold “${value}” must be a share above half and at most all: 75%, 0.8 or 2/3.`);
      }
      into.threshold = share;
      return ok(true);
    }
    case "participation": {
      const share = parseShare(value);
      if (share === null || share < 0 || share > 1) {
        return badValue(`participation “${value}” must be a share of the voters from 0% to 100%, e.g. 60%.`);
      }
      into.minParticipation = share;
      return ok(true);
    }
    case "quorum":
    case "rounds": {
      const max = key === "rounds" ? LIMITS.maxRounds : LIMITS.maxVoters;
      const count = /^\d{1,3}$/.test(value) ? Number(value) : NaN;
      if (!(count >= 1 && count <= max)) return badValue(`${key} “${value}” must be a whole number from 1 to ${max}.`);
      if (key === "quorum") into.quorum = count;
      else into.maxRounds = count;
      return ok(true);
    }
    case "deadline": {
      const deadline = parseDeadline(value);
      if (!deadline.ok) return deadline;
      into.deadline = deadline.value;
      return ok(true);
    }
    case "voters": {
      const voters = parseVoters(value);
      if (!voters.ok) return voters;
      into.voters = voters.value;
      return ok(true);
    }
  }
}

function badValue(message: string): { ok: false; error: ProposalError } {
  return err({ code: "bad-value", message });
}

/** A method name or a common alias (`irv`, `fptp`, …); unknown names get the closest suggestion. */
function parseMethod(text: string): Result<Method, ProposalError> {
  const key = text.trim().toLowerCase();
  const direct = METHODS.find((method) => method === key);
  const method = direct ?? METHOD_ALIASES[key];
  if (method) return ok(method);
  const nearest = closest(key, [...METHODS, ...Object.keys(METHOD_ALIASES)]);
  const suggestion = METHODS.find((m) => m === nearest) ?? METHOD_ALIASES[nearest] ?? "majority";
  return err({
    code: "unknown-method",
    message: `Unknown method “${text}”; did you mean “${suggestion}”? Methods: ${METHODS.join(", ")}.`,
  });
}

/** `75%`, `0.75`, `3/4` → 0.75; null when it is not a share. */
function parseShare(text: string): number | null {
  const percent = /^(\d{1,3}(?:\.\d+)?)\s*%$/.exec(text);
  if (percent) return Number(percent[1]) / 100;
  const fraction = /^(\d{1,3})\/(\d{1,3})$/.exec(text);
  if (fraction) return Number(fraction[2]) === 0 ? null : Number(fraction[1]) / Number(fraction[2]);
  if (/^(?:0|1)(?:\.\d+)?$/.test(text)) return Number(text);
  return null;
}

const ISO_DATE_RE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;

/** A duration from now (`48h`) or a UTC date/time (`2026-12-01`, `2026-12-01T17:00Z`). */
function parseDeadline(text: string): Result<DeadlineArg, ProposalError> {
  if (ISO_DATE_RE.test(text)) {
    const withZone = text.includes("T") ? (/(?:Z|[+-]\d{2}:\d{2})$/.test(text) ? text : `${text}Z`) : `${text}T00:00Z`;
    const time = Date.parse(withZone);
    if (Number.isNaN(time) || !isCalendarDate(text.slice(0, 10))) {
      return badValue(`deadline “${text}” is not a real date.`);
    }
    return ok({ kind: "at", iso: new Date(time).toISOString() });
  }
  const duration = parseDuration(text);
  if (!duration.ok) {
    return badValue(`deadline “${text}” is neither a duration (30m, 48h, 2d, 1w, at most 90d) nor a date (2026-12-01).`);
  }
  return ok({ kind: "in", ms: duration.value });
}

/** Date.parse rolls 2026-02-30 over to March; a real date survives the round trip. */
function isCalendarDate(ymd: string): boolean {
  const [year = 0, month = 0, day = 0] = ymd.split("-").map(Number);
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}

const AGENT_RE = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const PERSON_RE = /^@([a-z0-9](?:[a-z0-9-]{0,38}))$/;
const TEAM_RE = /^@([a-z0-9][a-z0-9-]{0,38})\/([a-z0-9_.-]{1,100})$/;

/** `claude,gemini,@alice,@org/team`: agents are bare names, people and teams start with `@`. */
export function parseVoters(text: string): Result<VoterRef[], ProposalError> {
  const refs: VoterRef[] = [];
  const seen = new Set<string>();
  for (const raw of text.split(",")) {
    const item = raw.trim().toLowerCase();
    if (item === "" || seen.has(item)) continue;
    seen.add(item);
    const team = TEAM_RE.exec(item);
    const person = PERSON_RE.exec(item);
    if (team?.[1] && team[2]) refs.push({ kind: "team", org: team[1], slug: team[2] });
    else if (person?.[1]) refs.push({ kind: "person", id: person[1] });
    else if (AGENT_RE.test(item)) refs.push({ kind: "agent", id: item });
    else {
      return err({
        code: "bad-voter",
        message: `“${raw.trim()}” is not a voter: write an agent's name (claude), a person (@alice) or a team (@org/team).`,
      });
    }
  }
  if (refs.length === 0) return badValue("voters= names nobody; list agents, @people or @org/teams.");
  return ok(refs);
}

/** Lines after the command: question continuation lines, then one bullet per option. */
function parseBlock(
  firstLineQuestion: string,
  block: readonly string[],
): Result<{ question: string; options: string[] }, ProposalError> {
  const questionParts = firstLineQuestion === "" ? [] : [firstLineQuestion];
  const options: string[] = [];
  for (const line of block) {
    const text = line.trim();
    if (text === "") continue;
    const bullet = BULLET_RE.exec(text);
    if (bullet) {
      const option = validateLabel(bullet[1] ?? "", options);
      if (!option.ok) return option;
      options.push(option.value);
    } else if (options.length === 0) {
      questionParts.push(text);
    } else {
      return err({
        code: "unexpected-line",
        message: `“${cleanLabel(text).slice(0, 80)}” follows the options but is not one; write each option as \`- option\`, and leave a blank line before other text.`,
      });
    }
  }
  const question = cleanLabel(questionParts.join(" "));
  if (question === "") return err({ code: "missing-question", message: `What is the question? ${PROPOSE_USAGE}` });
  if (question.length > LIMITS.questionChars) {
    return err({
      code: "question-too-long",
      message: `The question has ${question.length} characters; keep it under ${LIMITS.questionChars} and put the details in the issue.`,
    });
  }
  const counted = checkOptionCount(options);
  if (!counted.ok) return counted;
  return ok({ question, options });
}

/** Refuses lists that are too short or too long, and labels that read as another option's letter or number. */
function checkOptionCount(options: readonly string[]): Result<true, ProposalError> {
  if (options.length === 1) {
    return err({
      code: "too-few-options",
      message: `A vote needs at least two options; leave them all out for ${YES_NO_LABELS.join("/")}.`,
    });
  }
  if (options.length > LIMITS.maxOptions) {
    const message = `At most ${LIMITS.maxOptions} options (A–Z); this has ${options.length}.`;
    return err({ code: "too-many-options", message });
  }
  for (const [index, label] of options.entries()) {
    const key = labelKey(label);
    const letterOf = /^[a-z]$/.test(key) ? key.charCodeAt(0) - 97 : -1;
    const numberOf = /^\d{1,2}$/.test(key) ? Number(key) - 1 : -1;
    const pointsAt = letterOf >= 0 ? letterOf : numberOf;
    if (pointsAt >= 0 && pointsAt < options.length && pointsAt !== index) {
      return err({
        code: "bad-option",
        message: `Option ${optionLetter(index)} is labelled “${label}”, which is also how option ${optionLetter(pointsAt)} is picked; use a clearer label.`,
      });
    }
  }
  return ok(true);
}

/** Options are lettered A, B, C… in the order proposed; people may name them by label, letter or number. */
import { distance } from "fastest-levenshtein";
import { LIMITS, err, ok } from "./types.js";
import type { ConsensusError, Result, VoteOption } from "./types.js";

export const YES_NO_LABELS = ["Yes", "No"] as const;
export const APPROVE_REJECT_LABELS = ["Approve", "Reject"] as const;

export function optionLetter(index: number): string {
  return String.fromCharCode(65 + index);
}

export function makeOptions(labels: readonly string[]): VoteOption[] {
  return labels.map((label, index) => ({ id: optionLetter(index), label }));
}

/** Trims and collapses inner whitespace; what a label is compared and stored as. */
export function cleanLabel(text: string): string {
  return text.trim().replace(/\s+/g, " ");
}

export function labelKey(text: string): string {
  return cleanLabel(text).toLowerCase();
}

type LabelErrorCode = "bad-option" | "duplicate-option";

/** Checks a new option label against the labels before it; returns the cleaned label. */
export function validateLabel(
  raw: string,
  earlier: readonly string[],
): Result<string, ConsensusError<LabelErrorCode>> {
  const label = cleanLabel(raw);
  const position = earlier.length + 1;
  if (label === "") return err({ code: "bad-option", message: `Option ${position} is empty.` });
  const bad = (message: string) => err({ code: "bad-option" as const, message });
  if (label.length > LIMITS.optionLabelChars) {
    return bad(`Option ${position} is longer than ${LIMITS.optionLabelChars} characters; shorten it.`);
  }
  if (label.includes(">")) return bad(`Option “${label}” contains “>”, which separates ranked choices; reword it.`);
  if (/\s(?:--|—|–)(?:\s|$)/.test(label)) {
    return bad(`Option “${label}” contains a dash that starts a ballot's reason; reword it.`);
  }
  if (labelKey(label) === "abstain") {
    return err({ code: "bad-option", message: "“abstain” is always available; it cannot be an option." });
  }
  if (earlier.some((other) => labelKey(other) === labelKey(label))) {
    return err({ code: "duplicate-option", message: `Option “${label}” is listed twice.` });
  }
  return ok(label);
}

export function optionLabel(options: readonly VoteOption[], id: string): string {
  return options.find((option) => option.id === id)?.label ?? id;
}

export type OptionErrorCode = "unknown-option" | "ambiguous-option" | "missing-choice";

/**
 * Finds the option a person meant, in this order: exact label (case-insensitive), letter
 * (`B`), number (`2`), then a prefix shared by exactly one label. Anything else is an error
 * that names the closest label and lists the options.
 */
export function resolveOption(
  options: readonly VoteOption[],
  text: string,
): Result<string, ConsensusError<OptionErrorCode>> {
  const key = labelKey(text);
  if (key === "") return err({ code: "missing-choice", message: `Name an option: ${describeOptions(options)}.` });
  const exact = options.find((option) => labelKey(option.label) === key);
  if (exact) return ok(exact.id);
  const byLetter = /^[a-z]$/.test(key) ? options.find((option) => option.id === key.toUpperCase()) : undefined;
  if (byLetter) return ok(byLetter.id);
  const byNumber = /^#?\d{1,2}$/.test(key) ? options[Number(key.replace("#", "")) - 1] : undefined;
  if (byNumber) return ok(byNumber.id);
  const prefixed = options.filter((option) => labelKey(option.label).startsWith(key));
  if (prefixed.length === 1 && prefixed[0]) return ok(prefixed[0].id);
  if (prefixed.length > 1) {
    return err({
      code: "ambiguous-option",
      message: `“${cleanLabel(text)}” could be ${prefixed.map(quoteOption).join(" or ")}; write more of the label or its letter.`,
    });
  }
  const message = `${unknownOptionText(options, text)} Options: ${describeOptions(options)}.`;
  return err({ code: "unknown-option", message });
}

function unknownOptionText(options: readonly VoteOption[], text: string): string {
  const key = labelKey(text);
  const nearest = options
    .map((option) => ({ option, d: distance(key, labelKey(option.label)) }))
    .sort((a, b) => a.d - b.d)[0];
  const close = nearest && nearest.d <= Math.max(2, Math.floor(key.length / 3));
  return `“${cleanLabel(text)}” is not an option.${close ? ` Did you mean ${quoteOption(nearest.option)}?` : ""}`;
}

function quoteOption(option: VoteOption): string {
  return `${option.id} “${option.label}”`;
}

export function describeOptions(options: readonly VoteOption[]): string {
  return options.map(quoteOption).join(", ");
}

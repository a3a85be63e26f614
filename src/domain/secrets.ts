/**
 * What a key looks like, shared by the redactor (which masks keys in logs and errors) and the
 * safe-output check (which refuses to write them into a repository). Known values — the agents'
 * own keys — are matched exactly; these shapes catch keys Orkestra was never told about, because
 * providers echo partial keys in error bodies and a CLI agent may find tokens in its environment.
 */

interface KeyShape {
  /** What such a match is, for a refusal that must not show the key itself. */
  kind: string;
  /** Global, so `replace` masks every occurrence. */
  pattern: RegExp;
  /**
   * False when the shape is too common in ordinary files to refuse them: `Bearer YOUR_TOKEN` in
   * documentation looks like a header with a token, and a real token has its own shape anyway.
   */
  inFiles: boolean;
}

export const KEY_SHAPES: readonly KeyShape[] = [
  { kind: "an Anthropic or OpenAI key", pattern: /\bsk-(?:ant-|proj-)?[A-Za-z0-9_*.-]{8,}/g, inFiles: true },
  { kind: "an xAI key", pattern: /\bxai-[A-Za-z0-9_*.-]{8,}/g, inFiles: true },
  { kind: "a Google API key", pattern: /\bAIza[A-Za-z0-9_-]{20,}/g, inFiles: true },
  { kind: "a GitHub token", pattern: /\b(?:github_pat|gh[posur])_[A-Za-z0-9_]{10,}/g, inFiles: true },
  // The capture keeps the word "Bearer" readable when the redactor masks the token after it.
  { kind: "a bearer token", pattern: /\b(Bearer)\s+[A-Za-z0-9._~+/=-]{8,}/gi, inFiles: false },
];

/** Shorter values are not treated as secrets: masking or refusing them would hit ordinary text. */
export const MIN_SECRET_LENGTH = 6;

interface SecretFound {
  /** Offset in the text where it starts. */
  index: number;
  kind: string;
}

/**
 * Where `text` holds one of the known `secrets` or a key shape meant for files, in text order
 * (the first finding at an offset wins). Never returns the secret itself.
 */
export function findSecrets(text: string, secrets: readonly string[]): SecretFound[] {
  const found = new Map<number, string>();
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    for (let at = text.indexOf(secret); at >= 0; at = text.indexOf(secret, at + secret.length)) {
      if (!found.has(at)) found.set(at, "one of the agents' own keys");
    }
  }
  for (const shape of KEY_SHAPES) {
    if (!shape.inFiles) continue;
    // matchAll works on a copy, so the shared pattern's lastIndex is never disturbed.
    for (const match of text.matchAll(shape.pattern)) if (!found.has(match.index)) found.set(match.index, shape.kind);
  }
  return [...found].sort(([a], [b]) => a - b).map(([index, kind]) => ({ index, kind }));
}

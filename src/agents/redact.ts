/**
 * Keeps keys out of logs and error messages. Known secrets are replaced wherever they appear;
 * well-known key shapes are replaced too, because providers echo partial keys in 401 bodies.
 */
import type { Logger } from "../shared/logger.js";

export type Redactor = (text: string) => string;

const KEY_SHAPES: RegExp[] = [
  /\bsk-(?:ant-|proj-)?[A-Za-z0-9_*.-]{8,}/g, // Anthropic, OpenAI
  /\bxai-[A-Za-z0-9_*.-]{8,}/g, // xAI
  /\bAIza[A-Za-z0-9_-]{20,}/g, // Google
  /\b(?:github_pat|gh[posur])_[A-Za-z0-9_]{10,}/g, // GitHub tokens
  /\b(Bearer)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
];

const MASK = "[REDACTED]";

export function createRedactor(secrets: Iterable<string>): Redactor {
  // Longest first so a secret that contains another is masked whole.
  const known = [...new Set(secrets)].filter((s) => s.length >= 6).sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const secret of known) out = out.split(secret).join(MASK);
    for (const shape of KEY_SHAPES) out = out.replace(shape, (_m, bearer?: string) => (typeof bearer === "string" ? `${bearer} ${MASK}` : MASK));
    return out;
  };
}

export function redactingLogger(logger: Logger, redact: Redactor): Logger {
  return {
    debug: (m) => logger.debug(redact(m)),
    info: (m) => logger.info(redact(m)),
    warn: (m) => logger.warn(redact(m)),
    error: (m) => logger.error(redact(m)),
  };
}

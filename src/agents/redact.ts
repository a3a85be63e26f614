/**
 * Keeps keys out of logs and error messages. Known secrets are replaced wherever they appear;
 * well-known key shapes are replaced too, because providers echo partial keys in 401 bodies.
 */
import { KEY_SHAPES, MIN_SECRET_LENGTH } from "../domain/secrets.js";
import type { Logger } from "../shared/logger.js";

export type Redactor = (text: string) => string;

const MASK = "[REDACTED]";

export function createRedactor(secrets: Iterable<string>): Redactor {
  // Longest first so a secret that contains another is masked whole.
  const known = [...new Set(secrets)].filter((s) => s.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const secret of known) out = out.split(secret).join(MASK);
    for (const { pattern } of KEY_SHAPES) out = out.replace(pattern, (_m, bearer?: string) => (typeof bearer === "string" ? `${bearer} ${MASK}` : MASK));
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

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

/**
 * Every string inside an agent's answer, redacted: strings, arrays and plain objects are walked;
 * anything else (numbers, booleans, null, class instances) is returned as it is. A value with
 * nothing to mask comes back as the same object, so callers that compare or reuse it see no change.
 */
export function redactDeep<T>(value: T, redact: Redactor): T {
  return walk(value, redact, new WeakMap()) as T;
}

function walk(value: unknown, redact: Redactor, seen: WeakMap<object, unknown>): unknown {
  if (typeof value === "string") return redact(value);
  if (typeof value !== "object" || value === null) return value;
  const done = seen.get(value);
  if (done !== undefined) return done;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    let changed = false;
    for (const item of value) {
      const next = walk(item, redact, seen);
      changed ||= next !== item;
      out.push(next);
    }
    if (changed) return out;
    seen.set(value, value);
    return value;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = Object.create(proto) as Record<string, unknown>;
  seen.set(value, out);
  let changed = false;
  for (const [key, item] of Object.entries(value)) {
    const next = walk(item, redact, seen);
    changed ||= next !== item;
    // defineProperty: a model-chosen key such as "__proto__" stays an own property.
    Object.defineProperty(out, key, { value: next, enumerable: true, writable: true, configurable: true });
  }
  if (changed) return out;
  seen.set(value, value);
  return value;
}

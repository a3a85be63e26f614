/**
 * The comment handler writes a refusal as "😕 `/cmd`: <reason>." — the consensus core's
 * messages are whole sentences, so their last full stop is dropped to avoid "..".
 */
export function asReason(message: string): string {
  return message.trim().replace(/\.$/, "");
}

/**
 * A provider-neutral token estimate for budgeting prompts before they are sent.
 * Real usage comes back from each provider; this only has to be safe (rarely under the
 * true count), so it assumes ~3 characters per token, which over-counts English prose
 * (~4) and matches dense code and JSON.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 3);
}

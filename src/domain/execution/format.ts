/** Numbers as the execution's comments print them, the same whatever locale the process runs in. */

/** `5,000`. */
export function formatCount(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** `$0.12`, or `$0.0042` under a cent so a small cost does not read as nothing. */
function formatUsd(usd: number): string {
  return `$${usd < 0.01 && usd > 0 ? usd.toFixed(4) : usd.toFixed(2)}`;
}

/** What an execution used, as the card, the pull request and the result comment say it. */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  /** Estimated from the price table; null when the model's price is unknown. */
  costUsd: number | null;
}

/** `12,345 tokens (10,000 in + 2,345 out) · ≈ $0.12`. */
export function formatUsage(usage: Usage): string {
  const tokens = `${formatCount(usage.inputTokens + usage.outputTokens)} tokens (${formatCount(usage.inputTokens)} in + ${formatCount(usage.outputTokens)} out)`;
  return `${tokens} · ${usage.costUsd === null ? "cost unknown" : `≈ ${formatUsd(usage.costUsd)}`}`;
}

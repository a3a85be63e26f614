/** The GitHub requests a bench run made, by route, as the benches that count them print them. */
import type { Sandbox } from "../tools/sandbox/index.js";

/** The app's own token requests are not Orkestra's work. */
const AUTH = /access_tokens|^GET \/app/;

/** Every request the sandbox logged since it was last cleared, by route. */
export function requests(sandbox: Sandbox): string[] {
  return sandbox.requests.map((request) => request.route ?? `${request.method} ${request.path}`).filter((line) => !AUTH.test(line));
}

/** A heading, the totals, then each route with its count, most first. */
export function printRequests(title: string, lines: readonly string[], agentCalls: number): void {
  const counts = new Map<string, number>();
  for (const line of lines) counts.set(line, (counts.get(line) ?? 0) + 1);
  console.log(`\n## ${title}\n`);
  console.log(`GitHub requests: ${lines.length} · agent calls: ${agentCalls}`);
  for (const [line, count] of [...counts].sort((a, b) => b[1] - a[1])) console.log(`  ${String(count).padStart(3)} × ${line}`);
}

/** `.github/orkestra.yml` texts for scenario tests: the real agents off, scripted ones on. */
export function scriptedAgentsConfig(agents: Record<string, { specialties?: string[] }>, extra = ""): string {
  const custom = Object.entries(agents)
    .map(([name, agent]) => `    ${name}:\n      provider: scripted\n      model: scripted\n      specialties: [${(agent.specialties ?? []).join(", ")}]`)
    .join("\n");
  return [
    "agents:",
    ...["claude", "chatgpt", "gemini", "grok", "copilot"].map((name) => `  ${name}: { enabled: false }`),
    "  custom:",
    custom,
    extra,
  ].join("\n");
}

/** Nine levels of nine aliases each: 9^9 (387 million) strings once expanded. */
export function aliasBomb(): string {
  const lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
  for (let level = 1; level < 9; level++) {
    const previous = String.fromCharCode(96 + level);
    const name = String.fromCharCode(97 + level);
    lines.push(`${name}: &${name} [${Array.from({ length: 9 }, () => `*${previous}`).join(", ")}]`);
  }
  return `${lines.join("\n")}\n`;
}

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

import { describe, expect, it } from "vitest";
import { agentEnvironment } from "../../src/app/agent-env.js";

describe("the environment the App gives agents", () => {
  const host = {
    ANTHROPIC_API_KEY: "sk-ant",
    GOOGLE_API_KEY: "g",
    OLLAMA_API_KEY: "local",
    PATH: "/usr/bin",
    HOME: "/home/orkestra",
    PRIVATE_KEY: "-----BEGIN RSA",
    WEBHOOK_SECRET: "s",
    AWS_SECRET_ACCESS_KEY: "aws",
    DATABASE_URL: "postgres://u:pw@db",
    APP_ID: "1",
  };

  it("holds only the providers' key variables and what a CLI needs to start: a repository's `apiKeyEnv` cannot name the App's key or the host's credentials", () => {
    expect(agentEnvironment(host)).toEqual({ ANTHROPIC_API_KEY: "sk-ant", GOOGLE_API_KEY: "g", PATH: "/usr/bin", HOME: "/home/orkestra" });
  });

  it("adds the variables the operator lists in ORKESTRA_AGENT_KEYS, and only those", () => {
    const env = agentEnvironment({ ...host, ORKESTRA_AGENT_KEYS: " OLLAMA_API_KEY, ,MISSING " });
    expect(env.OLLAMA_API_KEY).toBe("local");
    expect(env).not.toHaveProperty("PRIVATE_KEY");
    expect(env).not.toHaveProperty("AWS_SECRET_ACCESS_KEY");
    expect(env).not.toHaveProperty("MISSING");
  });
});

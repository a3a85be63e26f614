import { sha1 } from "./ids.js";
import type { Store } from "./store.js";
import type { UserType } from "./types.js";

/**
 * Who a request (or a scripted action) acts as:
 * - person: a user's own token (`sandbox.tokenFor(login)`), or the scripting API;
 * - installation: an installation token of the Orkestra app, acting as `<slug>[bot]`;
 * - actions: the GITHUB_TOKEN-style token, acting as `github-actions[bot]`;
 * - app: a JWT, which only the /app routes accept.
 */
export type ActorKind = "person" | "installation" | "actions" | "app";

export interface Actor {
  kind: ActorKind;
  login: string;
  type: UserType;
}

export class TokenRegistry {
  private readonly tokens = new Map<string, { kind: Exclude<ActorKind, "app">; login: string }>();
  private issued = 0;
  readonly actions: string;

  constructor(private readonly store: Store) {
    this.actions = `ghs_${sha1("actions").slice(0, 36)}`;
    this.tokens.set(this.actions, { kind: "actions", login: store.actionsApp.botLogin });
  }

  /** The same login always gets the same token. */
  forPerson(login: string): string {
    const token = `ghp_${sha1(`person:${login.toLowerCase()}`).slice(0, 36)}`;
    this.tokens.set(token, { kind: "person", login: this.store.user(login).login });
    return token;
  }

  issueInstallationToken(): string {
    this.issued += 1;
    const token = `ghs_${sha1(`installation:${this.store.app.installationId}:${this.issued}`).slice(0, 36)}`;
    this.tokens.set(token, { kind: "installation", login: this.store.app.botLogin });
    return token;
  }

  resolve(token: string): Actor | undefined {
    const entry = this.tokens.get(token);
    if (!entry) return undefined;
    return { ...entry, type: this.store.user(entry.login).type };
  }
}

/** The credential in `Authorization: token X` or `Authorization: Bearer X`. */
export function credentialOf(header: string | undefined): string | undefined {
  const match = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(header ?? "");
  return match?.[1];
}

/** A JWT whose header and payload decode to JSON objects. The signature is not checked. */
export function isWellFormedJwt(token: string): boolean {
  const parts = token.split(".");
  if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]*$/.test(part))) return false;
  return parts.slice(0, 2).every((part) => {
    try {
      const decoded: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
      return typeof decoded === "object" && decoded !== null;
    } catch {
      return false;
    }
  });
}

/** An unsigned app JWT, for tests that call /app routes without @octokit/auth-app. */
export function unsignedAppJwt(appId: number, nowSeconds: number): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const header = encode({ alg: "RS256", typ: "JWT" });
  const payload = encode({ iat: nowSeconds - 60, exp: nowSeconds + 540, iss: appId });
  return `${header}.${payload}.${Buffer.from("sandbox").toString("base64url")}`;
}

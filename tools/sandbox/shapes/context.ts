import type { Store } from "../store.js";

/** What every REST/webhook shape builder needs: the state and the base URLs it links to. */
export interface ShapeContext {
  store: Store;
  /** REST API base, e.g. http://127.0.0.1:PORT (no trailing slash). */
  api: string;
  /** Web base for html_url fields; the sandbox serves the API and the "web" on one origin. */
  html: string;
}

export function repoApi(ctx: ShapeContext): string {
  return `${ctx.api}/repos/${ctx.store.repo.owner}/${ctx.store.repo.name}`;
}

export function repoHtml(ctx: ShapeContext): string {
  return `${ctx.html}/${ctx.store.repo.owner}/${ctx.store.repo.name}`;
}

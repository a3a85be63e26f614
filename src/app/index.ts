import type { Context, Probot } from "probot";
import { systemClock, type Clock } from "../domain/clock.js";
import type { Env } from "../agents/index.js";
import type { Services } from "../handlers/context.js";
import { handleEvent } from "../handlers/index.js";
import { eventKey, KeyedSerializer } from "../handlers/serial.js";
import { OctokitGitHub } from "../github/octokit.js";
import type { Logger } from "../logger.js";

export interface AppOptions {
  clock?: Clock;
  dryRun?: boolean;
  env?: Env;
  agentOptions?: Services["agentOptions"];
}

/**
 * The Probot door: every webhook goes to the same core handler as the Action's events.
 * Deliveries for the same issue are handled one after another.
 */
export function createOrkestraApp(options: AppOptions = {}): (app: Probot) => void {
  return (app) => orkestraApp(app, options);
}

export default function orkestraApp(app: Probot, options: AppOptions = {}): void {
  const clock = options.clock ?? systemClock;
  const dryRun = options.dryRun ?? process.env.ORKESTRA_DRY_RUN === "true";
  const serializer = new KeyedSerializer();
  const whoAmI = selfLogin(app);
  app.onAny(async (event) => {
    // onAny's type omits what Probot adds to every event (octokit, log).
    const context = event as unknown as Context;
    const repository = (context.payload as { repository?: { owner: { login: string }; name: string; private?: boolean } })
      .repository;
    if (!repository) return;
    await serializer.run(eventKey(context.payload), async () => {
      const log = probotLogger(context);
      const report = await handleEvent(
        {
          github: new OctokitGitHub(context.octokit, {
            owner: repository.owner.login,
            repo: repository.name,
          }),
          clock,
          log,
          dryRun,
          repoPrivate: repository.private ?? false,
          self: await whoAmI(),
          env: options.env ?? process.env,
          ...(options.agentOptions ? { agentOptions: options.agentOptions } : {}),
        },
        { name: context.name, payload: context.payload },
      );
      for (const note of report.notes) log.debug(note);
      for (const error of report.configErrors) log.warn(`config: ${error.path} ${error.message}`);
    });
  });
}

/** The app's bot login (`<slug>[bot]`), asked once per process; unknown with token auth. */
function selfLogin(app: Probot): () => Promise<string | undefined> {
  let login: Promise<string | undefined> | undefined;
  return () =>
    (login ??= app
      .auth()
      .then((octokit) => octokit.rest.apps.getAuthenticated())
      .then(({ data }) => (data?.slug ? `${data.slug}[bot]` : undefined))
      .catch(() => undefined));
}

function probotLogger(context: Context): Logger {
  const log = context.log;
  return {
    debug: (message) => log.debug(message),
    info: (message) => log.info(message),
    warn: (message) => log.warn(message),
    error: (message) => log.error(message),
  };
}

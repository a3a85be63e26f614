import type { Context, Probot } from "probot";
import { systemClock } from "../domain/clock.js";
import { handleEvent } from "../handlers/index.js";
import { eventKey, KeyedSerializer } from "../handlers/serial.js";
import { OctokitGitHub } from "../github/octokit.js";
import type { Logger } from "../logger.js";

/**
 * The Probot door: every webhook goes to the same core handler as the Action's events.
 * Deliveries for the same issue are handled one after another.
 */
export default function orkestraApp(app: Probot): void {
  const serializer = new KeyedSerializer();
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
          clock: systemClock,
          log,
          dryRun: process.env.ORKESTRA_DRY_RUN === "true",
          repoPrivate: repository.private ?? false,
        },
        { name: context.name, payload: context.payload },
      );
      for (const note of report.notes) log.debug(note);
      for (const error of report.configErrors) log.warn(`config: ${error.path} ${error.message}`);
    });
  });
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

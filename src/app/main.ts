// `npm start` (after `npm run build:lib`): the Probot server with Orkestra, as production runs it
// (docs/deploy.md). Without APP_ID and PRIVATE_KEY, Probot's setup mode registers a GitHub App
// from app.yml (open http://localhost:3000).
import { run } from "probot";
import orkestraApp from "./index.js";
import { orkestraProbotOctokit } from "./octokit.js";

const server = await run(orkestraApp, { Octokit: orkestraProbotOctokit() });
// Probot stops on SIGINT only; a container is stopped with SIGTERM (and node as PID 1 ignores it
// unless handled), so it stops the same way rather than being killed after the grace period.
process.once("SIGTERM", () => {
  server.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});

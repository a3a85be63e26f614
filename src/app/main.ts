// `npm start`: the Probot server with Orkestra. Without APP_ID and PRIVATE_KEY, Probot's setup
// mode registers a GitHub App from app.yml (open http://localhost:3000).
import { run } from "probot";
import orkestraApp from "./index.js";
import { orkestraProbotOctokit } from "./octokit.js";

await run(orkestraApp, { Octokit: orkestraProbotOctokit() });

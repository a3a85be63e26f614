import * as core from "@actions/core";
import { failureMessage, reportFailed } from "./summary.js";
import { runAction } from "./main.js";

try {
  const report = await runAction();
  if (reportFailed(report)) core.setFailed(failureMessage(report));
} catch (error) {
  core.setFailed(error instanceof Error ? error.message : String(error));
}

import * as core from "@actions/core";
import { sweepWarning } from "../handlers/sweep/coverage.js";
import { failureMessage, reportFailed } from "./summary.js";
import { runActionMode } from "./main.js";

try {
  const { report, outputs } = await runActionMode();
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
  const warning = sweepWarning(report);
  if (warning) core.warning(warning);
  if (reportFailed(report)) core.setFailed(failureMessage(report));
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  // Later steps (`if: always()`) can tell a run that could not start from one that found errors.
  core.setOutput("result", "error");
  core.setOutput("errors", JSON.stringify([message]));
  core.setFailed(message);
}

import * as core from "@actions/core";
import { reportFailed } from "../handlers/summary.js";
import { runAction } from "./main.js";

try {
  const report = await runAction();
  if (reportFailed(report)) {
    core.setFailed(report.configErrors.length > 0 ? "invalid Orkestra configuration" : report.errors.join("; "));
  }
} catch (error) {
  core.setFailed(error instanceof Error ? error.message : String(error));
}

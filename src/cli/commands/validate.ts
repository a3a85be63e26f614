/** `orkestra validate [path]`: checks a local `.github/orkestra.yml`, offline, with no token. */
import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { parseConfig, type ConfigError } from "../../config/load.js";
import { CONFIG_PATH } from "../../config/schema.js";
import { UsageError } from "../connect.js";
import { EXIT, type CommandDeps } from "../program.js";

interface ValidateFlags {
  json?: boolean;
  color?: boolean;
}

export function registerValidate(program: Command, deps: CommandDeps): void {
  program
    .command("validate")
    .description(`check a configuration file (default ${CONFIG_PATH}) and print each problem with its line`)
    .argument("[path]", "the file to check", CONFIG_PATH)
    .option("--json", "print one JSON document instead of lines")
    .option("--no-color", "no colour (also NO_COLOR)")
    .action(async (path: string, flags: ValidateFlags) => {
      const out = deps.output(flags);
      let text: string;
      try {
        text = await readFile(path, "utf8");
      } catch (error) {
        const reason = (error as { code?: string }).code === "ENOENT" ? "no such file" : error instanceof Error ? error.message : String(error);
        throw new UsageError(`cannot read ${path}: ${reason}`);
      }
      const result = parseConfig(text);
      const errors: ConfigError[] = result.ok ? [] : result.errors;
      out.document({ file: path, ok: result.ok, errors });
      if (result.ok) {
        out.line(`${out.color.green("✓")} ${path} is a valid Orkestra configuration`);
        return;
      }
      out.line(`${out.color.red("✗")} ${path}: ${errors.length} problem${errors.length === 1 ? "" : "s"}`);
      for (const error of errors) out.line(`  ${formatError(path, error)}`);
      deps.exit(EXIT.failed);
    });
}

/** `path:12:3: tasks.defaultType: message`, the way compilers print it (editors link it). */
function formatError(path: string, error: ConfigError): string {
  const where = error.line ? `${path}:${error.line}${error.column ? `:${error.column}` : ""}` : path;
  return `${where}: ${error.path ? `${error.path}: ` : ""}${error.message}`;
}

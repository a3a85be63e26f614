// Regenerates the commands table and configuration reference in README.md.
import { readFileSync, writeFileSync } from "node:fs";
import { generateReadme } from "./docs-lib.js";

writeFileSync("README.md", generateReadme(readFileSync("README.md", "utf8")));
console.log("README.md regenerated");

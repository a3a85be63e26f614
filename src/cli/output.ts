import pc from "picocolors";

/** Where the CLI writes, and what it knows of the terminal. `runCli` takes it, so tests run in-process. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  /** Whether stdout is a terminal: colour only then. */
  isTTY: boolean;
  /** Whether stderr is a terminal: progress lines only then (defaults to `isTTY`). */
  stderrIsTTY?: boolean;
}

type Colors = ReturnType<typeof pc.createColors>;

/** Colour on a terminal only, never with NO_COLOR (any value) or `--no-color`. */
export function colorsFor(io: CliIO, flag: boolean): Colors {
  const noColor = io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== "";
  return pc.createColors(flag && io.isTTY && !noColor);
}

/** What a command prints: lines for people, or exactly one JSON document with `--json`. */
export class Output {
  constructor(
    private readonly io: CliIO,
    readonly json: boolean,
    readonly color: Colors,
  ) {}

  /** A line for people (nothing with --json). */
  line(text = ""): void {
    if (!this.json) this.io.stdout(`${text}\n`);
  }

  /** The one JSON document of a --json run. */
  document(value: unknown): void {
    if (this.json) this.io.stdout(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** A heading for people. */
  heading(text: string): void {
    this.line(this.color.bold(text));
  }

  table(columns: Column[], rows: readonly (readonly Cell[])[], empty = "(none)"): void {
    if (this.json) return;
    if (rows.length === 0) return this.line(this.color.dim(`  ${empty}`));
    for (const line of renderTable(columns, rows, this.color)) this.line(line);
  }

  /** A warning on stderr, for people and scripts alike. */
  warn(text: string): void {
    this.io.stderr(`${this.color.yellow("warning:")} ${text}\n`);
  }
}

interface Column {
  title: string;
  /** Longest a cell may be before it is cut with "…" (default: no limit). */
  max?: number;
  align?: "left" | "right";
}

type Cell = string | number | null | undefined;

/** Columns padded to their widest cell, cells cut at the column's `max`, "-" for nothing. */
function renderTable(columns: readonly Column[], rows: readonly (readonly Cell[])[], color?: Colors): string[] {
  const text = rows.map((row) => columns.map((column, index) => truncate(cellText(row[index]), column.max)));
  const widths = columns.map((column, index) => Math.max(width(column.title), ...text.map((row) => width(row[index] ?? ""))));
  const pad = (value: string, index: number) => {
    const fill = " ".repeat(Math.max(0, widths[index]! - width(value)));
    return columns[index]!.align === "right" ? fill + value : value + fill;
  };
  const join = (cells: string[]) => `  ${cells.map(pad).join("  ")}`.trimEnd();
  const head = join(columns.map((column) => column.title));
  return [color ? color.dim(head) : head, ...text.map(join)];
}

function cellText(cell: Cell): string {
  if (cell === null || cell === undefined || cell === "") return "-";
  return String(cell).replace(/\s+/g, " ");
}

/** Cuts text to `max` characters (code points), the last one "…". */
function truncate(text: string, max: number | undefined): string {
  const chars = [...text];
  if (max === undefined || chars.length <= max) return text;
  return `${chars.slice(0, Math.max(0, max - 1)).join("").trimEnd()}…`;
}

function width(text: string): number {
  return [...text].length;
}

/** "reading tasks… page 3" on stderr, rewritten in place, only when stderr is a terminal. */
export function progress(io: CliIO, what: string): { page(pages: number): void; done(): void } {
  const on = io.stderrIsTTY ?? io.isTTY;
  let shown = false;
  return {
    page(pages) {
      if (!on) return;
      shown = true;
      io.stderr(`\r\u001b[2K${what}… page ${pages}`);
    },
    done() {
      if (on && shown) io.stderr("\r\u001b[2K");
    },
  };
}

/** `$1.23`. */
export function usd(value: number): string {
  return `$${value.toFixed(2)}`;
}

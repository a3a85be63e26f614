/**
 * Just enough of GraphQL's grammar for the operations the sandbox answers: operations with
 * variable definitions, fields with aliases, arguments and selections, and every kind of value.
 * Fragments and directives are reported as unsupported (`SyntaxProblem.unsupported`).
 */

export interface Location {
  line: number;
  column: number;
}

export type Value =
  | { kind: "variable"; name: string }
  | { kind: "string" | "enum"; value: string }
  | { kind: "int" | "float"; value: number }
  | { kind: "boolean"; value: boolean }
  | { kind: "null" }
  | { kind: "list"; values: Value[] }
  | { kind: "object"; fields: Record<string, Value> };

export type TypeRef = { kind: "named"; name: string } | { kind: "list"; of: TypeRef } | { kind: "nonNull"; of: TypeRef };

export interface Field {
  alias: string | undefined;
  name: string;
  args: Record<string, Value>;
  selections: Field[] | undefined;
  at: Location;
}

export interface Operation {
  kind: "query" | "mutation" | "subscription";
  name: string | undefined;
  variables: { name: string; type: TypeRef; defaultValue: Value | undefined }[];
  selections: Field[];
  at: Location;
}

/** A document that does not parse, or uses what the sandbox does not read (`unsupported`). */
export class SyntaxProblem extends Error {
  constructor(
    message: string,
    readonly at: Location,
    readonly unsupported = false,
  ) {
    super(message);
  }
}

interface Token {
  kind: "punct" | "name" | "int" | "float" | "string" | "end";
  text: string;
  at: Location;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let lineStart = 0;
  let i = 0;
  const at = (index: number): Location => ({ line, column: index - lineStart + 1 });
  while (i < source.length) {
    const c = source[i]!;
    if (c === "\n") {
      line += 1;
      i += 1;
      lineStart = i;
    } else if (c === " " || c === "\t" || c === "\r" || c === "," || c === "\ufeff") {
      i += 1;
    } else if (c === "#") {
      while (i < source.length && source[i] !== "\n") i += 1;
    } else if (source.startsWith("...", i)) {
      tokens.push({ kind: "punct", text: "...", at: at(i) });
      i += 3;
    } else if ("!$&():=@[]{}|".includes(c)) {
      tokens.push({ kind: "punct", text: c, at: at(i) });
      i += 1;
    } else if (/[A-Za-z_]/.test(c)) {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i))![0];
      tokens.push({ kind: "name", text: name, at: at(i) });
      i += name.length;
    } else if (/[-0-9]/.test(c)) {
      const number = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(source.slice(i));
      if (!number) throw new SyntaxProblem(`Parse error on "${c}" at [${line}, ${i - lineStart + 1}]`, at(i));
      tokens.push({ kind: number[2] || number[3] ? "float" : "int", text: number[0], at: at(i) });
      i += number[0].length;
    } else if (c === '"') {
      if (source.startsWith('"""', i)) throw new SyntaxProblem("The sandbox does not read block strings", at(i), true);
      let j = i + 1;
      while (j < source.length && source[j] !== '"' && source[j] !== "\n") j += source[j] === "\\" ? 2 : 1;
      if (source[j] !== '"') throw new SyntaxProblem(`Parse error on unterminated string at [${line}, ${i - lineStart + 1}]`, at(i));
      tokens.push({ kind: "string", text: JSON.parse(source.slice(i, j + 1)) as string, at: at(i) });
      i = j + 1;
    } else {
      throw new SyntaxProblem(`Parse error on "${c}" at [${line}, ${i - lineStart + 1}]`, at(i));
    }
  }
  tokens.push({ kind: "end", text: "", at: at(i) });
  return tokens;
}

class Parser {
  private index = 0;

  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.index]!;
  }

  private next(): Token {
    const token = this.tokens[this.index]!;
    if (token.kind !== "end") this.index += 1;
    return token;
  }

  private fail(token: Token): never {
    const shown = token.kind === "end" ? "end of file" : `"${token.text}"`;
    throw new SyntaxProblem(`Parse error on ${shown} at [${token.at.line}, ${token.at.column}]`, token.at);
  }

  private is(text: string): boolean {
    const token = this.peek();
    return token.kind === "punct" && token.text === text;
  }

  private expect(text: string): Token {
    const token = this.next();
    if (token.kind !== "punct" || token.text !== text) this.fail(token);
    return token;
  }

  private name(): Token {
    const token = this.next();
    if (token.kind !== "name") this.fail(token);
    return token;
  }

  document(): Operation[] {
    const operations: Operation[] = [];
    while (this.peek().kind !== "end") operations.push(this.operation());
    if (operations.length === 0) this.fail(this.peek());
    return operations;
  }

  private operation(): Operation {
    const start = this.peek();
    if (this.is("{")) return { kind: "query", name: undefined, variables: [], selections: this.selectionSet(), at: start.at };
    const keyword = this.name();
    if (keyword.text === "fragment") throw new SyntaxProblem("The sandbox does not read fragments", keyword.at, true);
    if (keyword.text !== "query" && keyword.text !== "mutation" && keyword.text !== "subscription") this.fail(keyword);
    const name = this.peek().kind === "name" ? this.name().text : undefined;
    const variables: Operation["variables"] = [];
    if (this.is("(")) {
      this.expect("(");
      while (!this.is(")")) {
        this.expect("$");
        const variable = this.name().text;
        this.expect(":");
        const type = this.type();
        let defaultValue: Value | undefined;
        if (this.is("=")) {
          this.next();
          defaultValue = this.value(true);
        }
        variables.push({ name: variable, type, defaultValue });
      }
      this.expect(")");
    }
    this.noDirectives();
    return { kind: keyword.text, name, variables, selections: this.selectionSet(), at: start.at };
  }

  private type(): TypeRef {
    let type: TypeRef;
    if (this.is("[")) {
      this.next();
      type = { kind: "list", of: this.type() };
      this.expect("]");
    } else {
      type = { kind: "named", name: this.name().text };
    }
    if (this.is("!")) {
      this.next();
      return { kind: "nonNull", of: type };
    }
    return type;
  }

  private noDirectives(): void {
    if (this.is("@")) throw new SyntaxProblem("The sandbox does not read directives", this.peek().at, true);
  }

  private selectionSet(): Field[] {
    this.expect("{");
    const fields: Field[] = [];
    while (!this.is("}")) {
      if (this.is("...")) throw new SyntaxProblem("The sandbox does not read fragments", this.peek().at, true);
      fields.push(this.field());
    }
    this.expect("}");
    if (fields.length === 0) this.fail(this.tokens[this.index - 1]!);
    return fields;
  }

  private field(): Field {
    const first = this.name();
    let alias: string | undefined;
    let name = first.text;
    if (this.is(":")) {
      this.next();
      alias = first.text;
      name = this.name().text;
    }
    const args: Record<string, Value> = {};
    if (this.is("(")) {
      this.next();
      while (!this.is(")")) {
        const arg = this.name().text;
        this.expect(":");
        args[arg] = this.value(false);
      }
      this.expect(")");
    }
    this.noDirectives();
    return { alias, name, args, selections: this.is("{") ? this.selectionSet() : undefined, at: first.at };
  }

  private value(constant: boolean): Value {
    const token = this.next();
    if (token.kind === "punct" && token.text === "$" && !constant) return { kind: "variable", name: this.name().text };
    if (token.kind === "int" || token.kind === "float") return { kind: token.kind, value: Number(token.text) };
    if (token.kind === "string") return { kind: "string", value: token.text };
    if (token.kind === "name") {
      if (token.text === "true" || token.text === "false") return { kind: "boolean", value: token.text === "true" };
      return token.text === "null" ? { kind: "null" } : { kind: "enum", value: token.text };
    }
    if (token.kind === "punct" && token.text === "[") {
      const values: Value[] = [];
      while (!this.is("]")) values.push(this.value(constant));
      this.next();
      return { kind: "list", values };
    }
    if (token.kind === "punct" && token.text === "{") {
      const fields: Record<string, Value> = {};
      while (!this.is("}")) {
        const field = this.name().text;
        this.expect(":");
        fields[field] = this.value(constant);
      }
      this.next();
      return { kind: "object", fields };
    }
    return this.fail(token);
  }
}

/** The operations of a document; throws SyntaxProblem. */
export function parseDocument(source: string): Operation[] {
  return new Parser(tokenize(source)).document();
}

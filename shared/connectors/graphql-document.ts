/**
 * A reader for the GraphQL the connectors send: operations with variables,
 * fields with aliases and arguments, selection sets and inline fragments (no
 * named fragments, no block strings). Enough to estimate a query's cost the
 * way Shopify does before sending it.
 */
export type GraphqlValue =
  | { kind: "variable"; name: string }
  | { kind: "literal"; value: string | number | boolean | null }
  | { kind: "enum"; value: string }
  | { kind: "list"; items: GraphqlValue[] }
  | { kind: "object"; fields: Record<string, GraphqlValue> };

export interface FieldNode {
  kind: "field";
  name: string;
  alias: string | undefined;
  args: Record<string, GraphqlValue>;
  selections: SelectionNode[];
}

export interface InlineFragmentNode {
  kind: "inline";
  typeCondition: string | undefined;
  selections: SelectionNode[];
}

export type SelectionNode = FieldNode | InlineFragmentNode;

export interface OperationNode {
  operation: "query" | "mutation";
  selections: SelectionNode[];
}

type Token = { type: "punct" | "name" | "number" | "string"; text: string };

const PUNCTUATORS = new Set(["{", "}", "(", ")", ":", "[", "]", "!", "$", "=", "@"]);

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const char = source[i]!;
    if (/[\s,]/.test(char)) i++;
    else if (char === "#") while (i < source.length && source[i] !== "\n") i++;
    else if (source.startsWith("...", i)) {
      tokens.push({ type: "punct", text: "..." });
      i += 3;
    } else if (PUNCTUATORS.has(char)) {
      tokens.push({ type: "punct", text: char });
      i++;
    } else if (char === '"') {
      let j = i + 1;
      while (j < source.length && source[j] !== '"') j += source[j] === "\\" ? 2 : 1;
      tokens.push({ type: "string", text: JSON.parse(source.slice(i, j + 1)) as string });
      i = j + 1;
    } else {
      const match = /^(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|[_A-Za-z][_0-9A-Za-z]*)/.exec(source.slice(i));
      if (!match) throw new SyntaxError(`Unexpected character ${char} at ${i}`);
      tokens.push({ type: /^[-\d]/.test(match[0]) ? "number" : "name", text: match[0] });
      i += match[0].length;
    }
  }
  return tokens;
}

class Parser {
  private position = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private next(): Token {
    const token = this.tokens[this.position++];
    if (!token) throw new SyntaxError("Unexpected end of the document");
    return token;
  }

  private expect(text: string): void {
    const token = this.next();
    if (token.text !== text) throw new SyntaxError(`Expected ${text}, found ${token.text}`);
  }

  private at(text: string): boolean {
    const token = this.peek();
    return token !== undefined && token.type !== "string" && token.text === text;
  }

  private name(): string {
    const token = this.next();
    if (token.type !== "name") throw new SyntaxError(`Expected a name, found ${token.text}`);
    return token.text;
  }

  private skipBalanced(open: string, close: string): void {
    let depth = 0;
    do {
      const token = this.next();
      if (token.type === "punct" && token.text === open) depth++;
      if (token.type === "punct" && token.text === close) depth--;
    } while (depth > 0);
  }

  private skipDirectives(): void {
    while (this.at("@")) {
      this.next();
      this.name();
      if (this.at("(")) this.skipBalanced("(", ")");
    }
  }

  operation(): OperationNode {
    let operation: OperationNode["operation"] = "query";
    if (!this.at("{")) {
      const keyword = this.name();
      if (keyword !== "query" && keyword !== "mutation") throw new SyntaxError(`Unsupported operation ${keyword}`);
      operation = keyword;
      if (this.peek()?.type === "name") this.name();
      if (this.at("(")) this.skipBalanced("(", ")");
      this.skipDirectives();
    }
    const selections = this.selectionSet();
    if (this.peek()) throw new SyntaxError("Only one operation per document is supported");
    return { operation, selections };
  }

  private selectionSet(): SelectionNode[] {
    this.expect("{");
    const selections: SelectionNode[] = [];
    while (!this.at("}")) selections.push(this.at("...") ? this.inlineFragment() : this.field());
    this.expect("}");
    return selections;
  }

  private inlineFragment(): InlineFragmentNode {
    this.expect("...");
    let typeCondition: string | undefined;
    if (this.at("on")) {
      this.next();
      typeCondition = this.name();
    }
    this.skipDirectives();
    return { kind: "inline", typeCondition, selections: this.selectionSet() };
  }

  private field(): FieldNode {
    let name = this.name();
    let alias: string | undefined;
    if (this.at(":")) {
      this.next();
      alias = name;
      name = this.name();
    }
    const args: Record<string, GraphqlValue> = {};
    if (this.at("(")) {
      this.next();
      while (!this.at(")")) {
        const argument = this.name();
        this.expect(":");
        args[argument] = this.value();
      }
      this.expect(")");
    }
    this.skipDirectives();
    return { kind: "field", name, alias, args, selections: this.at("{") ? this.selectionSet() : [] };
  }

  private value(): GraphqlValue {
    const token = this.next();
    if (token.type === "string") return { kind: "literal", value: token.text };
    if (token.type === "number") return { kind: "literal", value: Number(token.text) };
    if (token.type === "name") {
      if (token.text === "true" || token.text === "false") return { kind: "literal", value: token.text === "true" };
      if (token.text === "null") return { kind: "literal", value: null };
      return { kind: "enum", value: token.text };
    }
    if (token.text === "$") return { kind: "variable", name: this.name() };
    if (token.text === "[") {
      const items: GraphqlValue[] = [];
      while (!this.at("]")) items.push(this.value());
      this.expect("]");
      return { kind: "list", items };
    }
    if (token.text === "{") {
      const fields: Record<string, GraphqlValue> = {};
      while (!this.at("}")) {
        const key = this.name();
        this.expect(":");
        fields[key] = this.value();
      }
      this.expect("}");
      return { kind: "object", fields };
    }
    throw new SyntaxError(`Unexpected ${token.text}`);
  }
}

export function parseOperation(source: string): OperationNode {
  return new Parser(tokenize(source)).operation();
}

export function valueOf(value: GraphqlValue | undefined, variables: Record<string, unknown>): unknown {
  if (value === undefined) return undefined;
  switch (value.kind) {
    case "variable":
      return variables[value.name];
    case "literal":
    case "enum":
      return value.value;
    case "list":
      return value.items.map((item) => valueOf(item, variables));
    case "object":
      return Object.fromEntries(Object.entries(value.fields).map(([key, item]) => [key, valueOf(item, variables)]));
  }
}

/**
 * The README's walk-through as data: its shell blocks in order, each with the
 * answer shown after it, and how an actual answer is compared with a shown one.
 *
 * Conventions (stated in the README section's HTML comment):
 * - a ```sh block is run; the ```json or ```text block right after it is its answer;
 * - the ```bash block holding `npm start` gives the environment and the arguments
 *   (`npm start -- --seed`: the sample data loaded first) the hub starts with;
 * - the blocks run in one bash session, so a variable one sets (an id) serves the next;
 * - a json answer is a subset: objects may hold more keys, the key "…" is ignored,
 *   the value "…" matches anything, "…" inside a string matches any characters,
 *   and a list ending with "…" may hold more items;
 * - a text answer is a list of lines found in the output in that order, "…" as above.
 */

export const ANY = "…";

export interface Step {
  /** 1-based line of the README where the shell block starts. */
  line: number;
  script: string;
  answer?: { kind: "json" | "text"; body: string };
}

export interface Walkthrough {
  /** Variables set on the `npm start` line, e.g. HUB_ADMIN_KEY. */
  startEnv: Record<string, string>;
  /** Arguments after `npm start --`. */
  startArgs: string[];
  steps: Step[];
}

/** The text of the `## <heading>` section, up to the next level-2 heading. */
export function sectionOf(markdown: string, heading: string): { text: string; firstLine: number } {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README has no "## ${heading}" section`);
  const end = markdown.indexOf("\n## ", start + 1);
  return { text: markdown.slice(start + 1, end < 0 ? undefined : end + 1), firstLine: markdown.slice(0, start + 1).split("\n").length };
}

export function parseWalkthrough(section: string, firstLine = 1): Walkthrough {
  const fences = [...section.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((match) => ({
    lang: match[1]!,
    body: match[2]!,
    line: firstLine + section.slice(0, match.index).split("\n").length - 1,
  }));
  const steps: Step[] = [];
  let startEnv: Record<string, string> | undefined;
  let startArgs: string[] = [];
  fences.forEach((fence, index) => {
    if (fence.lang === "bash" && /\bnpm start\b/.test(fence.body)) {
      const match = /^((?:[A-Z_][A-Z0-9_]*=\S+\s+)*)npm start(?:\s+--\s+(.*))?$/m.exec(fence.body.trim());
      if (!match) throw new Error(`line ${fence.line}: cannot read the npm start command`);
      startEnv = Object.fromEntries(match[1]!.trim().split(/\s+/).filter(Boolean).map((pair) => pair.split("=", 2) as [string, string]));
      startArgs = match[2]?.trim().split(/\s+/) ?? [];
    }
    if (fence.lang !== "sh") return;
    const next = fences[index + 1];
    const answer = next && (next.lang === "json" || next.lang === "text") ? { kind: next.lang as "json" | "text", body: next.body } : undefined;
    steps.push({ line: fence.line, script: fence.body, answer });
  });
  if (!startEnv) throw new Error("the walk-through has no ```bash block with npm start");
  return { startEnv, startArgs, steps };
}

/** Points the default ports of `host:port` addresses at the ones actually used. */
export function withPorts(text: string, ports: Record<number, number>): string {
  return text.replace(/\b(localhost|127\.0\.0\.1):(\d+)\b/g, (whole, host: string, port: string) => (ports[Number(port)] ? `${host}:${ports[Number(port)]}` : whole));
}

const pattern = (expected: string) => new RegExp(`^${expected.split(ANY).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("[\\s\\S]*")}$`);

/** Where `actual` differs from the shown `expected`; empty when it matches. */
export function jsonMismatches(actual: unknown, expected: unknown, path = "$"): string[] {
  if (expected === ANY) return [];
  const show = (value: unknown) => JSON.stringify(value)?.slice(0, 200);
  if (typeof expected === "string" && expected.includes(ANY)) {
    return typeof actual === "string" && pattern(expected).test(actual) ? [] : [`${path}: expected ${show(expected)}, got ${show(actual)}`];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: expected a list, got ${show(actual)}`];
    const open = expected.at(-1) === ANY;
    const items = open ? expected.slice(0, -1) : expected;
    if (open ? actual.length < items.length : actual.length !== items.length) {
      return [`${path}: expected ${open ? "at least " : ""}${items.length} items, got ${actual.length}`];
    }
    return items.flatMap((item, index) => jsonMismatches(actual[index], item, `${path}[${index}]`));
  }
  if (expected !== null && typeof expected === "object") {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) return [`${path}: expected an object, got ${show(actual)}`];
    return Object.entries(expected).flatMap(([key, value]) => {
      if (key === ANY) return [];
      if (!(key in actual)) return [`${path}.${key}: missing`];
      return jsonMismatches((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
    });
  }
  return Object.is(actual, expected) ? [] : [`${path}: expected ${show(expected)}, got ${show(actual)}`];
}

/** Each shown line must be found in the output, in order. */
export function textMismatches(actual: string, expected: string): string[] {
  const lines = actual.split("\n").map((line) => line.trim());
  let at = 0;
  for (const wanted of expected.split("\n").map((line) => line.trim()).filter(Boolean)) {
    const test = pattern(wanted);
    const found = lines.findIndex((line, index) => index >= at && test.test(line));
    if (found < 0) return [`no output line matches ${JSON.stringify(wanted)}`];
    at = found + 1;
  }
  return [];
}

/** Where the output of a step differs from its shown answer. */
export function answerMismatches(output: string, answer: NonNullable<Step["answer"]>): string[] {
  if (answer.kind === "text") return textMismatches(output, answer.body);
  let actual: unknown;
  try {
    actual = JSON.parse(output);
  } catch {
    return [`the output is not JSON: ${output.slice(0, 300)}`];
  }
  return jsonMismatches(actual, JSON.parse(answer.body));
}

/**
 * Renders tables as aligned plain text. Width is computed on the plain text
 * and colour is applied after padding, so ANSI codes never break alignment.
 */
import type { Cell, Table, Tone } from "./suite";

export interface RenderOptions {
  /** Colour PASS/FAIL cells; only on a terminal, so files and CI logs stay plain. */
  color: boolean;
}

const TONE_COLORS: Record<Tone, string> = { pass: "\u001b[32m", fail: "\u001b[1;31m" };
const RESET = "\u001b[0m";

const textOf = (cell: Cell | undefined): string => (cell === undefined ? "" : typeof cell === "string" ? cell : cell.text);

export function renderTable(table: Table, options: RenderOptions): string {
  const widths = table.columns.map((column, index) =>
    Math.max(column.header.length, ...table.rows.map((row) => textOf(row[index]).length)),
  );
  const line = (cells: (Cell | undefined)[]): string =>
    table.columns
      .map((column, index) => {
        const cell = cells[index];
        const text = textOf(cell);
        const width = widths[index] ?? text.length;
        const padded = column.align === "right" ? text.padStart(width) : text.padEnd(width);
        const tone = typeof cell === "object" ? cell.tone : undefined;
        return options.color && tone ? `${TONE_COLORS[tone]}${padded}${RESET}` : padded;
      })
      .join("  ")
      .trimEnd();
  const rule = widths.map((width) => "-".repeat(width)).join("  ");
  return [table.title, line(table.columns.map((column) => column.header)), rule, ...table.rows.map(line)].join("\n");
}

/**
 * The distinct customers of one storefront and day, in a form whose size does
 * not grow with the orders: the customer ids themselves while there are at
 * most EXACT_LIMIT of them, and always a HyperLogLog of 2^10 one-byte
 * registers. Days union into a period: the union of the ids when every day
 * still has them (exact), else the union of the registers (an estimate with
 * a standard error of about 3%).
 *
 * A sketch depends only on the set of customers, so adding a customer twice
 * changes nothing, and a sketch rebuilt from the orders equals one kept up to
 * date order by order.
 */
import { createHash } from "node:crypto";

export const EXACT_LIMIT = 100;
const PRECISION = 10;
const REGISTERS = 1 << PRECISION;
const ALPHA = 0.7213 / (1 + 1.079 / REGISTERS);

export interface CustomerSketch {
  /** Sorted customer ids, or null once the day had more than EXACT_LIMIT. */
  ids: number[] | null;
  registers: Uint8Array;
}

export const emptySketch = (): CustomerSketch => ({ ids: [], registers: new Uint8Array(REGISTERS) });

/** The register a customer falls in and the rank it sets there (1 + leading zeros of the remaining 54 hash bits). */
function registerOf(customerId: number): { index: number; rank: number } {
  const digest = createHash("sha256").update(String(customerId)).digest();
  const high = digest.readUInt32BE(0);
  const low = digest.readUInt32BE(4);
  const index = high >>> (32 - PRECISION);
  const rest = high & ((1 << (32 - PRECISION)) - 1);
  const rank = rest !== 0 ? Math.clz32(rest) - PRECISION + 1 : 32 - PRECISION + (low !== 0 ? Math.clz32(low) : 32) + 1;
  return { index, rank };
}

/** The sketch with some customers added; the same object when none was new. */
export function withCustomers(sketch: CustomerSketch, customerIds: Iterable<number>): CustomerSketch {
  const registers = Uint8Array.from(sketch.registers);
  const ids = sketch.ids === null ? null : new Set(sketch.ids);
  let changed = false;
  for (const customerId of customerIds) {
    const { index, rank } = registerOf(customerId);
    if (registers[index]! < rank) {
      registers[index] = rank;
      changed = true;
    }
    if (ids !== null && !ids.has(customerId)) {
      ids.add(customerId);
      changed = true;
    }
  }
  if (!changed) return sketch;
  return { ids: ids === null || ids.size > EXACT_LIMIT ? null : [...ids].sort((a, b) => a - b), registers };
}

export const sketchOf = (customerIds: Iterable<number>): CustomerSketch => withCustomers(emptySketch(), customerIds);

export function sameSketch(a: CustomerSketch, b: CustomerSketch): boolean {
  const sameIds = a.ids === null || b.ids === null ? a.ids === b.ids : a.ids.length === b.ids.length && a.ids.every((id, index) => id === b.ids![index]);
  return sameIds && Buffer.from(a.registers).equals(Buffer.from(b.registers));
}

function estimate(registers: Uint8Array): number {
  let sum = 0;
  let zeros = 0;
  for (const rank of registers) {
    sum += 2 ** -rank;
    if (rank === 0) zeros += 1;
  }
  const raw = (ALPHA * REGISTERS * REGISTERS) / sum;
  // Small cardinalities: linear counting is the better estimate.
  if (raw <= 2.5 * REGISTERS && zeros > 0) return Math.round(REGISTERS * Math.log(REGISTERS / zeros));
  return Math.round(raw);
}

/** Distinct customers over several days: exact while every day kept its ids. */
export function distinctCustomers(sketches: CustomerSketch[]): { count: number; exact: boolean } {
  if (sketches.every((sketch) => sketch.ids !== null)) {
    return { count: new Set(sketches.flatMap((sketch) => sketch.ids!)).size, exact: true };
  }
  const union = new Uint8Array(REGISTERS);
  for (const sketch of sketches) for (let index = 0; index < REGISTERS; index++) union[index] = Math.max(union[index]!, sketch.registers[index]!);
  return { count: estimate(union), exact: false };
}

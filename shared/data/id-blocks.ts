import { nextId } from "./sequence";

/**
 * Ids for entities created in bulk (products, from catalog imports), handed
 * out from blocks reserved with one increment of a sequence. Taking each id
 * from the sequence makes its one item a hot key: every create writes it
 * (one partition takes about 1,000 writes a second), and that write was a
 * third of a product upsert's cost. Each function instance keeps its block in
 * memory, so ids stay unique integers, but they are not dense (an instance
 * that ends leaves the rest of its block unused) and instances' ids interleave.
 */
export const ID_BLOCK_SIZE = 100;

interface Block {
  next: number;
  last: number;
}

const blocks = new Map<string, Block>();
/** One reservation at a time per sequence, however many requests an instance serves at once. */
const reservations = new Map<string, Promise<void>>();

/** Block n of the `<name>-block` sequence holds ids (n - 1) × size + 1 ... n × size. */
async function reserve(name: string): Promise<void> {
  const number = await nextId(`${name}-block`);
  blocks.set(name, { next: (number - 1) * ID_BLOCK_SIZE + 1, last: number * ID_BLOCK_SIZE });
}

export async function nextIdFromBlock(name: string): Promise<number> {
  for (;;) {
    const block = blocks.get(name);
    if (block && block.next <= block.last) return block.next++;
    let reservation = reservations.get(name);
    if (!reservation) {
      reservation = reserve(name).finally(() => reservations.delete(name));
      reservations.set(name, reservation);
    }
    await reservation;
  }
}

import { beforeEach, describe, expect, it, vi } from "vitest";

const nextId = vi.hoisted(() => vi.fn<(name: string) => Promise<number>>());
vi.mock("../../shared/data/sequence", () => ({ nextId }));

const { ID_BLOCK_SIZE, nextIdFromBlock } = await import("../../shared/data/id-blocks");

describe("ids from blocks", () => {
  beforeEach(() => {
    let blocks = 0;
    nextId.mockReset();
    nextId.mockImplementation(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return ++blocks;
    });
  });

  it("hands out unique ids, reserving one block per ID_BLOCK_SIZE ids even under concurrent requests", async () => {
    const ids = await Promise.all(Array.from({ length: ID_BLOCK_SIZE * 2 + 1 }, () => nextIdFromBlock("widget")));
    expect(new Set(ids).size).toBe(ids.length);
    expect(Math.min(...ids)).toBe(1);
    expect(Math.max(...ids)).toBe(ID_BLOCK_SIZE * 2 + 1);
    expect(nextId).toHaveBeenCalledTimes(3);
    expect(nextId).toHaveBeenCalledWith("widget-block");
  });

  it("lets the next request retry when a reservation fails", async () => {
    nextId.mockRejectedValueOnce(new Error("throttled"));
    await expect(nextIdFromBlock("gadget")).rejects.toThrow("throttled");
    expect(await nextIdFromBlock("gadget")).toBe(1);
  });
});

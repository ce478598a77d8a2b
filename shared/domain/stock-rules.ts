/**
 * A storefront's stock rules: how much of the hub's available quantity a
 * channel is shown. Units are held back first (the safety buffer), then a
 * share of the rest is published, capped at a maximum.
 */

export interface StockRules {
  /** Units held back from the channel. */
  inventory_safety_buffer: number;
  /** Share of the available quantity (less the buffer) published, 1 to 100. */
  inventory_percentage: number;
  /** The most ever published; null for no cap. */
  inventory_max_quantity: number | null;
}

export const STOCK_RULE_DEFAULTS: StockRules = {
  inventory_safety_buffer: 0,
  inventory_percentage: 100,
  inventory_max_quantity: null,
};

/** The rules of a stored storefront, the defaults for those it never set (storefronts stored before the rules existed). */
export function stockRulesOf(stored: Partial<StockRules>): StockRules {
  return {
    inventory_safety_buffer: stored.inventory_safety_buffer ?? STOCK_RULE_DEFAULTS.inventory_safety_buffer,
    inventory_percentage: stored.inventory_percentage ?? STOCK_RULE_DEFAULTS.inventory_percentage,
    inventory_max_quantity: stored.inventory_max_quantity ?? STOCK_RULE_DEFAULTS.inventory_max_quantity,
  };
}

/** The quantity a channel is shown: min(max, floor(max(0, available − buffer) × percentage / 100)), never negative. */
export function publishedQuantity(available: number, rules: StockRules): number {
  const afterBuffer = Math.max(0, Math.floor(available) - rules.inventory_safety_buffer);
  // Integer arithmetic: 100 × 29 / 100 must give 29, not 28.999….
  const share = Math.floor((afterBuffer * rules.inventory_percentage) / 100);
  return rules.inventory_max_quantity === null ? share : Math.min(rules.inventory_max_quantity, share);
}

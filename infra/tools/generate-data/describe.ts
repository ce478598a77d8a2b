/**
 * The generation report in a few lines for a person.
 */
import type { GeneratedOrder, GenerationReport } from "./types";

export function describeGeneration(report: GenerationReport): string[] {
  const written = report.orders.filter((order) => order.written);
  const count = (pick: (order: GeneratedOrder) => string) => {
    const counts: Record<string, number> = {};
    for (const order of report.orders) counts[pick(order)] = (counts[pick(order)] ?? 0) + 1;
    return Object.entries(counts).sort(([, a], [, b]) => b - a).map(([name, n]) => `${name} ${n}`).join(", ");
  };
  return [
    `Generated ${report.orders.length} orders over ${report.days} days (${report.from.slice(0, 10)} to ${report.to.slice(0, 10)}), seed ${report.seed}: ${written.length} written, ${report.orders.length - written.length} there already.`,
    ...report.storefronts.map((storefront) => `  ${storefront.storefront_code} (${storefront.storefront_id}, ${storefront.default_currency}, ${storefront.time_zone}): ${storefront.orders_generated} orders, ${storefront.orders_written} written`),
    `  currencies: ${count((order) => order.currency)}`,
    `  order status: ${count((order) => order.order_status)}`,
    `  payment status: ${count((order) => order.payment_status)}`,
    `  catalog: ${report.catalog.sellable} sellable products and variants; customers: ${report.customers.generated} (${report.customers.written} new)`,
    `  carts: ${report.carts.generated} (${report.carts.written} new): ${Object.entries(report.carts.byStatus).map(([status, n]) => `${status} ${n}`).join(", ")}`,
    `Write time: ${(report.writeMs / 1000).toFixed(1)} s for ${report.itemsWritten} items (${report.ordersPerSecond} orders/s); ${(report.totalMs / 1000).toFixed(1)} s in all.`,
  ];
}

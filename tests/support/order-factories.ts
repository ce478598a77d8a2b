/** Order request bodies: valid by default (the contract's import example), with only what a test cares about overridden. */
import { randomUUID } from "node:crypto";

const suffix = () => randomUUID().slice(0, 8);

export function lineItemInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    external_item_id: `item_${suffix()}`,
    product_name: "Executive Office Desk",
    sku: "DESK-001",
    quantity: 1,
    unit_price: 599.99,
    total_amount: 599.99,
    ...overrides,
  };
}

export function orderInput(storefrontId: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const id = suffix();
  return {
    storefront_id: storefrontId,
    external_order_id: `order_${id}`,
    external_order_number: `ORD-${id}`,
    customer_email: `customer-${id}@example.com`,
    customer_first_name: "Jane",
    customer_last_name: "Smith",
    order_date: "2024-12-04T15:00:00Z",
    total_amount: 662.99,
    subtotal_amount: 599.99,
    shipping_amount: 15.0,
    tax_amount: 48.0,
    currency: "USD",
    shipping_address: {
      first_name: "Jane",
      last_name: "Smith",
      address_line1: "456 Oak Avenue",
      city: "New York",
      state_province: "NY",
      postal_code: "10001",
      country: "USA",
    },
    order_status: "pending",
    payment_status: "paid",
    payment_method: "credit_card",
    line_items: [lineItemInput()],
    ...overrides,
  };
}

/**
 * The shoppers who place the orders, and their customers: created as an
 * order import creates them, or found when an earlier run made them.
 */
import { reserveIds } from "../../../shared/data/orders";
import { findCustomerIds, insertCustomer } from "../../../shared/data/customers";
import { newCustomerRecord } from "../../../shared/domain/customer-records";
import type { Storefront } from "./catalog";
import { iso } from "./local-time";
import { randomFor } from "./random";
import { FIRST_NAMES, LAST_NAMES } from "./shape";
import { inPool, WRITE_CONCURRENCY } from "./writes";

export interface Shopper {
  index: number;
  storefront: Storefront;
  email: string;
  externalId: string;
  firstName: string;
  lastName: string;
  phone: string;
}

export function shopperOf(seed: number, storefront: Storefront, index: number): Shopper {
  const random = randomFor(seed, "customer", storefront.code, index);
  const firstName = random.pick(FIRST_NAMES);
  const lastName = random.pick(LAST_NAMES);
  const local = `${firstName}.${lastName}`.toLowerCase().normalize("NFD").replace(/[^a-z.]/g, "");
  return {
    index,
    storefront,
    email: `${local}.${seed}.${storefront.code.toLowerCase()}.${index}@${random.pick(["example.com", "example.org", "example.net"])}`,
    externalId: `gen-${seed}-cust-${index}`,
    firstName,
    lastName,
    phone: `+1-555-${String(random.int(100, 999))}-${String(random.int(1000, 9999))}`,
  };
}

/**
 * Each shopper's customer: known from an order there already, else created as an order import does (the
 * customer's email and external id claimed in one transaction); a claim taken already (an interrupted earlier
 * run) finds the customer holding it.
 */
export async function ensureCustomers(shoppers: { shopper: Shopper; firstOrder: number; knownId?: number }[]) {
  const byKey = new Map<string, number>();
  const keyOf = (shopper: Shopper) => `${shopper.storefront.id}#${shopper.index}`;
  for (const { shopper, knownId } of shoppers) if (knownId !== undefined) byKey.set(keyOf(shopper), knownId);
  const missing = shoppers.filter((entry) => entry.knownId === undefined).sort((a, b) => a.firstOrder - b.firstOrder || a.shopper.index - b.shopper.index);
  const firstId = missing.length === 0 ? 0 : await reserveIds("customer", missing.length);
  let written = 0;
  await inPool(missing.map((entry, index) => ({ ...entry, id: firstId + index })), WRITE_CONCURRENCY, async ({ shopper, firstOrder, id }) => {
    const record = newCustomerRecord(
      { ecommerce_customer_id: id, storefront_id: shopper.storefront.id, external_customer_id: shopper.externalId, email: shopper.email, first_name: shopper.firstName, last_name: shopper.lastName, phone: shopper.phone, currency: shopper.storefront.currency },
      iso(firstOrder + 30_000),
    );
    if (await insertCustomer(record)) {
      written += 1;
      byKey.set(keyOf(shopper), id);
      return;
    }
    const found = await findCustomerIds(shopper.storefront.id, shopper.externalId, shopper.email);
    const theirs = found.byExternalId ?? found.byEmail;
    if (theirs === undefined) throw new Error(`customer ${shopper.email} could be neither created nor found`);
    byKey.set(keyOf(shopper), theirs);
  });
  return { byKey, written };
}

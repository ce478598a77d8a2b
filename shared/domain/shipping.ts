import { ConflictError, NotFoundError, ValidationError } from "../http/errors";
import { nextId } from "../data/sequence";
import { deleteShippingMethod, getShippingMethod, listShippingMethods, putShippingMethod } from "../data/shipping-methods";
import type { CreateShippingMethodInput, RateQuoteInput, UpdateShippingMethodInput } from "../schemas/shipping";
import { requireKnownStorefront, requireStorefrontAccess } from "./catalog-access";
import { currencyDecimals, formatMinorUnits, toMinorUnits } from "./money";
import { assertDaysInOrder, gramsOf, isAvailable, newShippingMethod, rateMinor, shippingMethodView, toMethodChanges, type ShippingMethodRecord } from "./shipping-records";
import type { Principal } from "./roles";

const MAX_WRITE_ATTEMPTS = 5;

export async function createShippingMethod(input: CreateShippingMethodInput, principal: Principal) {
  const { storefront_id: storefrontId, ...fields } = input;
  const storefront = await requireKnownStorefront(principal, storefrontId, "body.storefront_id");
  const changes = toMethodChanges(fields, storefront.default_currency);
  const method = newShippingMethod({ shipping_method_id: await nextId("shipping_method"), storefront_id: storefrontId, currency: storefront.default_currency }, changes, new Date().toISOString());
  await putShippingMethod(method);
  return shippingMethodView(method);
}

async function readAccessible(id: number, principal: Principal): Promise<ShippingMethodRecord> {
  const method = await getShippingMethod(id);
  if (!method) throw new NotFoundError("Shipping method", id);
  requireStorefrontAccess(principal, method.storefront_id);
  return method;
}

export const readShippingMethod = async (id: number, principal: Principal) => shippingMethodView(await readAccessible(id, principal));

export async function listStorefrontShippingMethods(storefrontId: number, principal: Principal) {
  await requireKnownStorefront(principal, storefrontId, "query.storefront_id");
  return (await listShippingMethods(storefrontId)).map(shippingMethodView);
}

export async function updateShippingMethod(id: number, input: UpdateShippingMethodInput, principal: Principal) {
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
    const current = await readAccessible(id, principal);
    const next: ShippingMethodRecord = { ...current, ...toMethodChanges(input, current.currency), updated_at: new Date().toISOString(), version: current.version + 1 };
    assertDaysInOrder(next);
    if (await putShippingMethod(next, current.version)) return shippingMethodView(next);
  }
  throw new ConflictError("concurrent_update", `Shipping method ${id} kept changing while this request tried to write it; retry`);
}

export async function removeShippingMethod(id: number, principal: Principal): Promise<void> {
  await readAccessible(id, principal);
  await deleteShippingMethod(id);
}

/** Quotes every available method of the storefront, cheapest first. */
export async function quoteRates(input: RateQuoteInput, principal: Principal) {
  const storefront = await requireKnownStorefront(principal, input.storefront_id, "body.storefront_id");
  const currency = storefront.default_currency;
  const orderMinor = toMinorUnits(input.order_amount, currency);
  if (orderMinor === undefined) throw new ValidationError([{ field: "body.order_amount", message: `must have at most ${currencyDecimals(currency)} decimals in ${currency}` }]);
  const request = { country: input.country, orderMinor: Number(orderMinor), grams: gramsOf(input.weight), itemCount: input.item_count };
  const quotes = (await listShippingMethods(input.storefront_id))
    .filter((method) => isAvailable(method, request))
    .map((method) => ({ method, rate: rateMinor(method, request) }))
    .sort((a, b) => a.rate - b.rate || a.method.shipping_method_id - b.method.shipping_method_id);
  return {
    rates: quotes.map(({ method, rate }) => ({
      shipping_method_id: method.shipping_method_id,
      method_name: method.method_name,
      method_code: method.method_code,
      carrier: method.carrier,
      service_level: method.service_level,
      rate: formatMinorUnits(rate, currency),
      currency,
      is_free: rate === 0,
      min_delivery_days: method.min_delivery_days,
      max_delivery_days: method.max_delivery_days,
      estimated_delivery_text: method.estimated_delivery_text,
    })),
  };
}

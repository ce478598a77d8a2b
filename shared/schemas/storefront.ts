import * as v from "valibot";
import { currencyCode, email, idParam, intParam, optionalText, quantity, text, timeZone, url } from "./common";
import { defineOperation } from "../api/operation";
import { CART_SETTING_DEFAULTS } from "../carts/settings";
import { STOCK_RULE_DEFAULTS } from "../domain/stock-rules";

export const PLATFORM_TYPES = ["shopify", "woocommerce", "magento", "custom", "amazon", "ebay", "etsy"] as const;
export const CONNECTION_STATUSES = ["connected", "disconnected", "error"] as const;
export const CREDENTIAL_FIELDS = ["api_key", "api_secret", "api_token", "webhook_secret"] as const;
export type CredentialField = (typeof CREDENTIAL_FIELDS)[number];

/** Letters, digits, "-" and "_", with at least one letter so that a code never reads as an id. */
export const storefrontCode = v.pipe(
  text(50, 2),
  v.regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, "may hold only letters, digits, '-' and '_'"),
  v.regex(/[A-Za-z]/, "must contain at least one letter"),
);

const credential = v.optional(v.nullable(v.pipe(v.string(), v.minLength(1, "must not be empty"), v.maxLength(4096, "must have at most 4096 characters"))));

/** Every writable field; `null` clears an optional one. */
const storefrontFields = {
  storefront_code: storefrontCode,
  storefront_name: text(200, 1),
  platform_type: v.picklist(PLATFORM_TYPES, `must be one of ${PLATFORM_TYPES.join(", ")}`),
  platform_url: v.optional(v.nullable(url)),
  api_endpoint: v.optional(v.nullable(url)),
  api_key: credential,
  api_secret: credential,
  api_token: credential,
  webhook_secret: credential,
  default_currency: currencyCode,
  default_language: v.pipe(v.string(), v.regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "must be a language tag such as en or en-US")),
  timezone: timeZone,
  auto_sync_products: v.boolean(),
  auto_sync_orders: v.boolean(),
  auto_sync_inventory: v.boolean(),
  auto_sync_customers: v.boolean(),
  inventory_safety_buffer: quantity,
  inventory_percentage: v.pipe(v.number("must be a number"), v.integer("must be a whole number"), v.minValue(1, "must be at least 1"), v.maxValue(100, "must be at most 100")),
  inventory_max_quantity: v.optional(v.nullable(quantity)),
  sync_frequency_minutes: v.pipe(v.number(), v.integer("must be a whole number"), v.minValue(1, "must be at least 1"), v.maxValue(1440, "must be at most 1440")),
  auto_create_sales_orders: v.boolean(),
  auto_fulfill_orders: v.boolean(),
  order_prefix: optionalText(20),
  is_active: v.boolean(),
  is_connected: v.boolean(),
  connection_status: v.picklist(CONNECTION_STATUSES, `must be one of ${CONNECTION_STATUSES.join(", ")}`),
  created_by: v.optional(v.nullable(v.pipe(v.number(), v.integer()))),
  abandoned_cart_hours: v.pipe(v.number(), v.integer("must be a whole number"), v.minValue(1, "must be at least 1"), v.maxValue(720, "must be at most 720")),
  auto_recover_carts: v.boolean(),
  recovery_email_delays_hours: v.pipe(
    v.array(v.pipe(v.number(), v.integer("must be whole hours"), v.minValue(1, "must be at least 1"), v.maxValue(720, "must be at most 720")), "must be a list of hours"),
    v.minLength(1, "must have at least one delay"),
    v.maxLength(3, "must have at most 3 delays"),
    v.check((hours) => hours.every((hour, index) => index === 0 || hour > hours[index - 1]!), "must be increasing"),
  ),
  recovery_daily_send_limit: v.pipe(v.number(), v.integer("must be a whole number"), v.minValue(0, "must not be negative"), v.maxValue(1_000_000, "must be at most 1000000")),
  recovery_sender_email: v.optional(v.nullable(email)),
};

const DEFAULTS = {
  default_currency: "USD",
  default_language: "en",
  timezone: "UTC",
  auto_sync_products: true,
  auto_sync_orders: true,
  auto_sync_inventory: true,
  auto_sync_customers: false,
  sync_frequency_minutes: 15,
  auto_create_sales_orders: false,
  auto_fulfill_orders: false,
  is_active: true,
  connection_status: "disconnected",
  abandoned_cart_hours: CART_SETTING_DEFAULTS.abandoned_cart_hours,
  auto_recover_carts: CART_SETTING_DEFAULTS.auto_recover_carts,
  recovery_daily_send_limit: CART_SETTING_DEFAULTS.recovery_daily_send_limit,
} as const;

export const createStorefrontBody = v.object({
  ...storefrontFields,
  default_currency: v.optional(storefrontFields.default_currency, DEFAULTS.default_currency),
  default_language: v.optional(storefrontFields.default_language, DEFAULTS.default_language),
  timezone: v.optional(storefrontFields.timezone, DEFAULTS.timezone),
  auto_sync_products: v.optional(storefrontFields.auto_sync_products, DEFAULTS.auto_sync_products),
  auto_sync_orders: v.optional(storefrontFields.auto_sync_orders, DEFAULTS.auto_sync_orders),
  auto_sync_inventory: v.optional(storefrontFields.auto_sync_inventory, DEFAULTS.auto_sync_inventory),
  auto_sync_customers: v.optional(storefrontFields.auto_sync_customers, DEFAULTS.auto_sync_customers),
  inventory_safety_buffer: v.optional(storefrontFields.inventory_safety_buffer, STOCK_RULE_DEFAULTS.inventory_safety_buffer),
  inventory_percentage: v.optional(storefrontFields.inventory_percentage, STOCK_RULE_DEFAULTS.inventory_percentage),
  inventory_max_quantity: v.optional(v.nullable(quantity), STOCK_RULE_DEFAULTS.inventory_max_quantity),
  sync_frequency_minutes: v.optional(storefrontFields.sync_frequency_minutes, DEFAULTS.sync_frequency_minutes),
  auto_create_sales_orders: v.optional(storefrontFields.auto_create_sales_orders, DEFAULTS.auto_create_sales_orders),
  auto_fulfill_orders: v.optional(storefrontFields.auto_fulfill_orders, DEFAULTS.auto_fulfill_orders),
  is_active: v.optional(storefrontFields.is_active, DEFAULTS.is_active),
  // No default here: an explicit false means "do not test the connection yet" (the domain defaults it to false).
  is_connected: v.optional(v.pipe(storefrontFields.is_connected, v.description("false: save the storefront without testing its connection"))),
  connection_status: v.optional(storefrontFields.connection_status, DEFAULTS.connection_status),
  abandoned_cart_hours: v.optional(storefrontFields.abandoned_cart_hours, DEFAULTS.abandoned_cart_hours),
  auto_recover_carts: v.optional(storefrontFields.auto_recover_carts, DEFAULTS.auto_recover_carts),
  recovery_email_delays_hours: v.optional(storefrontFields.recovery_email_delays_hours, () => [...CART_SETTING_DEFAULTS.recovery_email_delays_hours]),
  recovery_daily_send_limit: v.optional(storefrontFields.recovery_daily_send_limit, DEFAULTS.recovery_daily_send_limit),
});
export type CreateStorefrontInput = v.InferOutput<typeof createStorefrontBody>;

export const updateStorefrontBody = v.pipe(
  v.partial(v.object(storefrontFields)),
  v.check((body) => Object.keys(body).length > 0, "must change at least one field"),
);
export type UpdateStorefrontInput = v.InferOutput<typeof updateStorefrontBody>;

/** `{id}` is the numeric storefront id or its storefront_code. */
export const storefrontRefParams = v.object({
  id: v.union([idParam, storefrontCode], "must be a storefront id or storefront_code"),
});

export const listStorefrontsQuery = v.object({
  platform_type: v.optional(v.picklist(PLATFORM_TYPES, `must be one of ${PLATFORM_TYPES.join(", ")}`)),
  is_active: v.optional(v.pipe(v.picklist(["true", "false"], "must be true or false"), v.transform((value) => value === "true"))),
  limit: v.optional(intParam(1, 200), "100"),
  cursor: v.optional(v.string()),
});

const credentialState = v.object({ is_set: v.boolean(), last4: v.nullable(v.string()) });

/** What the API returns for a storefront: credentials are never shown, only whether each is set. */
export const storefrontView = v.object({
  storefront_id: v.number(),
  storefront_code: v.string(),
  storefront_name: v.string(),
  platform_type: v.picklist(PLATFORM_TYPES),
  platform_url: v.nullable(v.string()),
  api_endpoint: v.nullable(v.string()),
  credentials: v.object(Object.fromEntries(CREDENTIAL_FIELDS.map((field) => [field, credentialState])) as Record<CredentialField, typeof credentialState>),
  default_currency: v.string(),
  default_language: v.string(),
  timezone: v.string(),
  auto_sync_products: v.boolean(),
  auto_sync_orders: v.boolean(),
  auto_sync_inventory: v.boolean(),
  auto_sync_customers: v.boolean(),
  inventory_safety_buffer: v.pipe(v.number(), v.description("Units held back from this channel")),
  inventory_percentage: v.pipe(v.number(), v.description("Share (1 to 100) of the available quantity, less the buffer, published to this channel")),
  inventory_max_quantity: v.pipe(v.nullable(v.number()), v.description("The most ever published to this channel; null for no cap")),
  sync_frequency_minutes: v.number(),
  last_product_sync_at: v.nullable(v.string()),
  last_order_sync_at: v.nullable(v.string()),
  last_order_reconciliation_at: v.pipe(v.nullable(v.string()), v.description("When the daily reconciliation last pulled the orders updated in the 48 hours before it (or a full order sync ran)")),
  last_inventory_sync_at: v.nullable(v.string()),
  last_customer_sync_at: v.nullable(v.string()),
  auto_create_sales_orders: v.boolean(),
  auto_fulfill_orders: v.boolean(),
  order_prefix: v.nullable(v.string()),
  is_active: v.boolean(),
  is_connected: v.boolean(),
  connection_status: v.picklist(CONNECTION_STATUSES),
  connection_error: v.pipe(v.nullable(v.string()), v.description("Why the last connection test or sync failed (the platform's message), while connection_status is error; null otherwise")),
  created_by: v.nullable(v.number()),
  abandoned_cart_hours: v.pipe(v.number(), v.description("Inactivity after which an active cart is abandoned")),
  auto_recover_carts: v.pipe(v.boolean(), v.description("Send the recovery email sequence automatically")),
  recovery_email_delays_hours: v.pipe(v.array(v.number()), v.description("When each email of the sequence goes, in hours after abandonment")),
  recovery_daily_send_limit: v.pipe(v.number(), v.description("Recovery emails sent per day at most (UTC days)")),
  recovery_sender_email: v.nullable(v.string()),
  created_at: v.string(),
  updated_at: v.string(),
  product_count: v.number(),
  order_count: v.number(),
  total_revenue: v.pipe(v.string(), v.description("Revenue in default_currency, as a decimal string")),
});

export type StorefrontView = v.InferOutput<typeof storefrontView>;

export const storefrontResponse = v.object({ message: v.optional(v.string()), storefront: storefrontView });
export const storefrontListResponse = v.object({
  storefronts: v.array(storefrontView),
  next_cursor: v.nullable(v.string()),
});

const tags = ["Storefronts"];
const refPath = "/api/ecommerce/storefronts/{id}";

export const storefrontOperations = {
  create: defineOperation({
    method: "POST", path: "/api/ecommerce/storefronts", tags, role: "admin",
    summary:
      "Create a storefront connection; credentials are encrypted and never returned. A Shopify or WooCommerce storefront with its credentials is tested at once (connection_status, connection_error); it is created whatever the outcome",
    body: createStorefrontBody,
    responses: { 201: { description: "Created", schema: storefrontResponse } },
  }),
  list: defineOperation({
    method: "GET", path: "/api/ecommerce/storefronts", tags, role: "viewer",
    summary: "List storefronts with their product and order counts and revenue",
    query: listStorefrontsQuery,
    responses: { 200: { description: "Storefronts", schema: storefrontListResponse } },
  }),
  get: defineOperation({
    method: "GET", path: refPath, tags, role: "viewer",
    summary: "Read one storefront by id or storefront_code",
    params: storefrontRefParams,
    responses: { 200: { description: "The storefront", schema: storefrontResponse } },
  }),
  update: defineOperation({
    method: "PUT", path: refPath, tags, role: "admin",
    summary: "Change a storefront's fields; null clears an optional field or a credential. A change of platform, address or API credentials tests the connection again",
    params: storefrontRefParams,
    body: updateStorefrontBody,
    responses: { 200: { description: "Updated", schema: storefrontResponse } },
  }),
  delete: defineOperation({
    method: "DELETE", path: refPath, tags, role: "admin",
    summary: "Delete a storefront that has no products or orders (409 otherwise)",
    params: storefrontRefParams,
    responses: { 200: { description: "Deleted" } },
  }),
};

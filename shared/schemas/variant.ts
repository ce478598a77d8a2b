import * as v from "valibot";
import { amount, externalId, idParam, optionalText, quantity, url } from "./common";
import { syncStatus } from "./product";
import { defineOperation } from "../api/operation";

/** Platforms allow up to three options per product (Size, Color, Material...). */
export const MAX_VARIANT_OPTIONS = 3;
const OPTION_NUMBERS = [1, 2, 3] as const;
type OptionKey = `option${(typeof OPTION_NUMBERS)[number]}_${"name" | "value"}`;

const optionText = optionalText(255);
const optionFields = Object.fromEntries(
  OPTION_NUMBERS.flatMap((n) => [
    [`option${n}_name`, optionText],
    [`option${n}_value`, optionText],
  ]),
) as Record<OptionKey, typeof optionText>;

/** Every field a request may set on a variant; `null` clears an optional one. */
const variantFields = {
  external_variant_id: v.optional(v.nullable(externalId)),
  variant_name: optionalText(255),
  sku: optionalText(100),
  ...optionFields,
  /** The same options as a list, as some platforms send them; replaces option1..3. */
  options: v.optional(
    v.pipe(
      v.array(v.object({ name: optionalText(255), value: optionText }), "must be an array of { name, value }"),
      v.maxLength(MAX_VARIANT_OPTIONS, `must have at most ${MAX_VARIANT_OPTIONS} options`),
    ),
  ),
  price: v.optional(amount),
  compare_at_price: v.optional(v.nullable(amount)),
  inventory_quantity: v.optional(quantity),
  inventory_tracked: v.optional(v.boolean("must be true or false")),
  weight: v.optional(v.nullable(v.pipe(v.number("must be a number"), v.minValue(0, "must not be negative"), v.maxValue(1_000_000, "must be at most 1000000")))),
  barcode: optionalText(100),
  image_url: v.optional(v.nullable(url)),
  is_available: v.optional(v.boolean("must be true or false")),
  sync_status: v.optional(syncStatus),
};

const field = (key: string, input: Record<string, unknown>) => ({ type: "object" as const, origin: "value" as const, input, key, value: input[key] });

/**
 * Refuses a fourth option (option4_name, option5_value...), `options` combined
 * with option1..3 fields, and an option value without its name or the reverse.
 * The object schema would otherwise drop unknown keys silently.
 */
function checkOptions({ dataset, addIssue }: v.RawCheckContext<Record<string, unknown>>): void {
  if (!dataset.typed) return;
  const input = dataset.value;
  for (const key of Object.keys(input)) {
    const number = /^option(\d+)_(name|value)$/.exec(key)?.[1];
    if (number && Number(number) > MAX_VARIANT_OPTIONS) {
      addIssue({ message: `a variant has at most ${MAX_VARIANT_OPTIONS} options`, path: [field(key, input)] });
    }
  }
  const usesFields = OPTION_NUMBERS.some((n) => input[`option${n}_name`] !== undefined || input[`option${n}_value`] !== undefined);
  if (input.options !== undefined && usesFields) {
    addIssue({ message: "cannot be combined with option1_name...option3_value", path: [field("options", input)] });
  }
  for (const n of OPTION_NUMBERS) {
    const name = input[`option${n}_name`];
    const value = input[`option${n}_value`];
    if (name !== undefined && value !== undefined && (name === null) !== (value === null)) {
      addIssue({ message: `needs option${n}_name and option${n}_value together`, path: [field(`option${n}_${name === null ? "name" : "value"}`, input)] });
    }
  }
  const options = input.options as { name?: string | null; value?: string | null }[] | undefined;
  options?.forEach((option, index) => {
    if (option.name && option.value) return;
    addIssue({
      message: "needs a name and a value",
      path: [field("options", input), { type: "array", origin: "value", input: options, key: index, value: option }],
    });
  });
}

type VariantFields = v.InferOutput<v.ObjectSchema<typeof variantFields, undefined>>;
export type VariantFieldsInput = Omit<VariantFields, "options">;

/** `options: [{name, value}]` becomes option1..3; the list form sets all three (missing ones cleared). */
function normalizeOptions(input: VariantFields): VariantFieldsInput {
  const { options, ...rest } = input;
  const known: Record<string, unknown> = {};
  for (const key of Object.keys(variantFields)) if (key !== "options" && key in rest) known[key] = rest[key as keyof typeof rest];
  if (options) {
    for (const n of OPTION_NUMBERS) {
      known[`option${n}_name`] = options[n - 1]?.name ?? null;
      known[`option${n}_value`] = options[n - 1]?.value ?? null;
    }
  }
  return known as VariantFieldsInput;
}

const variantBody = (atLeastOneField: boolean) =>
  v.pipe(
    v.looseObject(variantFields),
    v.rawCheck(checkOptions),
    v.check((body) => !atLeastOneField || Object.keys(variantFields).some((key) => key in body), "must change at least one field"),
    v.transform((body) => normalizeOptions(body as VariantFields)),
  );

export const createVariantBody = variantBody(false);
export const updateVariantBody = variantBody(true);
export type CreateVariantInput = v.InferOutput<typeof createVariantBody>;
export type UpdateVariantInput = v.InferOutput<typeof updateVariantBody>;

export const productVariantsParams = v.object({ id: idParam });
export const variantParams = v.object({ id: idParam, variant_id: idParam });

const nullableText = v.nullable(v.string());

export const variantView = v.object({
  variant_id: v.number(),
  ecommerce_product_id: v.number(),
  external_variant_id: nullableText,
  variant_name: v.string(),
  sku: nullableText,
  ...(Object.fromEntries(Object.keys(optionFields).map((key) => [key, nullableText])) as Record<OptionKey, typeof nullableText>),
  price: v.pipe(v.string(), v.description("Decimal amount in the product's currency")),
  compare_at_price: nullableText,
  inventory_quantity: v.number(),
  inventory_tracked: v.boolean(),
  weight: v.nullable(v.number()),
  barcode: nullableText,
  image_url: nullableText,
  is_available: v.boolean(),
  sync_status: v.string(),
  created_at: v.string(),
  updated_at: v.string(),
});

const variantResponse = v.object({ message: v.string(), variant: variantView, product_inventory_quantity: v.number(), variant_count: v.number() });

const tags = ["Product variants"];
const listPath = "/api/ecommerce/products/{id}/variants";
const itemPath = "/api/ecommerce/products/{id}/variants/{variant_id}";

export const variantOperations = {
  list: defineOperation({
    method: "GET", path: listPath, tags, role: "viewer",
    summary: "List a product's variants",
    params: productVariantsParams,
    responses: { 200: { description: "Variants", schema: v.object({ variants: v.array(variantView) }) } },
  }),
  create: defineOperation({
    method: "POST", path: listPath, tags, role: "operator",
    summary: `Add a variant (at most ${MAX_VARIANT_OPTIONS} options); the product's inventory becomes the sum of its variants'`,
    params: productVariantsParams,
    body: createVariantBody,
    responses: { 201: { description: "Created", schema: variantResponse } },
  }),
  update: defineOperation({
    method: "PUT", path: itemPath, tags, role: "operator",
    summary: "Change a variant; the product's inventory follows",
    params: variantParams,
    body: updateVariantBody,
    responses: { 200: { description: "Updated", schema: variantResponse } },
  }),
  delete: defineOperation({
    method: "DELETE", path: itemPath, tags, role: "operator",
    summary: "Delete a variant; its quantity leaves the product's inventory",
    params: variantParams,
    responses: { 200: { description: "Deleted" } },
  }),
};

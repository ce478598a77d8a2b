/** The GraphQL Admin API documents the Shopify connector sends. */

export const SHOPIFY_API_VERSION = "2025-01";

export const SHOP_QUERY = `query Shop { shop { name myshopifyDomain currencyCode } }`;

const VARIANT_FIELDS = `id title sku price compareAtPrice barcode inventoryQuantity inventoryPolicy
  selectedOptions { name value }
  inventoryItem { id tracked }`;

export const PRODUCTS_QUERY = `query Products($first: Int!, $after: String, $query: String, $variantsFirst: Int!) {
  products(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id title handle descriptionHtml vendor productType status tags publishedAt updatedAt
      featuredImage { url }
      images(first: 10) { nodes { id url } }
      options { name position }
      variants(first: $variantsFirst) {
        pageInfo { hasNextPage endCursor }
        nodes { ${VARIANT_FIELDS} }
      }
    }
  }
}`;

export const PRODUCT_VARIANTS_QUERY = `query ProductVariants($id: ID!, $first: Int!, $after: String) {
  product(id: $id) {
    variants(first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { ${VARIANT_FIELDS} }
    }
  }
}`;

const MONEY = `shopMoney { amount }`;
const ADDRESS = `firstName lastName company address1 address2 city province provinceCode zip country countryCodeV2 phone`;
const LINE_ITEM_FIELDS = `id title variantTitle sku quantity requiresShipping taxable
  product { id }
  variant { id }
  originalUnitPriceSet { ${MONEY} }
  discountAllocations { allocatedAmountSet { ${MONEY} } }
  taxLines { priceSet { ${MONEY} } }`;

export const ORDERS_QUERY = `query Orders($first: Int!, $after: String, $query: String, $linesFirst: Int!) {
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id name email phone createdAt updatedAt processedAt cancelledAt
      displayFinancialStatus displayFulfillmentStatus currencyCode taxesIncluded test note tags paymentGatewayNames
      totalPriceSet { ${MONEY} }
      totalTaxSet { ${MONEY} }
      totalDiscountsSet { ${MONEY} }
      totalShippingPriceSet { ${MONEY} }
      customer { id firstName lastName email phone }
      shippingAddress { ${ADDRESS} }
      billingAddress { ${ADDRESS} }
      shippingLines(first: 5) {
        nodes { title originalPriceSet { ${MONEY} } discountedPriceSet { ${MONEY} } discountAllocations { allocatedAmountSet { ${MONEY} } } }
      }
      lineItems(first: $linesFirst) {
        pageInfo { hasNextPage endCursor }
        nodes { ${LINE_ITEM_FIELDS} }
      }
    }
  }
}`;

export const ORDER_LINE_ITEMS_QUERY = `query OrderLineItems($id: ID!, $first: Int!, $after: String) {
  order(id: $id) {
    lineItems(first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { ${LINE_ITEM_FIELDS} }
    }
  }
}`;

export const CUSTOMERS_QUERY = `query Customers($first: Int!, $after: String) {
  customers(first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { id email firstName lastName phone note tags updatedAt emailMarketingConsent { marketingState } }
  }
}`;

export const PRIMARY_LOCATION_QUERY = `query PrimaryLocation { location { id } }`;

export const VARIANTS_BY_SKU_QUERY = `query VariantsBySku($first: Int!, $query: String!) {
  productVariants(first: $first, query: $query) { nodes { id sku inventoryItem { id } } }
}`;

export const VARIANTS_BY_ID_QUERY = `query VariantsById($ids: [ID!]!) {
  nodes(ids: $ids) { ... on ProductVariant { id inventoryItem { id } } }
}`;

export const SET_QUANTITIES_MUTATION = `mutation SetQuantities($input: InventorySetQuantitiesInput!) {
  inventorySetQuantities(input: $input) {
    inventoryAdjustmentGroup { reason }
    userErrors { code field message }
  }
}`;

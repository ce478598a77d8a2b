import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { PutCommand, DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { inject } from "vitest";
import { startTestStack, type TestStack } from "../support/test-stack";
import { storefrontInput } from "../support/factories";

let hub: TestStack;

beforeAll(async () => {
  hub = await startTestStack();
});
afterAll(async () => {
  await hub?.stop();
});

const SECRETS = {
  api_key: "shpat_live_0123456789abcdefKEY1",
  api_secret: "shpss_secret_value_ABCDEFGH9876",
  api_token: "token-XYZ-very-secret-5555",
  webhook_secret: "whsec_rotating_secret_7777",
};

describe("creating a storefront", () => {
  it("stores it with encrypted credentials and answers 201 with them masked", async () => {
    // is_connected: false: saved without a connection test (the address is not a platform these tests can reach).
    const input = storefrontInput({ ...SECRETS, platform_type: "woocommerce", sync_frequency_minutes: 30, is_connected: false });
    const created = await hub.call("POST", "/api/ecommerce/storefronts", { json: input });

    expect(created.status).toBe(201);
    expect(created.body.message).toBe("Storefront created successfully");
    const storefront = created.body.storefront;
    expect(storefront).toMatchObject({
      storefront_code: input.storefront_code,
      platform_type: "woocommerce",
      sync_frequency_minutes: 30,
      default_currency: "USD",
      timezone: "UTC",
      is_active: true,
      connection_status: "disconnected",
      connection_error: null,
      inventory_safety_buffer: 0,
      inventory_percentage: 100,
      inventory_max_quantity: null,
      product_count: 0,
      order_count: 0,
      total_revenue: "0.00",
    });
    expect(Number.isInteger(storefront.storefront_id)).toBe(true);
    expect(storefront.credentials).toEqual({
      api_key: { is_set: true, last4: "KEY1" },
      api_secret: { is_set: true, last4: "9876" },
      api_token: { is_set: true, last4: "5555" },
      webhook_secret: { is_set: true, last4: "7777" },
    });
    for (const secret of Object.values(SECRETS)) expect(created.text).not.toContain(secret);
  });

  it("never writes a credential in clear text to the table", async () => {
    const input = storefrontInput({ ...SECRETS, is_connected: false });
    expect((await hub.call("POST", "/api/ecommerce/storefronts", { json: input })).status).toBe(201);
    const client = new DynamoDBClient({ endpoint: inject("endpoints").dynamodb });
    const { Items } = await client.send(new ScanCommand({ TableName: hub.table.tableName }));
    const dump = JSON.stringify(Items);
    expect(dump).toContain(String(input.storefront_code));
    for (const secret of Object.values(SECRETS)) expect(dump).not.toContain(secret);
  });

  it("applies the contract's defaults and accepts the seed's request body as it is", async () => {
    const response = await hub.call("POST", "/api/ecommerce/storefronts", {
      json: {
        storefront_code: "WOO-US-SEED",
        storefront_name: "US WooCommerce Store",
        platform_type: "woocommerce",
        platform_url: "https://store.example.com",
        api_endpoint: "https://store.example.com/wp-json/wc/v3",
        api_key: "ck_xxxxxxxxxxxx",
        api_secret: "cs_xxxxxxxxxxxx",
        auto_sync_products: true,
        auto_sync_orders: true,
        auto_sync_inventory: true,
        sync_frequency_minutes: 15,
        default_currency: "USD",
        is_active: true,
        created_by: 1,
      },
    });
    expect(response.status).toBe(201);
    expect(response.body.storefront).toMatchObject({ created_by: 1, auto_sync_customers: false, api_endpoint: "https://store.example.com/wp-json/wc/v3" });
    expect(Object.keys(response.body.storefront).slice(0, 4)).toEqual(["storefront_id", "storefront_code", "storefront_name", "platform_type"]);
  });

  it("answers 409 for a storefront_code already taken, in any letter case", async () => {
    const input = storefrontInput();
    expect((await hub.call("POST", "/api/ecommerce/storefronts", { json: input })).status).toBe(201);
    const again = await hub.call("POST", "/api/ecommerce/storefronts", {
      json: storefrontInput({ storefront_code: String(input.storefront_code).toLowerCase() }),
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("duplicate_storefront_code");
    expect(again.body.error.details).toEqual([{ field: "body.storefront_code", message: "is already used by another storefront" }]);
  });
});

describe("stock rules", () => {
  const RULES = ["inventory_safety_buffer", "inventory_percentage", "inventory_max_quantity"];

  it("stores the rules given, shows them right after the auto_sync settings, and changes them on update", async () => {
    const created = await hub.createStorefront({ inventory_safety_buffer: 5, inventory_percentage: 80, inventory_max_quantity: 250 });
    expect(created).toMatchObject({ inventory_safety_buffer: 5, inventory_percentage: 80, inventory_max_quantity: 250 });
    const keys = Object.keys(created);
    expect(keys.slice(keys.indexOf("auto_sync_customers") + 1, keys.indexOf("auto_sync_customers") + 4)).toEqual(RULES);

    const updated = await hub.call("PUT", `/api/ecommerce/storefronts/${created.storefront_id}`, { json: { inventory_percentage: 100, inventory_max_quantity: null } });
    expect(updated.status).toBe(200);
    expect(updated.body.storefront).toMatchObject({ inventory_safety_buffer: 5, inventory_percentage: 100, inventory_max_quantity: null });
    expect((await hub.call("GET", `/api/ecommerce/storefronts/${created.storefront_id}`)).body.storefront).toMatchObject({
      inventory_safety_buffer: 5,
      inventory_percentage: 100,
      inventory_max_quantity: null,
    });
  });

  it("answers 400 naming each invalid rule, on create and on update", async () => {
    const created = await hub.call("POST", "/api/ecommerce/storefronts", {
      json: storefrontInput({ inventory_safety_buffer: -1, inventory_percentage: 0, inventory_max_quantity: 2.5 }),
    });
    expect(created.status).toBe(400);
    expect(created.body.error.details.map((issue: { field: string }) => issue.field).sort()).toEqual(RULES.map((field) => `body.${field}`).sort());

    const storefront = await hub.createStorefront();
    for (const [field, value] of [
      ["inventory_percentage", 101],
      ["inventory_percentage", 50.5],
      ["inventory_percentage", null],
      ["inventory_safety_buffer", "3"],
      ["inventory_safety_buffer", null],
      ["inventory_max_quantity", -1],
    ] as const) {
      const response = await hub.call("PUT", `/api/ecommerce/storefronts/${storefront.storefront_id}`, { json: { [field]: value } });
      expect(response.status, `${field} = ${JSON.stringify(value)}`).toBe(400);
      expect(response.body.error.details.map((issue: { field: string }) => issue.field)).toEqual([`body.${field}`]);
    }
    expect((await hub.call("GET", `/api/ecommerce/storefronts/${storefront.storefront_id}`)).body.storefront).toMatchObject({
      inventory_safety_buffer: 0,
      inventory_percentage: 100,
      inventory_max_quantity: null,
    });
  });

  it("reads a storefront stored before the rules existed with the defaults", async () => {
    const created = await hub.createStorefront({ inventory_safety_buffer: 3, inventory_percentage: 50, inventory_max_quantity: 10 });
    const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: inject("endpoints").dynamodb }));
    await doc.send(
      new UpdateCommand({
        TableName: hub.table.tableName,
        Key: { pk: `STOREFRONT#${created.storefront_id}`, sk: "STOREFRONT" },
        UpdateExpression: "REMOVE inventory_safety_buffer, inventory_percentage, inventory_max_quantity",
      }),
    );
    const read = await hub.call("GET", `/api/ecommerce/storefronts/${created.storefront_id}`);
    expect(read.body.storefront).toMatchObject({ inventory_safety_buffer: 0, inventory_percentage: 100, inventory_max_quantity: null });
    const listed = await hub.call("GET", "/api/ecommerce/storefronts?limit=200");
    expect(listed.body.storefronts.find((s: { storefront_id: number }) => s.storefront_id === created.storefront_id)).toMatchObject({
      inventory_safety_buffer: 0,
      inventory_percentage: 100,
      inventory_max_quantity: null,
    });
  });
});

describe("bad input", () => {
  it("answers 400 naming each invalid field, and writes nothing", async () => {
    const before = await hub.call("GET", "/api/ecommerce/storefronts?limit=200");
    const response = await hub.call("POST", "/api/ecommerce/storefronts", {
      json: storefrontInput({ platform_type: "shopware", sync_frequency_minutes: -5, default_currency: "dollars", timezone: "Mars/Base" }),
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("validation_error");
    const fields = response.body.error.details.map((issue: { field: string }) => issue.field).sort();
    expect(fields).toEqual(["body.default_currency", "body.platform_type", "body.sync_frequency_minutes", "body.timezone"]);
    const after = await hub.call("GET", "/api/ecommerce/storefronts?limit=200");
    expect(after.body.storefronts.length).toBe(before.body.storefronts.length);
  });

  it("names a missing required field", async () => {
    const { storefront_name: _omitted, ...input } = storefrontInput();
    const response = await hub.call("POST", "/api/ecommerce/storefronts", { json: input });
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual([expect.objectContaining({ field: "body.storefront_name" })]);
  });

  it("answers 400 invalid_json for malformed JSON", async () => {
    const response = await hub.call("POST", "/api/ecommerce/storefronts", { body: '{"storefront_code": "X1",', headers: { "content-type": "application/json" } });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: { code: "invalid_json", message: "The request body is not valid JSON" } });
  });

  it("answers 415 for a body that is not JSON", async () => {
    const response = await hub.call("POST", "/api/ecommerce/storefronts", { body: "storefront_code=X1", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(response.status).toBe(415);
    expect(response.body.error.code).toBe("unsupported_media_type");
  });

  it("answers 413 for a body over the limit", async () => {
    const response = await hub.call("POST", "/api/ecommerce/storefronts", { json: storefrontInput({ storefront_name: "x".repeat(300 * 1024) }) });
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe("payload_too_large");
  });

  it("rejects a code that would read as an id, and oversized strings", async () => {
    const response = await hub.call("POST", "/api/ecommerce/storefronts", { json: storefrontInput({ storefront_code: "12345", storefront_name: "n".repeat(201) }) });
    expect(response.status).toBe(400);
    expect(response.body.error.details.map((issue: { field: string }) => issue.field).sort()).toEqual(["body.storefront_code", "body.storefront_name"]);
  });
});

describe("API keys and roles", () => {
  it("answers 401 without a key (as API Gateway does)", async () => {
    const response = await hub.call("GET", "/api/ecommerce/storefronts", { key: null });
    expect(response.status).toBe(401);
  });

  it("answers 401 in the hub's error shape for an unknown key", async () => {
    const response = await hub.call("GET", "/api/ecommerce/storefronts", { key: "och_not-a-real-key" });
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe("unauthorized");
  });

  it("answers 403 when the role is too low", async () => {
    const viewerCreate = await hub.call("POST", "/api/ecommerce/storefronts", { key: hub.keys.viewer, json: storefrontInput() });
    expect(viewerCreate.status).toBe(403);
    expect(viewerCreate.body.error.code).toBe("forbidden");
    const operatorCreate = await hub.call("POST", "/api/ecommerce/storefronts", { key: hub.keys.operator, json: storefrontInput() });
    expect(operatorCreate.status).toBe(403);
    expect((await hub.call("GET", "/api/ecommerce/storefronts", { key: hub.keys.viewer })).status).toBe(200);
  });

  it("limits a key to its storefronts", async () => {
    const mine = (await hub.createStorefront());
    const other = (await hub.createStorefront());
    const scoped = await hub.issueKey("viewer", [mine.storefront_id]);

    const list = await hub.call("GET", "/api/ecommerce/storefronts?limit=200", { key: scoped.token });
    expect(list.body.storefronts.map((s: { storefront_id: number }) => s.storefront_id)).toEqual([mine.storefront_id]);
    expect((await hub.call("GET", `/api/ecommerce/storefronts/${mine.storefront_id}`, { key: scoped.token })).status).toBe(200);
    const denied = await hub.call("GET", `/api/ecommerce/storefronts/${other.storefront_code}`, { key: scoped.token });
    expect(denied.status).toBe(403);
  });

  it("stops accepting a revoked key", async () => {
    const { revokeApiKey } = await import("../../shared/data/api-keys");
    const { token, keyId } = await hub.issueKey("viewer");
    expect((await hub.call("GET", "/api/ecommerce/storefronts", { key: token })).status).toBe(200);
    expect(await revokeApiKey(keyId, new Date().toISOString())).toBe(true);
    // A fresh token string bypasses the gateway's authorizer cache; the key itself must now fail.
    const { authenticate } = await import("../../shared/domain/api-keys");
    expect(await authenticate(`Bearer ${token}`)).toBeUndefined();
  });
});

describe("reading storefronts", () => {
  it("reads one by id and by storefront_code, and answers 404 for neither", async () => {
    const created = (await hub.createStorefront());
    const byId = await hub.call("GET", `/api/ecommerce/storefronts/${created.storefront_id}`);
    const byCode = await hub.call("GET", `/api/ecommerce/storefronts/${created.storefront_code.toLowerCase()}`);
    expect(byId.status).toBe(200);
    expect(byId.body.storefront).toEqual(created);
    expect(byCode.body.storefront).toEqual(created);
    const missing = await hub.call("GET", "/api/ecommerce/storefronts/999999");
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("not_found");
  });

  it("lists in id order with statistics from the counters, page by page", async () => {
    const a = (await hub.createStorefront({ default_currency: "EUR" }));
    const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: inject("endpoints").dynamodb }));
    await doc.send(new PutCommand({ TableName: hub.table.tableName, Item: { pk: `STOREFRONT#${a.storefront_id}`, sk: "STATS#ORDERS", order_count: 3, revenue_minor: { EUR: 249997, USD: 500 } } }));
    await doc.send(new PutCommand({ TableName: hub.table.tableName, Item: { pk: `STOREFRONT#${a.storefront_id}`, sk: "STATS#CATALOG", product_count: 7 } }));

    const all = await hub.call("GET", "/api/ecommerce/storefronts?limit=200");
    const ids = all.body.storefronts.map((s: { storefront_id: number }) => s.storefront_id);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(all.body.storefronts.find((s: { storefront_id: number }) => s.storefront_id === a.storefront_id)).toMatchObject({
      product_count: 7,
      order_count: 3,
      total_revenue: "2499.97",
    });

    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { storefronts: { storefront_id: number }[]; next_cursor: string | null } } = await hub.call(
        "GET",
        `/api/ecommerce/storefronts?limit=2${cursor ? `&cursor=${cursor}` : ""}`,
      );
      expect(page.body.storefronts.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.storefronts.map((s) => s.storefront_id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(ids);
  });

  it("answers 400 for a cursor it did not issue", async () => {
    const response = await hub.call("GET", "/api/ecommerce/storefronts?cursor=not-a-cursor");
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("invalid_cursor");
  });
});

describe("updating and deleting", () => {
  it("changes fields, replaces and clears credentials, and keeps the rest", async () => {
    const created = (await hub.createStorefront({ api_key: "first-key-AAAA", api_secret: "secret-BBBB" }));
    const updated = await hub.call("PUT", `/api/ecommerce/storefronts/${created.storefront_code}`, {
      json: { storefront_name: "Renamed", api_key: "second-key-CCCC", api_secret: null, sync_frequency_minutes: 5 },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.storefront).toMatchObject({ storefront_name: "Renamed", sync_frequency_minutes: 5, platform_type: created.platform_type });
    expect(updated.body.storefront.credentials.api_key).toEqual({ is_set: true, last4: "CCCC" });
    expect(updated.body.storefront.credentials.api_secret).toEqual({ is_set: false, last4: null });
    expect(updated.body.storefront.updated_at > created.updated_at).toBe(true);
    expect(updated.text).not.toContain("second-key-CCCC");
  });

  it("moves the storefront_code claim when the code changes", async () => {
    const created = (await hub.createStorefront());
    const newCode = `${created.storefront_code}-NEW`;
    expect((await hub.call("PUT", `/api/ecommerce/storefronts/${created.storefront_id}`, { json: { storefront_code: newCode } })).status).toBe(200);
    expect((await hub.call("GET", `/api/ecommerce/storefronts/${newCode}`)).body.storefront.storefront_id).toBe(created.storefront_id);
    expect((await hub.call("GET", `/api/ecommerce/storefronts/${created.storefront_code}`)).status).toBe(404);
    expect((await hub.call("POST", "/api/ecommerce/storefronts", { json: storefrontInput({ storefront_code: created.storefront_code }) })).status).toBe(201);
  });

  it("answers 400 for an empty update and 404 for an unknown storefront", async () => {
    const created = (await hub.createStorefront());
    expect((await hub.call("PUT", `/api/ecommerce/storefronts/${created.storefront_id}`, { json: {} })).status).toBe(400);
    expect((await hub.call("PUT", "/api/ecommerce/storefronts/NOPE-404", { json: { storefront_name: "x" } })).status).toBe(404);
  });

  it("deletes a storefront without products or orders, and refuses one with orders", async () => {
    const empty = (await hub.createStorefront());
    expect((await hub.call("DELETE", `/api/ecommerce/storefronts/${empty.storefront_id}`)).status).toBe(200);
    expect((await hub.call("GET", `/api/ecommerce/storefronts/${empty.storefront_id}`)).status).toBe(404);

    const busy = (await hub.createStorefront());
    const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: inject("endpoints").dynamodb }));
    await doc.send(new PutCommand({ TableName: hub.table.tableName, Item: { pk: `STOREFRONT#${busy.storefront_id}`, sk: "STATS#ORDERS", order_count: 1, revenue_minor: {} } }));
    const refused = await hub.call("DELETE", `/api/ecommerce/storefronts/${busy.storefront_id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("storefront_in_use");
    expect((await hub.call("GET", `/api/ecommerce/storefronts/${busy.storefront_id}`)).status).toBe(200);
  });

  it("lets only admins change or delete", async () => {
    const created = (await hub.createStorefront());
    expect((await hub.call("PUT", `/api/ecommerce/storefronts/${created.storefront_id}`, { key: hub.keys.operator, json: { storefront_name: "x" } })).status).toBe(403);
    expect((await hub.call("DELETE", `/api/ecommerce/storefronts/${created.storefront_id}`, { key: hub.keys.viewer })).status).toBe(403);
  });
});

describe("the OpenAPI document", () => {
  it("is served without a key and describes every route of the wiring", async () => {
    const { httpOperations } = await import("../../infra/wiring");
    const response = await hub.call("GET", "/openapi.json", { key: null });
    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe("3.1.0");
    for (const operation of httpOperations()) {
      expect(response.body.paths[operation.path]?.[operation.method.toLowerCase()], `${operation.method} ${operation.path}`).toBeDefined();
    }
    const create = response.body.paths["/api/ecommerce/storefronts"].post;
    expect(create.requestBody.content["application/json"].schema.properties.platform_type.enum).toContain("woocommerce");
    expect(create.requestBody.content["application/json"].schema.required).toEqual(["storefront_code", "storefront_name", "platform_type"]);
  });

  it("has a readable docs page", async () => {
    const response = await fetch(`${hub.url}/docs`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("/openapi.json");
  });
});

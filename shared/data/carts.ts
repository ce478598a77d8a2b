import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, type TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { documentClient, tableName } from "./client";
import { batchGetItems, keyString, type TableKey } from "./batch";
import { cancellationCodes } from "./transactions";
import { INDEXES, TTL_ATTRIBUTE } from "./table-definition";
import type { CartRecord } from "../domain/cart-records";

/**
 * Carts and their recovery emails.
 * Access patterns:
 * - a cart ........................................ GetItem pk = CART#<id>, sk = CART
 * - resolve (storefront, external_cart_id | cart_token)  GetItem pk = STOREFRONT#<sid>#EXTCART#<id> | #CARTTOKEN#<token>, sk = LOOKUP
 * - a storefront's active carts by abandonment deadline  byCollection (sparse: only active carts carry it):
 *     gsi1pk = STOREFRONT#<sid>#ACTIVE_CARTS, gsi1sk = <abandon_after ISO>#<id, 10 digits>
 * - a storefront's abandoned carts, newest first ...... byCollection (sparse: only abandoned carts):
 *     gsi1pk = STOREFRONT#<sid>#ABANDONED_CARTS, gsi1sk = <abandoned_at ISO>#<id, 10 digits>
 * - recovery emails due, by time ...................... Query pk = STOREFRONT#<sid>#RECOVERY_DUE, sk <= <now ISO>~
 *     (sk = <due ISO>#<cart id, 10 digits>#<step>)
 * - the emails a cart was sent, one per step ........... pk = CART#<id>, sk = EMAIL#<step>
 * - recovery emails sent per storefront and UTC day .... pk = STOREFRONT#<sid>, sk = EMAILS_SENT#<YYYY-MM-DD>
 * - suppressed addresses of a storefront ............... GetItem pk = STOREFRONT#<sid>#SUPPRESSED#<email>, sk = SUPPRESSION
 * - cart counters per storefront and currency .......... pk = STOREFRONT#<sid>, sk = STATS#CARTS#<currency>
 */
export const cartKey = (id: number): TableKey => ({ pk: `CART#${id}`, sk: "CART" });
export const cartLookupKey = (storefrontId: number, kind: "EXTCART" | "CARTTOKEN", value: string): TableKey => ({
  pk: `STOREFRONT#${storefrontId}#${kind}#${value}`,
  sk: "LOOKUP",
});
export const activeCartsCollection = (storefrontId: number) => `STOREFRONT#${storefrontId}#ACTIVE_CARTS`;
export const abandonedCartsCollection = (storefrontId: number) => `STOREFRONT#${storefrontId}#ABANDONED_CARTS`;
const padId = (id: number) => String(id).padStart(10, "0");
const recoveryDuePartition = (storefrontId: number) => `STOREFRONT#${storefrontId}#RECOVERY_DUE`;
export const recoveryEmailKey = (cartId: number, step: number): TableKey => ({ pk: `CART#${cartId}`, sk: `EMAIL#${step}` });
const dailySendsKey = (storefrontId: number, day: string): TableKey => ({ pk: `STOREFRONT#${storefrontId}`, sk: `EMAILS_SENT#${day}` });
export const suppressionKey = (storefrontId: number, email: string): TableKey => ({ pk: `STOREFRONT#${storefrontId}#SUPPRESSED#${email.toLowerCase()}`, sk: "SUPPRESSION" });
export const cartStatsKey = (storefrontId: number, currency: string): TableKey => ({ pk: `STOREFRONT#${storefrontId}`, sk: `STATS#CARTS#${currency}` });

type Item = Record<string, unknown>;
type Actions = NonNullable<TransactWriteCommandInput["TransactItems"]>;

const INTERNAL = ["pk", "sk", "gsi1pk", "gsi1sk", "entity"];
export function toCartRecord(item: Item): CartRecord {
  const copy = { ...item };
  for (const attribute of INTERNAL) delete copy[attribute];
  return copy as unknown as CartRecord;
}

/** Where the cart sits in the sparse indexes: active carts by deadline, abandoned ones by abandonment time; others nowhere. */
function indexAttributes(cart: CartRecord): Item {
  if (cart.cart_status === "active" && cart.abandon_after) return { gsi1pk: activeCartsCollection(cart.storefront_id), gsi1sk: `${cart.abandon_after}#${padId(cart.cart_id)}` };
  if (cart.cart_status === "abandoned" && cart.abandoned_at) return { gsi1pk: abandonedCartsCollection(cart.storefront_id), gsi1sk: `${cart.abandoned_at}#${padId(cart.cart_id)}` };
  return {};
}

export const cartItem = (cart: CartRecord): Item => ({ ...cartKey(cart.cart_id), ...indexAttributes(cart), entity: "cart", ...cart });

const lookupKeysOf = (cart: Pick<CartRecord, "storefront_id" | "external_cart_id" | "cart_token">): TableKey[] => [
  ...(cart.external_cart_id ? [cartLookupKey(cart.storefront_id, "EXTCART", cart.external_cart_id)] : []),
  ...(cart.cart_token ? [cartLookupKey(cart.storefront_id, "CARTTOKEN", cart.cart_token)] : []),
];

/** The cart ids a storefront's external cart id and cart token point to, in that order (consistent reads). */
export async function findCartIds(storefrontId: number, externalCartId: string | null, cartToken: string | null): Promise<number[]> {
  const keys = lookupKeysOf({ storefront_id: storefrontId, external_cart_id: externalCartId, cart_token: cartToken });
  const found = await batchGetItems(keys, { consistentRead: true });
  return [...new Set(keys.flatMap((key) => (found.has(keyString(key)) ? [Number(found.get(keyString(key))!.cart_id)] : [])))];
}

export async function getCart(id: number, options: { consistentRead?: boolean } = {}): Promise<CartRecord | undefined> {
  const { Item } = await documentClient.send(new GetCommand({ TableName: tableName(), Key: cartKey(id), ConsistentRead: options.consistentRead }));
  return Item ? toCartRecord(Item) : undefined;
}

export async function getCarts(ids: number[]): Promise<Map<number, CartRecord>> {
  const found = await batchGetItems(ids.map(cartKey));
  return new Map(ids.flatMap((id) => (found.has(keyString(cartKey(id))) ? [[id, toCartRecord(found.get(keyString(cartKey(id)))!)] as const] : [])));
}

const claimLookup = (key: TableKey, cartId: number): Actions[number] => ({
  Put: {
    TableName: tableName(),
    Item: { ...key, entity: "cart_lookup", cart_id: cartId },
    ConditionExpression: "attribute_not_exists(pk) OR cart_id = :cart",
    ExpressionAttributeValues: { ":cart": cartId },
  },
});

/** The cart's Put: a new cart (expectedVersion undefined) only if absent, else only if nobody wrote it since it was read. */
const putCart = (cart: CartRecord, expectedVersion: number | undefined): Actions[number] => ({
  Put: {
    TableName: tableName(),
    Item: cartItem(cart),
    ...(expectedVersion === undefined
      ? { ConditionExpression: "attribute_not_exists(pk)" }
      : { ConditionExpression: "#version = :expected", ExpressionAttributeNames: { "#version": "version" }, ExpressionAttributeValues: { ":expected": expectedVersion } }),
  },
});

/** Runs a cart's transaction; false when another writer got there first. */
async function transactCart(actions: Actions): Promise<boolean> {
  try {
    await documentClient.send(new TransactWriteCommand({ TransactItems: actions }));
    return true;
  } catch (error) {
    if (lostRace(error)) return false;
    throw error;
  }
}

/**
 * Writes a cart: a new one (expectedVersion undefined) with its lookups, or a
 * change to one nobody wrote since it was read. False when someone did, or
 * when another cart claimed one of its keys first: read again and retry.
 */
export const writeCart = (cart: CartRecord, expectedVersion: number | undefined): Promise<boolean> =>
  transactCart([...lookupKeysOf(cart).map((key) => claimLookup(key, cart.cart_id)), putCart(cart, expectedVersion)]);

/** Replaces a cart if its version is still `expectedVersion`, with extra actions in the same transaction; false when it moved on. */
export const replaceCart = (cart: CartRecord, expectedVersion: number, extra: Actions = []): Promise<boolean> => transactCart([putCart(cart, expectedVersion), ...extra]);

/** Someone wrote first: a failed version or claim condition, or a concurrent transaction on the same items. Read again and retry. */
function lostRace(error: unknown): boolean {
  const codes = cancellationCodes(error);
  return codes !== undefined && (codes.includes("ConditionalCheckFailed") || codes.includes("TransactionConflict"));
}

/** A page of a storefront's active carts whose deadline has passed at `now`, oldest deadline first. */
export async function queryOverdueActiveCarts(storefrontId: number, now: string, limit: number, startKey?: Item) {
  const page = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: INDEXES.byCollection.name,
      KeyConditionExpression: "gsi1pk = :collection AND gsi1sk <= :now",
      ExpressionAttributeValues: { ":collection": activeCartsCollection(storefrontId), ":now": `${now}#~` },
      Limit: limit,
      ExclusiveStartKey: startKey,
    }),
  );
  return { carts: (page.Items ?? []).map(toCartRecord), lastKey: page.LastEvaluatedKey };
}

/** A page of a storefront's abandoned carts, newest first, optionally only those abandoned at or after `since`. */
export async function queryAbandonedCarts(storefrontId: number, options: { limit: number; startKey?: Item; since?: string }) {
  const values: Item = { ":collection": abandonedCartsCollection(storefrontId) };
  if (options.since) values[":since"] = options.since;
  const page = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: INDEXES.byCollection.name,
      KeyConditionExpression: options.since ? "gsi1pk = :collection AND gsi1sk >= :since" : "gsi1pk = :collection",
      ExpressionAttributeValues: values,
      ScanIndexForward: false,
      Limit: options.limit,
      ExclusiveStartKey: options.startKey,
    }),
  );
  return { carts: (page.Items ?? []).map(toCartRecord), lastKey: page.LastEvaluatedKey };
}

/** Where a Query of the abandoned carts continues after `cart`. */
export const abandonedContinuationKey = (cart: CartRecord): Item => ({ ...cartKey(cart.cart_id), gsi1pk: abandonedCartsCollection(cart.storefront_id), gsi1sk: `${cart.abandoned_at}#${padId(cart.cart_id)}` });
export const abandonedSortKey = (cart: CartRecord) => `${cart.abandoned_at}#${padId(cart.cart_id)}`;

export interface RecoveryDue {
  storefront_id: number;
  cart_id: number;
  step: number;
  due_at: string;
  /** The abandonment the step belongs to: a cart reactivated and abandoned again starts a new one, and older steps are dropped. */
  abandoned_at: string;
  template: string;
}

export const recoveryDueKey = (due: RecoveryDue): TableKey => ({ pk: recoveryDuePartition(due.storefront_id), sk: `${due.due_at}#${padId(due.cart_id)}#${due.step}` });

const recoveryDueItem = (due: RecoveryDue) => ({ ...recoveryDueKey(due), entity: "recovery_due", ...due });

/** The action that schedules a cart's recovery email step (inside another transaction). */
export const scheduleRecoveryAction = (due: RecoveryDue): Actions[number] => ({ Put: { TableName: tableName(), Item: recoveryDueItem(due) } });

export async function scheduleRecovery(due: RecoveryDue): Promise<void> {
  await documentClient.send(new PutCommand({ TableName: tableName(), Item: recoveryDueItem(due) }));
}

/** A page of a storefront's recovery emails due at or before `now`, oldest first. */
export async function queryDueRecoveries(storefrontId: number, now: string, limit: number): Promise<RecoveryDue[]> {
  const page = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: "pk = :pk AND sk <= :now",
      ExpressionAttributeValues: { ":pk": recoveryDuePartition(storefrontId), ":now": `${now}#~` },
      Limit: limit,
    }),
  );
  return (page.Items ?? []).map((item) => ({
    storefront_id: Number(item.storefront_id),
    cart_id: Number(item.cart_id),
    step: Number(item.step),
    due_at: String(item.due_at),
    abandoned_at: String(item.abandoned_at),
    template: typeof item.template === "string" ? item.template : "default",
  }));
}

export interface SentEmailRecord {
  cart_id: number;
  storefront_id: number;
  step: number;
  template: string;
  recipient: string;
  status: "sending" | "sent";
  ses_message_id: string | null;
  claimed_at: string;
  sent_at: string | null;
}

/**
 * Claims (cart, step) for sending and counts the send against the day's limit,
 * in one transaction: "claimed", "taken" (that step was claimed before: a
 * redelivered message, an overlapping campaign) or "limit" (the day's sends are used up).
 */
export async function claimRecoveryEmail(email: SentEmailRecord, day: string, dailyLimit: number): Promise<"claimed" | "taken" | "limit" | "conflict"> {
  try {
    await documentClient.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName(),
              Item: { ...recoveryEmailKey(email.cart_id, email.step), entity: "recovery_email", ...email },
              ConditionExpression: "attribute_not_exists(pk)",
            },
          },
          {
            Update: {
              TableName: tableName(),
              Key: dailySendsKey(email.storefront_id, day),
              UpdateExpression: "SET #count = if_not_exists(#count, :zero) + :one, #ttl = :ttl",
              ConditionExpression: "attribute_not_exists(#count) OR #count < :limit",
              ExpressionAttributeNames: { "#count": "count", "#ttl": TTL_ATTRIBUTE },
              ExpressionAttributeValues: { ":zero": 0, ":one": 1, ":limit": dailyLimit, ":ttl": Math.floor(Date.parse(`${day}T00:00:00Z`) / 1000) + 3 * 86_400 },
            },
          },
        ],
      }),
    );
    return "claimed";
  } catch (error) {
    const codes = cancellationCodes(error);
    if (codes?.[0] === "ConditionalCheckFailed") return "taken";
    if (codes?.[1] === "ConditionalCheckFailed") return "limit";
    // The day's counter is shared by every send of the storefront: concurrent claims collide and try again.
    if (codes?.includes("TransactionConflict")) return "conflict";
    throw error;
  }
}

/** Gives a claim back when the email could not be handed to SES, so that a retry may send it. */
export async function releaseRecoveryEmail(email: SentEmailRecord, day: string): Promise<void> {
  await documentClient.send(
    new TransactWriteCommand({
      TransactItems: [
        { Delete: { TableName: tableName(), Key: recoveryEmailKey(email.cart_id, email.step), ConditionExpression: "#status = :sending", ExpressionAttributeNames: { "#status": "status" }, ExpressionAttributeValues: { ":sending": "sending" } } },
        { Update: { TableName: tableName(), Key: dailySendsKey(email.storefront_id, day), UpdateExpression: "ADD #count :minus", ExpressionAttributeNames: { "#count": "count" }, ExpressionAttributeValues: { ":minus": -1 } } },
      ],
    }),
  );
}

/** Records the email as handed to SES, and the cart's recovery fields, together. */
export async function markRecoveryEmailSent(email: SentEmailRecord, messageId: string, sentAt: string, cartUpdate: Actions[number], extra: Actions = []): Promise<void> {
  await documentClient.send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Update: {
            TableName: tableName(),
            Key: recoveryEmailKey(email.cart_id, email.step),
            UpdateExpression: "SET #status = :sent, ses_message_id = :id, sent_at = :at",
            ExpressionAttributeNames: { "#status": "status" },
            ExpressionAttributeValues: { ":sent": "sent", ":id": messageId, ":at": sentAt },
          },
        },
        cartUpdate,
        ...extra,
      ],
    }),
  );
}

/** The update that counts a sent email on its cart. */
export function cartEmailSentAction(cartId: number, step: number, sentAt: string): Actions[number] {
  return {
    Update: {
      TableName: tableName(),
      Key: cartKey(cartId),
      // Steps go out in order, so the count is the step; version moves so that concurrent writers of the cart notice.
      UpdateExpression: "SET recovery_email_sent = :true, recovery_email_sent_at = :at, recovery_email_count = :step, updated_at = :at ADD #version :one",
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeNames: { "#version": "version" },
      ExpressionAttributeValues: { ":true": true, ":at": sentAt, ":step": step, ":one": 1 },
    },
  };
}

export async function isSuppressed(storefrontId: number, email: string): Promise<boolean> {
  const { Item } = await documentClient.send(new GetCommand({ TableName: tableName(), Key: suppressionKey(storefrontId, email), ConsistentRead: true }));
  return Item !== undefined;
}

export async function suppressAddress(storefrontId: number, email: string, reason: string, at: string): Promise<void> {
  try {
    await documentClient.send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...suppressionKey(storefrontId, email), entity: "email_suppression", storefront_id: storefrontId, email: email.toLowerCase(), reason, suppressed_at: at },
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    );
  } catch (error) {
    // Suppressed already: the first reason stays.
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

/** The storefront's cart counters, one item per currency. */
export async function cartStatsItems(storefrontId: number): Promise<Item[]> {
  const page = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
      ExpressionAttributeValues: { ":pk": `STOREFRONT#${storefrontId}`, ":prefix": "STATS#CARTS#" },
    }),
  );
  return page.Items ?? [];
}

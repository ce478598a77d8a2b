/**
 * The hub's key for signing unsubscribe links: 32 random bytes made on first
 * use, stored encrypted with the credentials key (KMS in AWS), decrypted once
 * per function instance.
 */
import { randomBytes } from "node:crypto";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { documentClient, tableName } from "../data/client";
import { credentialsCipher } from "../security/credentials-cipher";

const KEY = { pk: "SETTINGS", sk: "EMAIL_SIGNING_KEY" };
const CONTEXT = { storefront_id: "hub", field: "email_signing_key" };

let cached: Promise<Buffer | undefined> | undefined;

async function readKey(): Promise<Buffer | undefined> {
  const { Item } = await documentClient.send(new GetCommand({ TableName: tableName(), Key: KEY, ConsistentRead: true }));
  return Item ? Buffer.from(await credentialsCipher().decrypt(String(Item.ciphertext), CONTEXT), "base64") : undefined;
}

async function createKey(): Promise<Buffer> {
  const key = randomBytes(32);
  try {
    const ciphertext = await credentialsCipher().encrypt(key.toString("base64"), CONTEXT);
    await documentClient.send(new PutCommand({ TableName: tableName(), Item: { ...KEY, entity: "setting", ciphertext }, ConditionExpression: "attribute_not_exists(pk)" }));
    return key;
  } catch (error) {
    // Another instance made it first: use theirs.
    if (error instanceof ConditionalCheckFailedException) return (await readKey())!;
    throw error;
  }
}

/** The signing key; made when `create` and none exists yet, else undefined until a sender made it. */
export async function emailSigningKey(options: { create: boolean }): Promise<Buffer | undefined> {
  const key = await (cached ??= readKey().catch((error: unknown) => {
    cached = undefined;
    throw error;
  }));
  if (key || !options.create) {
    if (!key) cached = undefined;
    return key;
  }
  const made = createKey().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  cached = made;
  return made;
}

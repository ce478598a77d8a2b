import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { documentClient, tableName } from "./client";

/**
 * Integer ids, as the contract's connectors expect (`"storefront_id": 1`).
 * Key: pk = SEQUENCE#<name>, sk = SEQUENCE; one atomic counter per entity kind.
 */
export async function nextId(name: string): Promise<number> {
  const result = await documentClient.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: { pk: `SEQUENCE#${name}`, sk: "SEQUENCE" },
      UpdateExpression: "ADD #value :one",
      ExpressionAttributeNames: { "#value": "value" },
      ExpressionAttributeValues: { ":one": 1 },
      ReturnValues: "UPDATED_NEW",
    }),
  );
  return Number(result.Attributes?.value);
}

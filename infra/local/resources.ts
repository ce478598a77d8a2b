/** Creates the hub's table and queues on the emulators, from the same definitions the CDK stack uses. */
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type GlobalSecondaryIndexDescription,
} from "@aws-sdk/client-dynamodb";
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { INDEXES, TABLE_KEYS, TTL_ATTRIBUTE } from "../../shared/data/table-definition";
import type { QueueSpec } from "../wiring";

export interface TableInfo {
  tableName: string;
  streamArn: string;
}

const indexDefinitions = Object.values(INDEXES).map((index) => ({
  IndexName: index.name,
  KeySchema: [
    { AttributeName: index.partitionKey, KeyType: "HASH" as const },
    { AttributeName: index.sortKey, KeyType: "RANGE" as const },
  ],
  Projection: { ProjectionType: "ALL" as const },
}));

const attributeDefinitions = [
  TABLE_KEYS.partitionKey,
  TABLE_KEYS.sortKey,
  ...Object.values(INDEXES).flatMap((index) => [index.partitionKey, index.sortKey]),
].map((name) => ({ AttributeName: name, AttributeType: "S" as const }));

/** Creates the table with its stream, or adds indexes that a newer version of the code defines. */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<TableInfo> {
  let existing: GlobalSecondaryIndexDescription[] | undefined;
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    existing = Table?.GlobalSecondaryIndexes ?? [];
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  if (!existing) {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: "PAY_PER_REQUEST",
        KeySchema: [
          { AttributeName: TABLE_KEYS.partitionKey, KeyType: "HASH" },
          { AttributeName: TABLE_KEYS.sortKey, KeyType: "RANGE" },
        ],
        AttributeDefinitions: attributeDefinitions,
        GlobalSecondaryIndexes: indexDefinitions,
        StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
      }),
    );
    await client.send(
      new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true } }),
    );
  } else {
    const have = new Set(existing.map((index) => index.IndexName));
    for (const index of indexDefinitions.filter((definition) => !have.has(definition.IndexName))) {
      await client.send(
        new UpdateTableCommand({
          TableName: tableName,
          AttributeDefinitions: attributeDefinitions,
          GlobalSecondaryIndexUpdates: [{ Create: index }],
        }),
      );
    }
  }
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  if (!Table?.LatestStreamArn) throw new Error(`Table ${tableName} has no stream`);
  return { tableName, streamArn: Table.LatestStreamArn };
}

export interface QueueInfo {
  name: string;
  url: string;
  arn: string;
  deadLetterUrl: string;
  deadLetterArn: string;
}

export const deadLetterQueueName = (name: string) => `${name}-dlq`;

/** Creates each queue and its dead-letter queue with the wiring's redrive policy. */
export async function ensureQueues(client: SQSClient, endpoint: string, prefix: string, specs: QueueSpec[]): Promise<Map<string, QueueInfo>> {
  const out = new Map<string, QueueInfo>();
  const create = async (name: string, attributes: Record<string, string>) => {
    const created = await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
    // The emulator names queues by a virtual host (sqs.<region>.<host>) that does not resolve; address them on its endpoint.
    const path = created.QueueUrl!.replace(/^https?:\/\/[^/]+/, "");
    const QueueUrl = `${endpoint}${path}`;
    const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
    return { url: QueueUrl, arn: Attributes!.QueueArn! };
  };
  for (const spec of specs) {
    const dlq = await create(`${prefix}-${deadLetterQueueName(spec.name)}`, { MessageRetentionPeriod: String(14 * 24 * 3600) });
    const queue = await create(`${prefix}-${spec.name}`, {
      VisibilityTimeout: String(spec.visibilityTimeoutSeconds),
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: spec.maxReceiveCount }),
    });
    out.set(spec.name, { name: spec.name, url: queue.url, arn: queue.arn, deadLetterUrl: dlq.url, deadLetterArn: dlq.arn });
  }
  return out;
}

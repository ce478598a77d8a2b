/**
 * Where the command-line tools act: the running local hub's DynamoDB Local,
 * or a deployed table (`--aws --table <TableName>`, with the usual AWS
 * credentials). Sets the environment the shared data modules read.
 */
import { LOCAL_DYNAMODB_PORT, LOCAL_TABLE_NAME } from "../local/defaults";

export const TABLE_TARGET_USAGE = `  --aws --table <TableName>   act on the deployed table (AWS credentials from the environment)
  --endpoint <url>            DynamoDB endpoint (default: the local stack's, http://127.0.0.1:${LOCAL_DYNAMODB_PORT})`;

export const TABLE_TARGET_OPTIONS = {
  aws: { type: "boolean", default: false },
  table: { type: "string" },
  endpoint: { type: "string" },
} as const;

/** Returns an error message when the options do not name a target. */
export function useTableTarget(options: { aws?: boolean; table?: string; endpoint?: string }): string | undefined {
  if (options.aws) {
    if (!options.table) return "--aws needs --table <TableName> (the stack's TableName output)";
    process.env.TABLE_NAME = options.table;
    return undefined;
  }
  process.env.TABLE_NAME = options.table ?? LOCAL_TABLE_NAME;
  process.env.AWS_ENDPOINT_URL_DYNAMODB = options.endpoint ?? process.env.AWS_ENDPOINT_URL_DYNAMODB ?? `http://127.0.0.1:${process.env.DYNAMODB_PORT ?? LOCAL_DYNAMODB_PORT}`;
  process.env.AWS_REGION ??= "us-east-1";
  process.env.AWS_ACCESS_KEY_ID ??= "local";
  process.env.AWS_SECRET_ACCESS_KEY ??= "local";
  return undefined;
}

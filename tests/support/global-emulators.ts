/**
 * Starts the emulators once for the whole test run, on free ports: DynamoDB
 * Local (in memory), the SQS emulator and the SES emulator. Each test file
 * makes its own table and queues, named uniquely, so files do not interfere.
 */
import type { TestProject } from "vitest/node";
import { freePort, startDynamoDbLocal, startSesEmulator, startSqsEmulator } from "../../infra/local/emulators";

export interface EmulatorEndpoints {
  dynamodb: string;
  sqs: string;
  ses: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    endpoints: EmulatorEndpoints;
  }
}

export default async function setup(project: TestProject) {
  const [dynamodb, sqs, ses] = await Promise.all([
    startDynamoDbLocal({ port: await freePort() }),
    startSqsEmulator({ port: await freePort() }),
    startSesEmulator({ port: await freePort() }),
  ]);
  project.provide("endpoints", { dynamodb: dynamodb.endpoint, sqs: sqs.endpoint, ses: ses.endpoint });
  return async () => {
    await Promise.all([dynamodb.stop(), sqs.stop(), ses.stop()]);
  };
}

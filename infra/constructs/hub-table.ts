/**
 * The one table, from the same definition the local stack uses
 * (shared/data/table-definition.ts), encrypted with a customer-managed key of
 * its own. Both outlive the stack: deleting the stack must never delete data.
 */
import { RemovalPolicy } from "aws-cdk-lib";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as kms from "aws-cdk-lib/aws-kms";
import { Construct } from "constructs";
import { INDEXES, TABLE_KEYS, TTL_ATTRIBUTE } from "../../shared/data/table-definition";

const stringKey = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });

export class HubTable extends Construct {
  readonly table: dynamodb.Table;
  readonly key: kms.Key;
  readonly indexNames: string[];

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.key = new kms.Key(this, "Key", {
      description: "Encrypts the commerce hub table and its stream",
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.table = new dynamodb.Table(this, "Table", {
      partitionKey: stringKey(TABLE_KEYS.partitionKey),
      sortKey: stringKey(TABLE_KEYS.sortKey),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      // Stream processors need both images: filters match on the new one, deltas compare the two.
      stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TTL_ATTRIBUTE,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    for (const index of Object.values(INDEXES)) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: stringKey(index.partitionKey),
        sortKey: stringKey(index.sortKey),
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
    this.indexNames = Object.values(INDEXES).map((index) => index.name);
  }
}

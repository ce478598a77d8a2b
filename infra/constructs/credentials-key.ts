/**
 * The customer-managed key that protects storefront credentials. Functions get
 * only the operation they perform (encrypt where credentials are written,
 * decrypt where a connector uses them), and only with the encryption context
 * the cipher always sends, so the key cannot be used for anything else.
 */
import { RemovalPolicy } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import { Construct } from "constructs";
import type { EncryptionContext } from "../../shared/security/credentials-cipher";
import type { Access } from "../wiring";
import type { HubFunction } from "./hub-function";

export const CREDENTIALS_KEY_ENV = "CREDENTIALS_KMS_KEY_ID";

/** The keys of the cipher's encryption context; the type check fails if the two ever differ. */
export const ENCRYPTION_CONTEXT_KEYS = ["storefront_id", "field"] as const satisfies readonly (keyof EncryptionContext)[];
type MissingContextKey = Exclude<keyof EncryptionContext, (typeof ENCRYPTION_CONTEXT_KEYS)[number]>;
const everyContextKeyListed: [MissingContextKey] extends [never] ? true : never = true;
void everyContextKeyListed;

export type CredentialsAccess = NonNullable<Access["credentials"]>;

const ACTIONS: Record<CredentialsAccess, string[]> = {
  encrypt: ["kms:Encrypt"],
  decrypt: ["kms:Decrypt"],
  encryptDecrypt: ["kms:Encrypt", "kms:Decrypt"],
};

export class CredentialsKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.key = new kms.Key(this, "Key", {
      description: "Encrypts storefront credentials (encryption context: storefront_id, field)",
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  grant(fn: HubFunction, access: CredentialsAccess): void {
    fn.addEnvironment(CREDENTIALS_KEY_ENV, this.key.keyArn);
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ACTIONS[access],
        resources: [this.key.keyArn],
        conditions: {
          // Exactly the cipher's context keys, and a context must be present
          // (ForAllValues alone is also satisfied by a request without one).
          "ForAllValues:StringEquals": { "kms:EncryptionContextKeys": [...ENCRYPTION_CONTEXT_KEYS] },
          Null: { "kms:EncryptionContextKeys": "false" },
        },
      }),
    );
  }
}

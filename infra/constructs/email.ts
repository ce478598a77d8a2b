/** Sending email through SES. */
import { Fn } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import type { HubFunction } from "./hub-function";
import { acknowledgeWildcard } from "./nag";

// Written as Fn::Sub so that cdk-nag's flattened spelling of it is known in advance.
const IDENTITY_ARN_PATTERN = "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/*";
const FLATTENED_IDENTITY_ARN_PATTERN = IDENTITY_ARN_PATTERN.replace(/\$\{/g, "<").replace(/\}/g, ">");

/** SendEmail and SendRawEmail on the account's verified identities in this region. */
export function grantSendEmail(fn: HubFunction): void {
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ["ses:SendEmail", "ses:SendRawEmail"],
      resources: [Fn.sub(IDENTITY_ARN_PATTERN)],
    }),
  );
  acknowledgeWildcard(
    fn.role,
    `Resource::${FLATTENED_IDENTITY_ARN_PATTERN}`,
    "Sender identities (domains and addresses) are verified per storefront outside this stack; the grant is limited to SES identities of this account and region.",
  );
}

/** Sending email through SES (v2 SendEmail, always with the hub's configuration set). */
import { Fn, Stack } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as ses from "aws-cdk-lib/aws-ses";
import type { HubFunction } from "./hub-function";
import { acknowledgeWildcard } from "./nag";

// Written as Fn::Sub so that cdk-nag's flattened spelling of it is known in advance.
const IDENTITY_ARN_PATTERN = "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/*";
const FLATTENED_IDENTITY_ARN_PATTERN = IDENTITY_ARN_PATTERN.replace(/\$\{/g, "<").replace(/\}/g, ">");

/** The ARN SES authorizes when a send names the configuration set. */
export function configurationSetArn(configurationSet: ses.IConfigurationSet): string {
  return Stack.of(configurationSet).formatArn({
    service: "ses",
    resource: "configuration-set",
    resourceName: configurationSet.configurationSetName,
  });
}

/**
 * ses:SendEmail from the account's verified identities in this region, through
 * the given configuration set. A send that names a configuration set is
 * authorized on both the sender identity and the configuration set, so both
 * are resources of the one statement. SendRawEmail is not granted: SES v2
 * sends raw MIME with the same action, and the hub builds no raw messages.
 */
export function grantSendEmail(fn: HubFunction, configurationSet: ses.IConfigurationSet): void {
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ["ses:SendEmail"],
      resources: [Fn.sub(IDENTITY_ARN_PATTERN), configurationSetArn(configurationSet)],
    }),
  );
  acknowledgeWildcard(
    fn.role,
    `Resource::${FLATTENED_IDENTITY_ARN_PATTERN}`,
    "Sender identities (domains and addresses) are verified per storefront outside this stack; the grant is limited to SES identities of this account and region.",
  );
}

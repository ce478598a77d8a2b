/**
 * What a platform call can fail with. Messages carry the platform's own words
 * (never a credential), so a sync job can record why a storefront stopped.
 */
export type PlatformName = "shopify" | "woocommerce";

export class ConnectorError extends Error {
  constructor(
    message: string,
    readonly platform: PlatformName | string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 401/403: the platform refused the stored credentials (or their scopes). Retrying will not help. */
export class CredentialsRejected extends ConnectorError {
  constructor(
    platform: PlatformName,
    readonly status: number,
    readonly platformMessage: string,
  ) {
    super(`${platform} rejected the credentials (${status}): ${platformMessage}`, platform);
  }
}

/** The platform asked us to slow down and we gave up waiting (or the wait asked for is longer than we accept). */
export class RateLimited extends ConnectorError {
  constructor(
    platform: PlatformName,
    message: string,
    readonly retryAfterMs: number | undefined,
  ) {
    super(message, platform);
  }
}

/** Any other failure of the platform: an HTTP error, a GraphQL error, a response we cannot read. */
export class PlatformError extends ConnectorError {
  constructor(
    platform: PlatformName,
    message: string,
    readonly status: number | undefined,
    /** Worth another attempt: a 5xx, a network failure. */
    readonly retryable: boolean,
  ) {
    super(message, platform);
  }
}

/** The storefront's platform has no connector (custom, magento, amazon…). */
export class NoConnectorForPlatform extends ConnectorError {
  constructor(platformType: string) {
    super(`There is no connector for platform ${platformType}`, platformType);
  }
}

/** The storefront lacks a credential or an address the connector needs. */
export class ConnectorNotConfigured extends ConnectorError {
  constructor(platform: PlatformName, what: string) {
    super(`The ${platform} storefront has no ${what}`, platform);
  }
}

import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult } from "aws-lambda";
import { authenticate } from "../../shared/domain/api-keys";
import { toAuthorizerContext, type AuthorizerContext } from "../../shared/http/principal";
import { logger } from "../../shared/logger";

/**
 * API key authorizer (HTTP API, simple responses, cached per Authorization
 * header). It resolves who is calling; the route handler decides what that
 * caller may do, so that unknown keys get our 401 JSON error rather than the
 * gateway's bare 403.
 */
export const handler = async (
  event: APIGatewayRequestAuthorizerEventV2,
): Promise<APIGatewaySimpleAuthorizerWithContextResult<AuthorizerContext | Record<string, never>>> => {
  const principal = await authenticate(event.headers?.authorization ?? event.headers?.Authorization);
  if (!principal) {
    logger.info("unknown or revoked API key", { route: event.routeKey });
    return { isAuthorized: true, context: {} };
  }
  return { isAuthorized: true, context: toAuthorizerContext(principal) };
};

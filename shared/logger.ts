import { Logger } from "@aws-lambda-powertools/logger";

/**
 * One structured JSON logger per function, created at module scope.
 * Never log request bodies, credentials or API keys: log ids and outcomes.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? "ocean-commerce-hub" });

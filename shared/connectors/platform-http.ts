/**
 * One HTTP exchange with a platform, its failures turned into the connector
 * errors: 401/403 → CredentialsRejected, 429 → RateLimited (with Retry-After),
 * 5xx and network failures → retryable PlatformError, other 4xx → PlatformError.
 */
import { CredentialsRejected, PlatformError, RateLimited, type PlatformName } from "./errors";
import { retryAfterMs, type Clock } from "./http-retry";

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface PlatformRequest {
  url: string;
  method: "GET" | "POST" | "PUT";
  headers: Record<string, string>;
  body?: unknown;
}

export interface PlatformResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

export interface PlatformHttp {
  platform: PlatformName;
  fetch: FetchLike;
  clock: Clock;
  timeoutMs: number;
  /** The platform's own error message in an error body. */
  messageOf(body: unknown, status: number): string;
}

function parseBody(text: string): unknown {
  if (text.trim() === "") return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function sendPlatformRequest(http: PlatformHttp, request: PlatformRequest): Promise<PlatformResponse> {
  let response: Response;
  let text: string;
  try {
    response = await http.fetch(request.url, {
      method: request.method,
      headers: { accept: "application/json", ...(request.body === undefined ? {} : { "content-type": "application/json" }), ...request.headers },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: AbortSignal.timeout(http.timeoutMs),
    });
    text = await response.text();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new PlatformError(http.platform, `${http.platform} could not be reached: ${reason}`, undefined, true);
  }
  const body = parseBody(text);
  const { status } = response;
  if (status === 401 || status === 403) throw new CredentialsRejected(http.platform, status, http.messageOf(body, status));
  if (status === 429) {
    const wait = retryAfterMs(response.headers.get("retry-after"), http.clock.now());
    throw new RateLimited(http.platform, `${http.platform} rate limit reached: ${http.messageOf(body, status)}`, wait);
  }
  if (status >= 400) {
    throw new PlatformError(http.platform, `${http.platform} answered ${status}: ${http.messageOf(body, status)}`, status, status >= 500);
  }
  return { status, headers: response.headers, body };
}

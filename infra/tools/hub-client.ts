/**
 * A client for the hub's HTTP API with a bearer token, and an admin key
 * issued for one piece of work and revoked after it, for the tools that load
 * data into a running hub (the sample data, the data generator).
 */

export interface HubClient {
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
}

/** Calls the hub at `url` with `token`: a string body is sent as it is, anything else as JSON. */
export function hubClientAt(url: string, token: string): HubClient {
  return {
    call: async (method, path, body, headers = {}) => {
      // Headers set case-insensitively: the signature helpers name Content-Type too.
      const merged = new Headers({ authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) });
      for (const [name, value] of Object.entries(headers)) merged.set(name, value);
      const response = await fetch(`${url}${path}`, {
        method,
        headers: merged,
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    },
  };
}

/** Issues an admin key named `keyName`, runs `work` against the hub at `url` with it and revokes it after (run where the table is reachable). */
export async function withAdminHubAt<T>(url: string, keyName: string, work: (hub: HubClient) => Promise<T>): Promise<T> {
  const { issueApiKey } = await import("../../shared/domain/api-keys");
  const { revokeApiKey } = await import("../../shared/data/api-keys");
  const { token, record } = await issueApiKey({ name: keyName, role: "admin", storefrontIds: null });
  try {
    return await work(hubClientAt(url, token));
  } finally {
    await revokeApiKey(record.key_id, new Date().toISOString());
  }
}

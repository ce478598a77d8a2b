/**
 * A call to the hub's API that must answer with one of the expected statuses:
 * its body, or an error naming what was asked.
 */

export async function expectStatus(response: Promise<{ status: number; body: any }>, allowed: number[], what: string) {
  const { status, body } = await response;
  if (!allowed.includes(status)) throw new Error(`${what}: HTTP ${status} ${JSON.stringify(body)}`);
  return body;
}

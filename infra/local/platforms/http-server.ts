/** A JSON HTTP server on 127.0.0.1 and a free port, for the platform simulators. */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface SimulatorRequest {
  method: string;
  url: URL;
  headers: IncomingMessage["headers"];
  body: unknown;
}

export interface SimulatorResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text === "" ? undefined : JSON.parse(text);
}

export async function startJsonServer(handle: (request: SimulatorRequest) => SimulatorResponse | Promise<SimulatorResponse>): Promise<RunningServer> {
  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    try {
      const url = new URL(request.url ?? "/", "http://127.0.0.1");
      const answer = await handle({ method: request.method ?? "GET", url, headers: request.headers, body: await readBody(request) });
      response.writeHead(answer.status, { "content-type": "application/json; charset=utf-8", ...answer.headers });
      response.end(JSON.stringify(answer.body));
    } catch (error) {
      response.writeHead(500, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: error instanceof Error ? error.message : String(error) }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

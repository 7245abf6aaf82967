import { type ClientRequest, request as httpRequest } from 'node:http';

/** A response read in full. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  readonly json: any;
}

/** An HTTP request whose body the test writes piece by piece (or never finishes). */
export interface OpenRequest {
  /** Writes part of the body and waits until Node has handed it to the socket. */
  write(chunk: Buffer): Promise<void>;
  end(chunk?: Buffer): void;
  /** Drops the connection mid-request, as a client that crashes or loses its network does. */
  abort(): void;
  /** The response; rejects if none has arrived within `withinMs`. */
  response(withinMs?: number): Promise<RawResponse>;
}

/**
 * Opens a request with exactly these headers (an array value sends the header once per item,
 * as a misbehaving proxy might) and sends the headers at once, before any body.
 */
export function openRequest(baseUrl: string, method: string, path: string, headers: Record<string, string | readonly string[]>): OpenRequest {
  const request: ClientRequest = httpRequest(new URL(path, baseUrl), { method, agent: false });
  for (const [name, value] of Object.entries(headers)) request.setHeader(name, value as string | string[]);
  const received = new Promise<RawResponse>((resolve, reject) => {
    request.once('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.once('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json });
      });
      response.once('error', reject);
    });
    request.once('error', reject);
  });
  // A server that answers early may reset the connection while the body is still being written.
  received.catch(() => undefined);
  request.flushHeaders();
  return {
    write: (chunk) => new Promise<void>((resolve, reject) => request.write(chunk, (error) => (error ? reject(error) : resolve()))),
    end: (chunk) => {
      request.end(chunk);
    },
    abort: () => {
      request.destroy();
    },
    response: (withinMs = 2000) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`no response within ${withinMs} ms`)), withinMs);
      });
      return Promise.race([received, timeout]).finally(() => clearTimeout(timer));
    },
  };
}

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';

/** A JSON Web Key Set served over HTTP on 127.0.0.1, as an identity provider serves it. */
export interface JwksServer {
  /** e.g. `http://127.0.0.1:41234/realms/staff/protocol/openid-connect/certs`. */
  readonly url: string;
  /** How many times the key set was fetched. */
  readonly fetches: number;
  /** Replaces the keys served from now on (key rotation at the identity provider). */
  setKeys(keys: readonly JWK[]): void;
  /** Answers every fetch with this status (e.g. 500) instead of the keys; undefined serves the keys again. */
  failWith(status: number | undefined): void;
  close(): Promise<void>;
}

export const JWKS_PATH = '/realms/staff/protocol/openid-connect/certs';

export async function startJwksServer(initialKeys: readonly JWK[]): Promise<JwksServer> {
  let keys = initialKeys;
  let failure: number | undefined;
  let fetches = 0;
  const server: Server = createServer((request, response) => {
    if (request.url !== JWKS_PATH) {
      response.writeHead(404).end();
      return;
    }
    fetches += 1;
    if (failure !== undefined) {
      response.writeHead(failure, { 'content-type': 'text/plain' }).end('identity provider unavailable');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/jwk-set+json' }).end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${JWKS_PATH}`,
    get fetches() {
      return fetches;
    },
    setKeys(next) {
      keys = next;
    },
    failWith(status) {
      failure = status;
    },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

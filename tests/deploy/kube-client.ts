import * as https from 'https';

/** What a request to the API server answered. */
export interface KubeResponse<T = any> {
  readonly status: number;
  readonly body: T;
}

/**
 * A small client for one site's API server: a bearer token and the test CA, nothing else,
 * so the checks read the cluster the way the providers do.
 */
export class KubeClient {
  constructor(
    /** `https://127.0.0.2:6443` */
    public readonly server: string,
    private readonly token: string,
    private readonly caPem: string,
  ) {}

  public request<T = any>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<KubeResponse<T>> {
    const url = new URL(path, this.server);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const request = https.request(
        url,
        {
          method,
          ca: this.caPem,
          headers: {
            authorization: `Bearer ${this.token}`,
            accept: 'application/json',
            ...(payload === undefined ? {} : { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) }),
          },
          timeout: 15000,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = JSON.parse(text);
            } catch {
              // plain-text answers (/readyz) stay text
            }
            resolve({ status: response.statusCode ?? 0, body: parsed as T });
          });
        },
      );
      request.on('timeout', () => request.destroy(new Error(`${method} ${url.href}: no answer within 15 s`)));
      request.on('error', reject);
      if (payload !== undefined) request.write(payload);
      request.end();
    });
  }

  /** GET that must succeed. */
  public async get<T = any>(path: string): Promise<T> {
    const response = await this.request<T>('GET', path);
    if (response.status !== 200) throw new Error(`GET ${this.server}${path}: HTTP ${response.status}: ${JSON.stringify(response.body).slice(0, 400)}`);
    return response.body;
  }

  /** POST that must create (201) or find the object already there (409). */
  public async create(path: string, object: unknown): Promise<void> {
    const response = await this.request('POST', path, object);
    if (response.status !== 201 && response.status !== 409) {
      throw new Error(`POST ${this.server}${path}: HTTP ${response.status}: ${JSON.stringify(response.body).slice(0, 400)}`);
    }
  }
}

/** The REST path of an object: core group under /api, others under /apis. */
export function objectPath(apiVersion: string, plural: string, name: string, namespace?: string): string {
  const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  return `${base}${namespace ? `/namespaces/${namespace}` : ''}/${plural}/${encodeURIComponent(name)}`;
}

/** Polls `check` every `intervalMs` until it returns a value other than undefined, or fails after `timeoutMs` naming `what`. */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>, intervalMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

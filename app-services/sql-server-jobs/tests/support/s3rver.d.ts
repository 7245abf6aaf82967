// Minimal typings for s3rver 3.7 (the package ships none): only what the tests use.
declare module 's3rver' {
  import type { IncomingMessage } from 'node:http';

  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory: string;
    resetOnClose?: boolean;
    /** PEM key and certificate: s3rver then serves https. */
    key?: string | Buffer;
    cert?: string | Buffer;
    configureBuckets?: Array<{ name: string; configs?: Array<string | Buffer> }>;
  }

  /** The parts of a Koa context the tests' middleware uses. */
  export interface S3rverContext {
    method: string;
    path: string;
    query: Record<string, string | string[] | undefined>;
    headers: Record<string, string | string[] | undefined>;
    req: IncomingMessage;
    status: number;
    body: unknown;
    type: string;
    app: S3rver;
  }
  export type S3rverMiddleware = (context: S3rverContext, next: () => Promise<void>) => Promise<void>;

  export default class S3rver {
    constructor(options: S3rverOptions);
    /** Koa's middleware list, composed when the server starts listening. */
    middleware: S3rverMiddleware[];
    store: { getBucket(name: string): Promise<unknown> };
    run(): Promise<{ address: string; port: number }>;
    close(): Promise<void>;
  }
}

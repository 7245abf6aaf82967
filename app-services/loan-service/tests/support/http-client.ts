/** A response read in full, for assertions. */
export interface TestResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly json: any;
}

/** Who calls: header-mode identity, or an explicit Authorization header (JWT mode). */
export interface Caller {
  readonly user?: string;
  readonly roles?: readonly string[];
  /** Branch codes the user works in (header mode: `x-authenticated-branches`). */
  readonly branches?: readonly string[];
  readonly authorization?: string;
}

export interface RequestOptions {
  readonly as?: Caller;
  readonly body?: unknown;
  /** Raw body (documents); sent as is with `contentType`. */
  readonly raw?: Buffer;
  readonly contentType?: string;
  readonly headers?: Record<string, string>;
  /** `manual` returns a redirect (303 ...) as it is instead of following it. @default follow */
  readonly redirect?: 'follow' | 'manual';
}

/** Real HTTP requests (Node's fetch, undici) against a started server. */
export class HttpClient {
  constructor(readonly baseUrl: string) {}

  get(path: string, options: RequestOptions = {}): Promise<TestResponse> {
    return this.request('GET', path, options);
  }

  post(path: string, options: RequestOptions = {}): Promise<TestResponse> {
    return this.request('POST', path, options);
  }

  async request(method: string, path: string, options: RequestOptions): Promise<TestResponse> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.as?.user !== undefined) headers['x-authenticated-user'] = options.as.user;
    if (options.as?.roles !== undefined) headers['x-authenticated-roles'] = options.as.roles.join(',');
    if (options.as?.branches !== undefined) headers['x-authenticated-branches'] = options.as.branches.join(',');
    if (options.as?.authorization !== undefined) headers.authorization = options.as.authorization;
    let body: string | Buffer | undefined;
    if (options.raw !== undefined) {
      body = options.raw;
      headers['content-type'] = options.contentType ?? 'application/octet-stream';
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = options.contentType ?? 'application/json';
    }
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body, redirect: options.redirect ?? 'follow' });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  }
}

/** The branch most test callers work in, and a second one to test scoping. */
export const LUSAKA_BRANCH = 'lusaka-cairo-road';
export const KITWE_BRANCH = 'kitwe-obote-avenue';

export const CONFIG_ADMIN_ALICE: Caller = { user: 'alice', roles: ['config_admin'] };
export const CONFIG_ADMIN_BOB: Caller = { user: 'bob', roles: ['config_admin'] };
export const LOAN_OFFICER_OLIVIA: Caller = { user: 'olivia', roles: ['loan_officer'], branches: [LUSAKA_BRANCH] };
export const LOAN_OFFICER_AND_MANAGER_MIKE: Caller = { user: 'mike', roles: ['loan_officer', 'credit_manager'], branches: [LUSAKA_BRANCH] };
export const CREDIT_MANAGER_CHILESHE: Caller = { user: 'chileshe', roles: ['credit_manager'], branches: [LUSAKA_BRANCH] };
export const LOAN_OFFICER_MUTALE_KITWE: Caller = { user: 'mutale', roles: ['loan_officer'], branches: [KITWE_BRANCH] };
export const CREDIT_MANAGER_BWALYA_KITWE: Caller = { user: 'bwalya', roles: ['credit_manager'], branches: [KITWE_BRANCH] };
/** Works in both branches, so must say which one an application belongs to. */
export const LOAN_OFFICER_NAMWAAMBA_BOTH: Caller = { user: 'namwaamba', roles: ['loan_officer'], branches: [LUSAKA_BRANCH, KITWE_BRANCH] };
export const HEAD_OFFICE_NATASHA: Caller = { user: 'natasha', roles: ['head_office'] };

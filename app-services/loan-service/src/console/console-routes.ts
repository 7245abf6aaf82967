import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { decodeJwt } from 'jose';
import type { z } from 'zod';
import type { Authenticator } from '../auth/authenticator';
import type { Identity } from '../auth/identity';
import { PROPOSAL_SCHEMAS, SINGLE_KEY, type BusinessConfigurationService } from '../domain/business-configuration-service';
import { DomainError, ForbiddenError, InvalidInputError, NotFoundError, UnauthenticatedError } from '../domain/domain-errors';
import { productIdSchema } from '../domain/loan-product';
import { rejectionSchema } from '../http/api-schemas';
import { writeAuditLog } from '../observability/audit-log';
import type { Clock } from '../domain/service-context';
import { CONSOLE_CSS } from './console-assets';
import { payloadFromForm } from './console-editor';
import {
  errorPage,
  overviewPage,
  type PageProblem,
  productIndexPage,
  sectionPage,
  sectionPath,
  signInPage,
} from './console-pages';
import { CONSOLE_SECTIONS, type ConsoleSection, mayOpen, overseesConfiguration, sectionsFor } from './console-sections';
import {
  assertSameOriginPost,
  clearSessionCookie,
  CONSOLE_PATH,
  consoleIdentity,
  csrfTokenOf,
  MAX_SESSION_SECONDS,
  setSessionCookie,
} from './console-session';

/**
 * Every console response: no script may run (the console has none), styles only from the
 * service, forms post only to it, no framing, nothing cached, no referrer leaves the origin.
 */
export const CONSOLE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // same-origin, not no-referrer: with no-referrer Chromium sends `Origin: null` on the console's own form posts.
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
  'cross-origin-opener-policy': 'same-origin',
};

/** Form bodies are small: the largest is a proposal's JSON. */
const FORM_BODY_LIMIT_BYTES = 256 * 1024;

export interface ConsoleDependencies {
  readonly app: FastifyInstance;
  readonly authenticate: Authenticator;
  readonly configuration: BusinessConfigurationService;
  readonly clock: Clock;
  /** `header`: identities come from the ingress, there is nothing to sign in with. */
  readonly authMode: 'jwt' | 'header';
}

type Form = Readonly<Record<string, string>>;

/** Routes need an access rule (see RouteRegistry.installAccessControl); the console authenticates in its handlers. */
const PUBLIC = { access: { authenticated: false, roles: undefined } };

/**
 * The business configuration console: server-rendered HTML pages under /console on the API's
 * origin, over the same domain services and maker-checker rules as the API.
 */
export function registerConsoleRoutes(dependencies: ConsoleDependencies): void {
  const { app } = dependencies;
  void app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT_BYTES }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    scope.addHook('onSend', (_request, reply, payload, done) => {
      for (const [name, value] of Object.entries(CONSOLE_SECURITY_HEADERS)) reply.header(name, value);
      done(null, payload);
    });
    const routes = new ConsoleRoutes(dependencies);
    scope.get(`${CONSOLE_PATH}/console.css`, { config: PUBLIC }, async (_request, reply) =>
      reply.type('text/css; charset=utf-8').send(CONSOLE_CSS));
    scope.get(`${CONSOLE_PATH}/sign-in`, { config: PUBLIC }, (request, reply) => routes.signInForm(request, reply));
    scope.post(`${CONSOLE_PATH}/sign-in`, { config: PUBLIC }, (request, reply) => routes.signIn(request, reply));
    scope.post(`${CONSOLE_PATH}/sign-out`, { config: PUBLIC }, (request, reply) => routes.signOut(request, reply));
    scope.get(CONSOLE_PATH, { config: PUBLIC }, (request, reply) => routes.page(request, reply, (identity) => routes.overview(identity, request, reply)));
    scope.get(`${CONSOLE_PATH}/products/new`, { config: PUBLIC }, (request, reply) => routes.page(request, reply, async () => {
      const key = productIdSchema.safeParse((request.query as Form).productId);
      if (!key.success) throw new InvalidInputError(`product id "${String((request.query as Form).productId ?? '')}" ${key.error.issues[0]?.message ?? 'is not valid'}`);
      return reply.redirect(`${CONSOLE_PATH}/products/${key.data}`, 303);
    }));
    scope.get(`${CONSOLE_PATH}/:section`, { config: PUBLIC }, (request, reply) =>
      routes.page(request, reply, (identity) => routes.section(identity, request, reply, paramsOf(request))));
    scope.get(`${CONSOLE_PATH}/:section/:key`, { config: PUBLIC }, (request, reply) =>
      routes.page(request, reply, (identity) => routes.section(identity, request, reply, paramsOf(request))));
    for (const prefix of [`${CONSOLE_PATH}/:section`, `${CONSOLE_PATH}/:section/:key`]) {
      scope.post(`${prefix}/propose`, { config: PUBLIC }, (request, reply) =>
        routes.page(request, reply, (identity) => routes.propose(identity, request, reply, paramsOf(request))));
      scope.post(`${prefix}/versions/:version/:verb`, { config: PUBLIC }, (request, reply) =>
        routes.page(request, reply, (identity) => routes.decide(identity, request, reply, paramsOf(request))));
    }
  });
}

interface SectionParams {
  readonly section: string;
  readonly key?: string;
  readonly version?: string;
  readonly verb?: string;
}

function paramsOf(request: FastifyRequest): SectionParams {
  return request.params as SectionParams;
}

function formOf(request: FastifyRequest): Form {
  const body = request.body;
  return typeof body === 'object' && body !== null ? (body as Form) : {};
}

const NOTICES: Readonly<Record<string, string>> = {
  proposed: 'Proposed. Another config_admin must approve it before it applies.',
  approved: 'Approved: this version is now in force.',
  rejected: 'Rejected: the version in force is unchanged.',
};

class ConsoleRoutes {
  constructor(private readonly dependencies: ConsoleDependencies) {}

  private get configuration(): BusinessConfigurationService {
    return this.dependencies.configuration;
  }

  async signInForm(request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    if (this.dependencies.authMode === 'header') {
      try {
        await consoleIdentity(this.dependencies.authenticate, request);
        return reply.redirect(CONSOLE_PATH, 303);
      } catch {
        // not signed in at the ingress: explain below
      }
    }
    return this.send(reply, 200, signInPage({ headerMode: this.dependencies.authMode === 'header' }));
  }

  async signIn(request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    const headerMode = this.dependencies.authMode === 'header';
    try {
      assertSameOriginPost(request, undefined, false);
      const token = (formOf(request).token ?? '').trim();
      if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token)) {
        throw new UnauthenticatedError('that is not an access token (expected a JSON Web Token: three dot-separated parts)');
      }
      const identity = await this.dependencies.authenticate({ headers: { authorization: `Bearer ${token}` }, rawHeaders: ['Authorization', `Bearer ${token}`] });
      const nowSeconds = Math.floor(Date.now() / 1000);
      const expires = decodeJwt(token).exp ?? nowSeconds;
      setSessionCookie(request, reply, token, Math.min(MAX_SESSION_SECONDS, expires - nowSeconds));
      this.audit(request, identity, 'console.sign_in', { roles: identity.roles, branches: identity.branches });
      return reply.redirect(CONSOLE_PATH, 303);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return this.send(reply, error.statusCode, signInPage({ headerMode, problem: { message: error.message } }));
    }
  }

  async signOut(request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    try {
      assertSameOriginPost(request, formOf(request).csrf);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return this.send(reply, error.statusCode, errorPage(undefined, '', 'Not signed out', { message: error.message }));
    }
    try {
      const identity = await consoleIdentity(this.dependencies.authenticate, request);
      this.audit(request, identity, 'console.sign_out', null);
    } catch {
      // an expired session signs out all the same
    }
    clearSessionCookie(request, reply);
    return reply.redirect(`${CONSOLE_PATH}/sign-in`, 303);
  }

  /** Authenticates, runs `render`, and turns refusals into pages: 401 goes to sign-in, others show the message. */
  async page(request: FastifyRequest, reply: FastifyReply, render: (identity: Identity) => Promise<unknown>): Promise<unknown> {
    let identity: Identity;
    try {
      identity = await consoleIdentity(this.dependencies.authenticate, request);
    } catch (error) {
      if (error instanceof UnauthenticatedError) {
        clearSessionCookie(request, reply);
        return reply.redirect(`${CONSOLE_PATH}/sign-in`, 303);
      }
      if (error instanceof DomainError) return this.send(reply, error.statusCode, errorPage(undefined, '', 'Unavailable', { message: error.message }));
      throw error;
    }
    try {
      if (identity.roles.length === 0) {
        throw new ForbiddenError(`user "${identity.userId}" has no role that may see business configuration (required: config_admin, head_office, credit_manager or loan_officer)`);
      }
      return await render(identity);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return this.send(reply, error.statusCode, errorPage(identity, csrfTokenOf(request), 'Refused', { message: error.message }));
    }
  }

  async overview(identity: Identity, request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    const rows = [];
    for (const section of sectionsFor(identity)) {
      const keys = section.keyed ? await this.configuration.listKeys(section.type) : [SINGLE_KEY];
      let inForce = 0;
      let pending = 0;
      let single = 'none approved';
      for (const key of keys) {
        const versions = await this.configuration.listVersionsOrNone(section.type, key);
        const current = versions.filter((version) => version.status === 'approved').at(-1);
        if (current !== undefined) {
          inForce += 1;
          single = `version ${current.version}`;
        }
        pending += versions.filter((version) => version.status === 'proposed').length;
      }
      rows.push({ section, inForce: section.keyed ? `${inForce} product${inForce === 1 ? '' : 's'}` : single, pending });
    }
    return this.send(reply, 200, overviewPage(identity, csrfTokenOf(request), rows));
  }

  private sectionOf(identity: Identity, params: SectionParams): { section: ConsoleSection; key: string | undefined } {
    const section = CONSOLE_SECTIONS.find((candidate) => candidate.id === params.section);
    if (section === undefined) throw new NotFoundError(`there is no console section "${params.section}" (allowed: ${CONSOLE_SECTIONS.map((candidate) => candidate.id).join(', ')})`);
    if (!mayOpen(identity, section)) {
      throw new ForbiddenError(`user "${identity.userId}" may not see ${section.title.toLowerCase()} (roles: ${identity.roles.join(', ')})`);
    }
    if (!section.keyed) {
      if (params.key !== undefined) throw new NotFoundError(`${section.title} has no entry "${params.key}"`);
      return { section, key: SINGLE_KEY };
    }
    if (params.key === undefined) return { section, key: undefined };
    const key = productIdSchema.safeParse(params.key);
    if (!key.success) throw new NotFoundError(`product id "${params.key}" ${key.error.issues[0]?.message ?? 'is not valid'}`);
    return { section, key: key.data };
  }

  async section(identity: Identity, request: FastifyRequest, reply: FastifyReply, params: SectionParams): Promise<unknown> {
    const { section, key } = this.sectionOf(identity, params);
    if (key === undefined) return this.productIndex(identity, request, reply, section);
    const notice = NOTICES[(request.query as Form).done ?? ''];
    return this.renderSection(identity, request, reply, section, key, 200, { ...(notice === undefined ? {} : { notice }) });
  }

  private async productIndex(identity: Identity, request: FastifyRequest, reply: FastifyReply, section: ConsoleSection): Promise<unknown> {
    const products = [];
    for (const key of await this.configuration.listKeys('loan_product')) {
      const versions = await this.configuration.listVersionsOrNone('loan_product', key);
      const current = versions.filter((version) => version.status === 'approved').at(-1);
      if (current === undefined && !overseesConfiguration(identity)) continue;
      products.push({ key, inForce: current === undefined ? 'none approved' : `version ${current.version}`, pending: versions.some((version) => version.status === 'proposed') });
    }
    return this.send(reply, 200, productIndexPage(identity, csrfTokenOf(request), section, products));
  }

  private async renderSection(
    identity: Identity,
    request: FastifyRequest,
    reply: FastifyReply,
    section: ConsoleSection,
    key: string,
    statusCode: number,
    extra: { notice?: string; problem?: PageProblem; draft?: string; draftPayload?: unknown },
  ): Promise<unknown> {
    const oversees = overseesConfiguration(identity);
    const versions = await this.configuration.listVersionsOrNone(section.type, key);
    const inForce = versions.filter((version) => version.status === 'approved').at(-1);
    const current = inForce === undefined || oversees || section.visiblePart === undefined
      ? inForce
      : { ...inForce, payload: section.visiblePart(identity, inForce.payload) };
    const proposed = oversees ? versions.find((version) => version.status === 'proposed') : undefined;
    const pending = proposed === undefined ? undefined : { version: proposed, diff: await this.configuration.diff(section.type, key, proposed.version) };
    const draftPayload = extra.draftPayload ?? inForce?.payload ?? {};
    const draft = extra.draft ?? `${JSON.stringify(draftPayload, null, 2)}\n`;
    return this.send(reply, statusCode, sectionPage({
      identity, csrf: csrfTokenOf(request), section, key, current, pending,
      history: oversees ? [...versions].reverse() : [],
      draft,
      draftPayload,
      ...(extra.notice === undefined ? {} : { notice: extra.notice }),
      ...(extra.problem === undefined ? {} : { problem: extra.problem }),
    }));
  }

  async propose(identity: Identity, request: FastifyRequest, reply: FastifyReply, params: SectionParams): Promise<unknown> {
    const { section, key } = this.sectionOf(identity, params);
    if (key === undefined) throw new NotFoundError('name the product to propose a version of');
    const form = formOf(request);
    assertSameOriginPost(request, form.csrf);
    // Two forms post here: the labelled fields, or the JSON text (`payload`).
    const asJson = form.payload !== undefined;
    let payload: unknown = asJson ? undefined : payloadFromForm(section.type, form);
    const draft = asJson ? (form.payload ?? '') : `${JSON.stringify(payload, null, 2)}\n`;
    const refuse = (statusCode: number, problem: PageProblem) =>
      this.renderSection(identity, request, reply, section, key, statusCode, { problem, draft, ...(payload === undefined ? {} : { draftPayload: payload }) });
    if (asJson) {
      try {
        payload = JSON.parse(draft);
      } catch (error) {
        return refuse(400, { message: `the new version is not valid JSON (${error instanceof Error ? error.message : String(error)})` });
      }
    }
    const checked = (PROPOSAL_SCHEMAS[section.type] as z.ZodType).safeParse(payload);
    if (!checked.success) {
      return refuse(400, {
        message: 'the new version breaks these rules; nothing was proposed',
        issues: checked.error.issues.map((issue) => `${issue.path.join('.') || '(whole version)'}: ${issue.message}`),
      });
    }
    try {
      const proposed = await this.configuration.propose({ identity, log: request.log }, section.type, key, checked.data);
      return reply.redirect(`${sectionPath(section, key)}?done=proposed&version=${proposed.version}`, 303);
    } catch (error) {
      if (error instanceof DomainError) return refuse(error.statusCode, { message: error.message });
      throw error;
    }
  }

  async decide(identity: Identity, request: FastifyRequest, reply: FastifyReply, params: SectionParams): Promise<unknown> {
    const { section, key } = this.sectionOf(identity, params);
    if (key === undefined) throw new NotFoundError('name the product to decide on');
    const form = formOf(request);
    assertSameOriginPost(request, form.csrf);
    const version = Number(params.version);
    if (!Number.isSafeInteger(version) || version < 1) throw new NotFoundError(`version "${params.version}" does not exist`);
    if (params.verb !== 'approve' && params.verb !== 'reject') throw new NotFoundError(`there is no "${params.verb}" action (allowed: approve, reject)`);
    try {
      let decision: { approve: true } | { approve: false; reason: string } = { approve: true };
      if (params.verb === 'reject') {
        const reason = rejectionSchema.safeParse({ reason: form.reason ?? '' });
        if (!reason.success) throw new InvalidInputError(`reason: ${reason.error.issues[0]?.message ?? 'is not valid'}`);
        decision = { approve: false, reason: reason.data.reason };
      }
      await this.configuration.decide({ identity, log: request.log }, section.type, key, version, decision);
      return reply.redirect(`${sectionPath(section, key)}?done=${params.verb === 'approve' ? 'approved' : 'rejected'}`, 303);
    } catch (error) {
      if (error instanceof DomainError) return this.renderSection(identity, request, reply, section, key, error.statusCode, { problem: { message: error.message } });
      throw error;
    }
  }

  private audit(request: FastifyRequest, identity: Identity, action: string, after: unknown): void {
    writeAuditLog(
      request.log,
      { actor: identity.userId, action, entity: { type: 'console_session', id: identity.userId }, before: null, after },
      this.dependencies.clock().toISOString(),
    );
  }

  private send(reply: FastifyReply, statusCode: number, page: string): FastifyReply {
    return reply.code(statusCode).type('text/html; charset=utf-8').send(page);
  }
}

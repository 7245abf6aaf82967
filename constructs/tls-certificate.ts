import * as ipaddr from 'ipaddr.js';
import type { Construct } from 'constructs';
import {
  Certificate,
  CertificateSpecPrivateKeyAlgorithm,
  CertificateSpecPrivateKeyEncoding,
  CertificateSpecPrivateKeyRotationPolicy,
  CertificateSpecUsages,
} from '../charts-ts/imports/certificate-cert-manager.io';
import type { Duration } from './duration';
import type { KubeObject } from './platform-component';
import { PlatformError, formatValue } from './platform-error';

/**
 * Typed references to the platform's certificate issuers and the certificates components
 * request from them. A component never names an issuer or a CA Secret in a string: it takes
 * the `CertificateIssuers` the site's `CertManager` exposes and calls `requestCertificate`,
 * which returns the cert-manager Certificate to render and a `TlsCertificate` that servers
 * (its Secret), clients (the CA to trust) and the metrics work (what to alert on) read.
 */

/** The shortest lifetime cert-manager accepts for a certificate. */
export const MINIMUM_CERTIFICATE_DURATION_SECONDS = 3600;
/** The shortest renewal window cert-manager accepts. */
export const MINIMUM_RENEW_BEFORE_SECONDS = 300;

/** How long certificates from an issuer live, and how long before expiry cert-manager renews them. */
export interface CertificateLifetime {
  /** Lifetime of each certificate (the environment's `traffic.certificates.validity`). */
  readonly validity: Duration;
  /** Renewal window before expiry (`traffic.certificates.renewBefore`); also when the expiry alert fires. */
  readonly renewBefore: Duration;
}

/**
 * The CA certificate a client must trust to verify what an issuer signs: the `ca.crt` key of
 * a Secret in the cert-manager namespace. Clients in the same site need not read it there:
 * a CA issuer writes the same CA certificate into the `ca.crt` of every Secret it issues, so a
 * client that holds a certificate of its own from the same issuer finds it beside its key.
 */
export interface TrustAnchor {
  /** What the CA is, for people: `the production internal root CA of site lusaka`. */
  readonly description: string;
  /** Where its certificate is. */
  readonly secret: { readonly namespace: string; readonly name: string; readonly key: 'ca.crt' };
}

/** A cert-manager ClusterIssuer a Certificate names, with what a requester needs to know about it. */
export interface IssuerRef {
  readonly name: string;
  readonly kind: 'ClusterIssuer';
  readonly group: 'cert-manager.io';
  /** The CA a client must trust to verify certificates from this issuer. */
  readonly trustAnchor: TrustAnchor;
  /** Lifetime and renewal window of the certificates requested from it. */
  readonly lifetime: CertificateLifetime;
}

/** The issuers of one site, as `CertManager.issuers` exposes them. */
export interface CertificateIssuers {
  /** The environment's internal CA: every platform certificate, in-cluster and cross-site names. */
  readonly internal: IssuerRef;
  /** The issuer of the public host's certificate: the bank's CA, or the internal CA. */
  readonly public: IssuerRef;
  /** DNS domains public names may be in (the approved in-country domains, e.g. `lms.co.zm`). */
  readonly approvedDomains: readonly string[];
}

/** Extended key usages a certificate may be requested for; `digital signature` is always added. */
export const CERTIFICATE_USAGES = ['server auth', 'client auth'] as const;
export type CertificateUsage = (typeof CERTIFICATE_USAGES)[number];

/** cert-manager's metrics for one certificate: what the expiry and readiness alerts select. */
export interface CertificateMetrics {
  /** The labels cert-manager puts on the certificate's series. */
  readonly labels: { readonly name: string; readonly namespace: string };
  /** `certmanager_certificate_expiration_timestamp_seconds{...}`: the certificate's notAfter, in Unix seconds. */
  readonly expirySeries: string;
  /** `certmanager_certificate_ready_status{...,condition="True"}`: 1 while the certificate is issued and current. */
  readonly readySeries: string;
  /** When less than this is left before expiry, renewal has failed and the alert fires. */
  readonly renewBeforeSeconds: number;
}

/** The cert-manager metric of a certificate's expiry time. */
export const EXPIRY_METRIC = 'certmanager_certificate_expiration_timestamp_seconds';
/** The cert-manager metric of a certificate's Ready condition. */
export const READY_METRIC = 'certmanager_certificate_ready_status';

/**
 * A certificate cert-manager keeps current in a Secret (`tls.crt`, `tls.key`, `ca.crt`): what
 * the server mounts, what its clients must trust and what the metrics work alerts on.
 */
export interface TlsCertificate {
  /** The Certificate's name: cert-manager's metrics label it `name`. */
  readonly name: string;
  readonly namespace: string;
  /** The Secret the server mounts, in `namespace`. */
  readonly secretName: string;
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
  readonly usages: readonly CertificateUsage[];
  readonly issuer: IssuerRef;
  readonly duration: Duration;
  readonly renewBefore: Duration;
  /** The CA a client must trust to verify this certificate (the issuer's). */
  readonly trustAnchor: TrustAnchor;
  readonly metrics: CertificateMetrics;
}

/** What a component asks for. */
export interface CertificateRequest {
  /** Certificate name, a DNS label: `loan-service`. */
  readonly name: string;
  /** Namespace of the Certificate and its Secret: the server's own. */
  readonly namespace: string;
  /**
   * Names the certificate is valid for: hosts in an approved in-country domain, or
   * cluster-internal names of `namespace` (`<service>.<namespace>`, `<service>.<namespace>.svc`,
   * `<service>.<namespace>.svc.cluster.local`, or names below them; a leading `*.` only in
   * cluster-internal names).
   */
  readonly dnsNames: readonly string[];
  /**
   * IP addresses the certificate is valid for, private IPv4 addresses only.
   * @default - none
   */
  readonly ipAddresses?: readonly string[];
  /**
   * Extended key usages.
   * @default ['server auth']
   */
  readonly usages?: readonly CertificateUsage[];
  /**
   * Which issuer signs it: `public` only for names outside clients reach (the Gateway's host).
   * @default 'internal'
   */
  readonly issuer?: 'internal' | 'public';
  /**
   * The Secret cert-manager writes.
   * @default `${name}-tls`
   */
  readonly secretName?: string;
  /**
   * Labels of the Certificate.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/** A requested certificate: the reference to pass around, and the object to render with the requester's. */
export interface RequestedCertificate {
  readonly reference: TlsCertificate;
  readonly object: KubeObject;
}

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const DNS_LABEL_ALLOWED = 'a DNS label: lower-case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters';

/** Whether `value` is a DNS label (a Kubernetes object or namespace name). */
export function isDnsLabel(value: unknown): value is string {
  return typeof value === 'string' && DNS_LABEL.test(value);
}

/**
 * A duration as cert-manager reads it (Go's `time.ParseDuration`, which has no days):
 * `90d` is `2160h`, `90m` is `90m`.
 */
export function certManagerDuration(duration: Duration): string {
  const seconds = duration.totalSeconds;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/**
 * Checks that certificates can live `lifetime`: at least cert-manager's minimum duration,
 * a renewal window of at least its minimum, and a lifetime longer than its renewal window.
 * `where` names the place; `field` the prop holding the lifetime.
 */
export function checkLifetime(where: string, field: string, lifetime: CertificateLifetime): void {
  if (lifetime.validity.totalSeconds < MINIMUM_CERTIFICATE_DURATION_SECONDS) {
    throw new PlatformError(`${where}: ${field}.validity: ${formatValue(lifetime.validity.toString())} is not allowed (allowed: at least "1h", cert-manager's shortest certificate lifetime)`);
  }
  if (lifetime.renewBefore.totalSeconds < MINIMUM_RENEW_BEFORE_SECONDS) {
    throw new PlatformError(`${where}: ${field}.renewBefore: ${formatValue(lifetime.renewBefore.toString())} is not allowed (allowed: at least "5m", cert-manager's shortest renewal window)`);
  }
  if (!lifetime.validity.isLongerThan(lifetime.renewBefore)) {
    throw new PlatformError(
      `${where}: ${field}.renewBefore: ${formatValue(lifetime.renewBefore.toString())} is not shorter than validity ${formatValue(lifetime.validity.toString())} (allowed: a renewal window shorter than the lifetime, or the certificate is renewed forever)`,
    );
  }
}

/** cert-manager's series selector for a certificate: `{name="loan-service",namespace="lms-apps"}`. */
export function certificateMetrics(name: string, namespace: string, renewBefore: Duration): CertificateMetrics {
  const selector = `name=${JSON.stringify(name)},namespace=${JSON.stringify(namespace)}`;
  return {
    labels: { name, namespace },
    expirySeries: `${EXPIRY_METRIC}{${selector}}`,
    readySeries: `${READY_METRIC}{${selector},condition="True"}`,
    renewBeforeSeconds: renewBefore.totalSeconds,
  };
}

/**
 * Requests a certificate from one of the site's issuers: validates the request and renders
 * the cert-manager Certificate (ECDSA P-256 key in PKCS#8, a new key at every renewal,
 * lifetime and renewal window from the issuer). The requester renders `object` with its own
 * objects and mounts `reference.secretName`.
 *
 * @throws PlatformError naming the requester's path, the field, the bad value and what is allowed
 */
export function requestCertificate(requester: Construct, issuers: CertificateIssuers, request: CertificateRequest): RequestedCertificate {
  const path = requester.node.path;
  if (!isDnsLabel(request.name)) {
    throw new PlatformError(`${path}: requestCertificate: name: ${formatValue(request.name)} is not allowed (allowed: ${DNS_LABEL_ALLOWED})`);
  }
  const where = `${path}: requestCertificate ${request.name}`;
  if (!isDnsLabel(request.namespace)) {
    throw new PlatformError(`${where}: namespace: ${formatValue(request.namespace)} is not allowed (allowed: ${DNS_LABEL_ALLOWED})`);
  }
  const secretName = request.secretName ?? `${request.name}-tls`;
  if (!isDnsLabel(secretName)) {
    throw new PlatformError(`${where}: secretName: ${formatValue(secretName)} is not allowed (allowed: ${DNS_LABEL_ALLOWED})`);
  }
  const issuerChoice = request.issuer ?? 'internal';
  if (issuerChoice !== 'internal' && issuerChoice !== 'public') {
    throw new PlatformError(`${where}: issuer: ${formatValue(issuerChoice)} is not allowed (allowed: "internal", "public")`);
  }
  const issuer = issuers[issuerChoice];
  checkLifetime(where, `issuer ${issuer.name}: lifetime`, issuer.lifetime);
  checkDnsNames(where, request.dnsNames, request.namespace, issuerChoice, issuers.approvedDomains);
  const ipAddresses = request.ipAddresses ?? [];
  checkIpAddresses(where, ipAddresses);
  const usages = request.usages ?? ['server auth'];
  checkUsages(where, usages);

  const { validity, renewBefore } = issuer.lifetime;
  const object = Certificate.manifest({
    metadata: { name: request.name, namespace: request.namespace, ...(request.labels ? { labels: { ...request.labels } } : {}) },
    spec: {
      secretName,
      dnsNames: [...request.dnsNames],
      ...(ipAddresses.length > 0 ? { ipAddresses: [...ipAddresses] } : {}),
      duration: certManagerDuration(validity),
      renewBefore: certManagerDuration(renewBefore),
      issuerRef: { name: issuer.name, kind: issuer.kind, group: issuer.group },
      // ECDSA P-256: fast handshakes, small keys, read by every client the platform runs.
      // PKCS#8 is the encoding Java and .NET clients read without conversion. A new key at
      // every renewal, so a leaked key dies with its certificate.
      privateKey: {
        algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA,
        size: 256,
        encoding: CertificateSpecPrivateKeyEncoding.PKCS8,
        rotationPolicy: CertificateSpecPrivateKeyRotationPolicy.ALWAYS,
      },
      usages: [CertificateSpecUsages.DIGITAL_SIGNATURE, ...usages.map(usageOf)],
      revisionHistoryLimit: 3,
    },
  }) as KubeObject;

  return {
    object,
    reference: {
      name: request.name,
      namespace: request.namespace,
      secretName,
      dnsNames: [...request.dnsNames],
      ipAddresses: [...ipAddresses],
      usages: [...usages],
      issuer,
      duration: validity,
      renewBefore,
      trustAnchor: issuer.trustAnchor,
      metrics: certificateMetrics(request.name, request.namespace, renewBefore),
    },
  };
}

function usageOf(usage: CertificateUsage): CertificateSpecUsages {
  return usage === 'server auth' ? CertificateSpecUsages.SERVER_AUTH : CertificateSpecUsages.CLIENT_AUTH;
}

const DNS_NAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * The namespace a cluster-internal name belongs to (`vault.lms-security.svc` -> `lms-security`),
 * or undefined when the name is not one: `<...>.<namespace>.svc`, `<...>.<namespace>.svc.cluster.local`
 * or a two-label `<service>.<namespace>`.
 */
function clusterNamespaceOf(labels: readonly string[]): string | undefined {
  const joined = labels.join('.');
  const suffix = joined.endsWith('.svc.cluster.local') ? 3 : joined.endsWith('.svc') ? 1 : undefined;
  if (suffix !== undefined) return labels.length >= suffix + 2 ? labels[labels.length - suffix - 1] : undefined;
  return labels.length === 2 ? labels[1] : undefined;
}

function checkDnsNames(where: string, dnsNames: readonly string[], namespace: string, issuer: 'internal' | 'public', approvedDomains: readonly string[]): void {
  if (!Array.isArray(dnsNames) || dnsNames.length === 0) {
    throw new PlatformError(`${where}: dnsNames: ${formatValue(dnsNames)} is not allowed (allowed: at least one DNS name the certificate is for)`);
  }
  const publicNames = approvedDomains.map((domain) => `*.${domain}`).join(', ');
  const internalNames = `<service>.${namespace}, <service>.${namespace}.svc or <service>.${namespace}.svc.cluster.local`;
  const allowed = issuer === 'public' ? `a host in ${publicNames}: the public issuer signs public names only` : `a host in ${publicNames}, or a cluster-internal name of namespace "${namespace}": ${internalNames}`;
  dnsNames.forEach((name, index) => {
    const field = `dnsNames[${index}]`;
    if (typeof name !== 'string' || name.length > 253 || !DNS_NAME.test(name)) {
      throw new PlatformError(`${where}: ${field}: ${formatValue(name)} is not a DNS name (allowed: lower-case labels of letters, digits and "-", at most 253 characters, e.g. "vault.lms-security.svc")`);
    }
    if (dnsNames.indexOf(name) !== index) {
      throw new PlatformError(`${where}: ${field}: ${formatValue(name)} is listed twice (allowed: each name once)`);
    }
    const wildcard = name.startsWith('*.');
    const host = wildcard ? name.slice(2) : name;
    const inApprovedDomain = approvedDomains.some((domain) => host === domain || host.endsWith(`.${domain}`));
    const clusterInternal = issuer === 'internal' && !inApprovedDomain && clusterNamespaceOf(host.split('.')) === namespace;
    if (inApprovedDomain && wildcard) {
      throw new PlatformError(`${where}: ${field}: ${formatValue(name)} is not allowed (allowed: a wildcard only in a cluster-internal name of namespace "${namespace}"; list public hosts one by one)`);
    }
    if (!inApprovedDomain && !clusterInternal) {
      throw new PlatformError(`${where}: ${field}: ${formatValue(name)} is not allowed (allowed: ${allowed})`);
    }
  });
}

function checkIpAddresses(where: string, ipAddresses: readonly string[]): void {
  ipAddresses.forEach((address, index) => {
    const field = `ipAddresses[${index}]`;
    if (typeof address !== 'string' || !ipaddr.IPv4.isValidFourPartDecimal(address) || ipaddr.IPv4.parse(address).range() !== 'private') {
      throw new PlatformError(`${where}: ${field}: ${formatValue(address)} is not allowed (allowed: a private IPv4 address in 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, e.g. "10.10.240.1")`);
    }
    if (ipAddresses.indexOf(address) !== index) {
      throw new PlatformError(`${where}: ${field}: ${formatValue(address)} is listed twice (allowed: each address once)`);
    }
  });
}

function checkUsages(where: string, usages: readonly CertificateUsage[]): void {
  const allowed = CERTIFICATE_USAGES.map((usage) => JSON.stringify(usage)).join(', ');
  if (!Array.isArray(usages) || usages.length === 0) {
    throw new PlatformError(`${where}: usages: ${formatValue(usages)} is not allowed (allowed: one or more of ${allowed})`);
  }
  usages.forEach((usage, index) => {
    if (!(CERTIFICATE_USAGES as readonly string[]).includes(usage)) {
      throw new PlatformError(`${where}: usages[${index}]: ${formatValue(usage)} is not allowed (allowed: ${allowed})`);
    }
    if (usages.indexOf(usage) !== index) {
      throw new PlatformError(`${where}: usages[${index}]: ${formatValue(usage)} is listed twice (allowed: each usage once)`);
    }
  });
}

import type { Construct } from 'constructs';
import { PlatformComponent, type KubeObject } from './platform-component';
import { PlatformError, formatValue } from './platform-error';
import { requestCertificate, type CertificateIssuers, type CertificateRequest, type TlsCertificate } from './tls-certificate';

export interface CertificatesProps {
  /** The site's issuers (`CertManager.issuers`). */
  readonly issuers: CertificateIssuers;
  /** One request per certificate, each with its own name. */
  readonly requests: readonly CertificateRequest[];
}

/**
 * Certificates a layer requests for endpoints it does not render itself (e.g. the Gateway's
 * listeners): one cert-manager Certificate per request, each exposed as a typed
 * `TlsCertificate` the consumers take. Applied after cert-manager (`applyAfter`) when in
 * its stack, so the Certificates meet its webhook running.
 */
export class Certificates extends PlatformComponent {
  /** The certificates by request name. */
  public readonly certificates: ReadonlyMap<string, TlsCertificate>;
  public override readonly objects: readonly KubeObject[];

  constructor(scope: Construct, id: string, props: CertificatesProps) {
    super(scope, id);
    const certificates = new Map<string, TlsCertificate>();
    const objects: KubeObject[] = [];
    for (const request of props.requests) {
      if (certificates.has(request.name)) {
        throw PlatformError.invalidProp(`Certificates ${this.node.path}`, 'requests', request.name, 'each certificate name once');
      }
      const requested = requestCertificate(this, props.issuers, request);
      certificates.set(request.name, requested.reference);
      objects.push(requested.object);
    }
    if (objects.length === 0) {
      throw new PlatformError(`Certificates ${this.node.path}: requests: ${formatValue([])} is not allowed (allowed: at least one certificate request)`);
    }
    this.certificates = certificates;
    this.objects = objects;
  }

  /** The certificate requested as `name`. */
  public certificate(name: string): TlsCertificate {
    const found = this.certificates.get(name);
    if (!found) throw PlatformError.invalidProp(`Certificates ${this.node.path}`, 'certificate', name, [...this.certificates.keys()].join(', '));
    return found;
  }
}

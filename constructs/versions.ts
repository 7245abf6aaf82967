import { PlatformError, formatValue } from './platform-error';

/**
 * Every version the platform pins, in one typed place: Terraform providers, supported
 * Kubernetes minors, container images (by digest) and, as they arrive, Helm charts and
 * operators. Tests read this file; an unknown name or version is an error, never a fallback.
 */
export const VERSIONS = {
  /**
   * The Terraform providers bundled with the prebuilt cdktf bindings this project pins
   * (@cdktf/provider-kubernetes 12.1.1, @cdktf/provider-helm 12.1.2). cdktf is archived
   * upstream at 0.21.0, so these are final; the provider mirror must serve exactly them.
   */
  terraformProviders: {
    kubernetes: { source: 'hashicorp/kubernetes', version: '2.38.0' },
    helm: { source: 'hashicorp/helm', version: '3.1.1' },
  },

  /**
   * Kubernetes minor versions the rendered objects are written for (cdk8s-plus-28 targets
   * 1.28; nothing rendered uses an API removed before 1.32).
   */
  kubernetes: ['1.28', '1.29', '1.30', '1.31'] as const,

  /**
   * Container images, each pulled from the site's in-country registry mirror by digest.
   * `repository` is the path under the registry host.
   */
  images: {
    /**
     * The bundled loan-service (app-services/loan-service). Its release builds the image
     * from app-services/loan-service/Dockerfile, pushes it to the in-country registry and
     * records the pushed tag and digest here, so every environment deploys exactly that build.
     * No image has been pushed from this repository yet: until the first release replaces it,
     * this digest has the right form but names no pushed image, and a deploy of an `apps`
     * stack would fail to pull.
     */
    loanService: {
      repository: 'lms/loan-service',
      tag: '0.1.0',
      digest: 'sha256:4d6f3a0c1c9b5e2f7a8b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f',
    },
  },
} as const;

export type KubernetesVersion = (typeof VERSIONS.kubernetes)[number];
export type ImageName = keyof typeof VERSIONS.images;

const DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;

/**
 * The full, immutable reference of a pinned image in a registry:
 * `registry.lms.co.zm/lms/loan-service:0.1.0@sha256:...` (the tag is informative; the
 * digest is what the kubelet pulls).
 */
export function imageReference(registry: string, name: ImageName): string {
  const image = (VERSIONS.images as Record<string, { repository: string; tag: string; digest: string }>)[name];
  if (!image) {
    throw new PlatformError(
      `versions: images.${String(name)}: ${formatValue(name)} is not a pinned image (allowed: ${Object.keys(VERSIONS.images).join(', ')})`,
    );
  }
  if (!DIGEST_PATTERN.test(image.digest)) {
    throw new PlatformError(
      `versions: images.${name}.digest: ${formatValue(image.digest)} is not an image digest (allowed: "sha256:" and 64 lower-case hex digits)`,
    );
  }
  return `${registry}/${image.repository}:${image.tag}@${image.digest}`;
}

import { judge } from '../../objects';
import { subject } from '../facts';
import type { AuditCheck } from '../types';

/** Terraform providers the platform is built from: each runs against the sites' own services. */
export const ON_PREMISES_PROVIDERS: readonly string[] = ['helm', 'kubernetes', 'vault'];

/**
 * No public-cloud service: every stack requires and configures only the on-premises
 * providers (kubernetes, helm, vault), and creates no resource of another provider
 * (`aws_*`, `google_*`, `azurerm_*`, ...).
 */
export const noPublicCloud: AuditCheck = (plan) =>
  plan.stacks.flatMap((stack) => {
    const required = Object.keys((stack.terraform.terraform as { required_providers?: Record<string, unknown> } | undefined)?.required_providers ?? {});
    const allowed = `only the providers ${ON_PREMISES_PROVIDERS.join(', ')}`;
    const violations = [
      ...required.filter((name) => !ON_PREMISES_PROVIDERS.includes(name)).map((name) => ({ path: `terraform.required_providers.${name}`, value: name, allowed })),
      ...stack.providers.filter((provider) => !ON_PREMISES_PROVIDERS.includes(provider.type)).map((provider) => ({ path: `provider.${provider.type}`, value: provider.type, allowed })),
      ...Object.keys(stack.resourceTypes)
        .filter((type) => !ON_PREMISES_PROVIDERS.some((provider) => type.startsWith(`${provider}_`)))
        .map((type) => ({ path: `resource.${type}`, value: type, allowed: `resources of ${ON_PREMISES_PROVIDERS.join(', ')} only` })),
    ];
    return judge(subject('TerraformStack', stack.name, stack.name), violations);
  });

import { z } from 'zod';
import { describeValue, inDomain } from './common';

/**
 * Data sovereignty (Bank of Zambia): every image, endpoint and DNS name stays in Zambia.
 * These lists are the only in-country places the environments may name.
 */
export const DATA_SOVEREIGNTY = {
  country: 'ZM',
  /** Container registry mirrors every image must be pulled from. */
  approvedRegistries: ['registry.lms.co.zm'],
  /** DNS domains (and their subdomains) that cluster API, state and service endpoints may use. */
  approvedDomains: ['lms.co.zm'],
} as const;

function inApprovedDomain(host: string): boolean {
  return DATA_SOVEREIGNTY.approvedDomains.some((domain) => inDomain(host, domain));
}

const approvedDomainsText = DATA_SOVEREIGNTY.approvedDomains.map((d) => `*.${d}`).join(', ');

/** An https URL whose host is in an approved in-country domain. */
export const inCountryEndpoint = z.string().superRefine((value, ctx) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: `${JSON.stringify(value)} is not a URL (allowed: https://<host in ${approvedDomainsText}>[:port])` });
    return;
  }
  if (url.protocol !== 'https:') {
    ctx.addIssue({ code: 'custom', message: `${JSON.stringify(value)} does not use https (allowed: https://<host in ${approvedDomainsText}>[:port])` });
  } else if (!inApprovedDomain(url.hostname)) {
    ctx.addIssue({
      code: 'custom',
      message: `${JSON.stringify(value)} is not an approved in-country endpoint (allowed: https://<host in ${approvedDomainsText}>)`,
    });
  } else if (url.pathname !== '/' || url.search || url.username || url.password) {
    ctx.addIssue({
      code: 'custom',
      message: `${JSON.stringify(value)} must be a bare endpoint, without path, query or credentials (allowed: https://<host>[:port])`,
    });
  }
});

/**
 * An https URL, path allowed, whose host is in an approved in-country domain: where a service
 * of the bank publishes something (an identity provider's issuer or its keys).
 */
export const inCountryUrl = z.string().superRefine((value, ctx) => {
  const allowed = `allowed: https://<host in ${approvedDomainsText}>[:port][/path]`;
  if (!URL.canParse(value)) {
    ctx.addIssue({ code: 'custom', message: `${JSON.stringify(value)} is not a URL (${allowed})` });
    return;
  }
  const url = new URL(value);
  if (url.protocol !== 'https:') {
    ctx.addIssue({ code: 'custom', message: `${JSON.stringify(value)} does not use https (${allowed})` });
  } else if (!inApprovedDomain(url.hostname)) {
    ctx.addIssue({ code: 'custom', message: `${JSON.stringify(value)} is not an approved in-country URL (${allowed})` });
  } else if (url.search || url.hash || url.username || url.password) {
    ctx.addIssue({ code: 'custom', message: `${JSON.stringify(value)} must not carry a query, fragment or credentials (${allowed})` });
  }
});

/** One of the approved in-country registry mirrors. */
export const approvedRegistry = z.string().refine((value) => (DATA_SOVEREIGNTY.approvedRegistries as readonly string[]).includes(value), {
  error: (issue) =>
    `${describeValue(issue.input)} is not an approved in-country registry (allowed: ${DATA_SOVEREIGNTY.approvedRegistries.join(', ')})`,
});

/** A DNS domain inside an approved in-country domain. */
export const inCountryDnsDomain = z.string().refine((value) => /^([a-z0-9-]+\.)+[a-z]+$/.test(value) && inApprovedDomain(value), {
  error: (issue) => `${describeValue(issue.input)} is not a DNS domain in an approved in-country domain (allowed: ${approvedDomainsText})`,
});

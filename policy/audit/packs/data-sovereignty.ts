import { digestsFromRegistry } from '../rules/digests-from-registry';
import { imagesPinnedByDigest } from '../rules/images-pinned-by-digest';
import { inCountryCharts } from '../rules/in-country-charts';
import { inCountryEndpoints } from '../rules/in-country-endpoints';
import { inCountryImages } from '../rules/in-country-images';
import { noPublicCloud } from '../rules/no-public-cloud';
import { replicationInCountry } from '../rules/replication-in-country';
import { stateAtOwnSite } from '../rules/state-at-own-site';
import type { AuditPack } from '../types';

/** Data sovereignty (Bank of Zambia): every image, chart, endpoint, replica and state file stays in Zambia. */
export const DATA_SOVEREIGNTY_PACK: AuditPack = {
  name: 'data-sovereignty',
  title: 'Data sovereignty',
  description:
    "The Bank of Zambia requires the loan data, and everything that can read or restore it, to stay in Zambia. These rules read every stack's Terraform JSON (providers, backend, Kubernetes objects, Helm values) and the charts it carries.",
  rules: [
    { id: 'LMS-SOV-001', level: 'error', title: 'Every image from an approved in-country registry', why: "Images are pulled from the in-country mirror only, Helm charts' images included: a pull never leaves Zambia or depends on what a public registry serves that day.", check: inCountryImages },
    { id: 'LMS-SOV-002', level: 'error', title: 'Every image pinned by digest', why: 'A tag can be moved to other content; a sha256 digest names exactly the image that was scanned and copied in, at both sites and after every restart.', check: imagesPinnedByDigest },
    { id: 'LMS-SOV-003', level: 'error', title: 'Every chart from the in-country chart repository', why: "A chart fetched from a public repository at apply time could change or vanish; the site's own repository (or a chart the stack carries) keeps what is installed in Zambia and reviewable.", check: inCountryCharts },
    { id: 'LMS-SOV-004', level: 'error', title: 'Every endpoint inside the two Zambian sites', why: 'A URL or host outside the sites (a public API, a SaaS, a cloud bucket) is a path for data to leave the country; cluster-internal names, private addresses and *.lms.co.zm hosts stay in the sites.', check: inCountryEndpoints },
    { id: 'LMS-SOV-005', level: 'error', title: 'No public-cloud provider or resource', why: 'A stack that configured a cloud provider could create storage or services abroad; only the on-premises kubernetes, helm and vault providers are used.', check: noPublicCloud },
    { id: 'LMS-SOV-006', level: 'error', title: 'Terraform state in-country, at its own site', why: "State holds every resource's attributes; kept in the site's own object store it stays in Zambia, and the DR site can plan and apply with the primary gone.", check: stateAtOwnSite },
    { id: 'LMS-SOV-007', level: 'error', title: "Bucket replication targets the environment's other Zambian site", why: 'Replicated copies of loan documents and backups must land in the other Zambian site and nowhere else.', check: replicationInCountry },
    { id: 'LMS-SOV-008', level: 'warning', title: "Every image's digest recorded from the in-country registry", why: 'A stand-in digest has the right form but names no image the registry holds: the deploy cannot pull it until the release that mirrors the image records its real digest. Reported until then, so nobody mistakes it for a verified image.', check: digestsFromRegistry },
  ],
};

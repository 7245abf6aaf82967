import * as fs from 'fs';
import * as path from 'path';
import type { Construct } from 'constructs';
import { LOAN_SERVICE_NAME } from '../charts-ts/loan-service-chart';
import { siteNamespaces } from '../constructs/namespaces';
import { PlatformError, formatValue } from '../constructs/platform-error';
import { RUNBOOK_PHASES, RUNBOOK_PROCEDURES, contributesRunbookSteps, type RunbookProcedure, type RunbookStep } from '../constructs/runbook-step';
import { SITE_NAMES, type Environment, type Site, type SiteName } from '../environments/schema';
import { LAYERS, stackName } from './layers/order';

/** The Vault policy of the failover's DNS update: read-only on the TSIG key's path. */
export const DNS_FAILOVER_POLICY = 'failover-dns';

/** Where the synth writes the runbooks, inside its output folder. */
export const RUNBOOK_DIR = 'runbooks';

/** `production-failover.md`. */
export function runbookFileName(environmentName: string): string {
  return `${environmentName}-failover.md`;
}

/**
 * The failover runbook of an environment, as Markdown: the public name and where it points,
 * then two procedures, failover (primary to disaster-recovery site) and fail back, each an
 * ordered list of steps (this module's own: declare, promote, move the public name, verify,
 * record; and every step `contributed` by a component, placed by phase), with the expected
 * time against the recovery time objective. Pure and deterministic: the same environment and
 * steps give the same text.
 *
 * @throws PlatformError for a contributed step with a duplicate id, an unknown procedure or
 *   phase, no title, or minutes that are not a whole number
 */
export function failoverRunbook(environment: Environment, contributed: readonly RunbookStep[] = []): string {
  const where = `failoverRunbook ${environment.name}`;
  checkSteps(where, contributed);
  const primary = SITE_NAMES.find((name) => environment.sites[name].role === 'primary')!;
  const standby = SITE_NAMES.find((name) => environment.sites[name].role === 'disaster-recovery')!;
  const { traffic, objectives } = environment;
  const dns = traffic.dnsFailover;
  const gateway = (name: SiteName) => environment.sites[name].network.gatewayAddress;

  const lines: string[] = [
    `# Failover runbook: ${environment.name}`,
    '',
    `Written by \`npm run synth\` from \`environments/${environment.name}.ts\` and the platform's components. Do not edit it: change them and synthesize again.`,
    '',
    '| | |',
    '|---|---|',
    `| Public host name | \`${traffic.publicHost}\` |`,
    `| Primary site | ${title(primary)} (${environment.sites[primary].dataCentre}), Gateway address \`${gateway(primary)}\` |`,
    `| Disaster-recovery site | ${title(standby)} (${environment.sites[standby].dataCentre}), Gateway address \`${gateway(standby)}\` |`,
    `| Public DNS record | \`${fqdn(traffic.publicHost)}\` A \`${gateway(primary)}\`, TTL ${dns.ttlSeconds} s, zone \`${dns.zone}\`, primary name server \`${dns.server}\` |`,
    `| How the record moves | ${dns.update === 'rfc2136' ? `dynamic update (RFC 2136) signed with the TSIG key at Vault \`${dns.tsigKeyVaultPath}\`` : 'changed by the DNS administrators on a change request'} |`,
    `| Recovery time objective | ${objectives.recoveryTime} |`,
    `| Recovery point objective | ${objectives.recoveryPoint} |`,
    '',
    `\`${traffic.publicHost}\` points at the primary site's Gateway. A failover promotes ${title(standby)} and then moves the name to ${title(standby)}'s Gateway. Nothing moves it on its own: external-dns is not deployed, because the bank's change process expects each DNS change to be made under an approved change, and the ${dns.update === 'rfc2136' ? '`nsupdate` script' : 'change request'} below makes the change exact and repeatable.`,
    '',
    '## Before you start',
    '',
    'Work from a checkout of this repository at the commit deployed last, with `npm ci` done. Each site has its own deploy identity and state (README, "Deploying"); the shell functions below reach each cluster with `kubectl`:',
    '',
    '```sh',
    ...SITE_NAMES.map((name) => kubectlFunction(name, environment.sites[name])),
    '```',
    '',
    ...procedure(environment, 'failover', primary, standby, contributed),
    ...procedure(environment, 'fail-back', standby, primary, contributed),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * Minutes a failover takes until the public name is served by the disaster-recovery site:
 * the runbook's own steps and `contributed` ones before the `finish` phase, and the DNS TTL.
 * The log-shipping construct adds the database's restore to this for its recovery time.
 */
export function failoverMinutesUntilServed(environment: Environment, contributed: readonly RunbookStep[]): number {
  const primary = SITE_NAMES.find((name) => environment.sites[name].role === 'primary')!;
  const standby = SITE_NAMES.find((name) => environment.sites[name].role === 'disaster-recovery')!;
  const steps = [...ownSteps(environment, 'failover', primary, standby), ...contributed.filter((step) => step.procedure === 'failover')];
  return steps.filter((step) => step.phase !== 'finish').reduce((sum, step) => sum + step.expectedMinutes, 0) + Math.ceil(environment.traffic.dnsFailover.ttlSeconds / 60);
}

/** Every runbook step contributed by a construct under `scopes`, in construct-tree order. */
export function runbookStepsOf(scopes: readonly Construct[]): RunbookStep[] {
  return scopes.flatMap((scope) => scope.node.findAll().flatMap((construct) => (contributesRunbookSteps(construct) ? construct.runbookSteps : [])));
}

/**
 * Writes each environment's runbook to `<outdir>/runbooks/<environment>-failover.md`, with the
 * steps of the constructs under its stacks (`scopesOf(environment)`).
 */
export function writeRunbooks(outdir: string, environments: readonly Environment[], scopesOf: (environment: Environment) => readonly Construct[]): void {
  const directory = path.join(outdir, RUNBOOK_DIR);
  fs.mkdirSync(directory, { recursive: true });
  for (const environment of environments) {
    fs.writeFileSync(path.join(directory, runbookFileName(environment.name)), failoverRunbook(environment, runbookStepsOf(scopesOf(environment))));
  }
}

/** One procedure: its steps in phase order, numbered, then the expected time. */
function procedure(environment: Environment, kind: RunbookProcedure, from: SiteName, to: SiteName, contributed: readonly RunbookStep[]): string[] {
  const steps = [...ownSteps(environment, kind, from, to), ...contributed.filter((step) => step.procedure === kind)].sort(
    (a, b) => RUNBOOK_PHASES.indexOf(a.phase) - RUNBOOK_PHASES.indexOf(b.phase) || (a.order ?? 0) - (b.order ?? 0) || a.id.localeCompare(b.id),
  );
  const heading = kind === 'failover' ? `## Failover: ${title(from)} to ${title(to)}` : `## Fail back: ${title(from)} to ${title(to)}`;
  const intro =
    kind === 'failover'
      ? `When ${title(from)} cannot serve (site lost, or down longer than the recovery time objective allows), ${title(to)} takes over. Do the steps in order; each says how to check it before the next.`
      : `Once ${title(to)} is rebuilt and its data has caught up with ${title(from)}, the roles go back. The procedure is the failover's, in the other direction, with ${title(from)} kept serving until ${title(to)} is ready.`;
  const out = [heading, '', intro, ''];
  steps.forEach((step, index) => {
    out.push(`### ${index + 1}. ${step.title}`, '', `_${step.phase}, about ${step.expectedMinutes} min_ (\`${step.id}\`)`, '', step.body.trimEnd(), '');
  });
  // Service is back once the public name resolves to the new primary everywhere: the
  // steps before `finish`, then the TTL. The `finish` steps follow without holding it up.
  const ttlMinutes = Math.ceil(environment.traffic.dnsFailover.ttlSeconds / 60);
  const numbered = steps.map((step, index) => ({ step, number: index + 1 }));
  const untilServed = numbered.filter(({ step }) => step.phase !== 'finish');
  const afterwards = numbered.filter(({ step }) => step.phase === 'finish');
  const total = untilServed.reduce((sum, { step }) => sum + step.expectedMinutes, 0) + ttlMinutes;
  const rtoMinutes = environment.objectives.recoveryTime.totalSeconds / 60;
  out.push(
    '### Expected time',
    '',
    '| step | minutes |',
    '|---|---:|',
    ...untilServed.map(({ step, number }) => `| ${number}. ${step.title} | ${step.expectedMinutes} |`),
    `| Resolvers holding the old address (TTL ${environment.traffic.dnsFailover.ttlSeconds} s) | ${ttlMinutes} |`,
    `| **until \`${environment.traffic.publicHost}\` is served by ${title(to)}** | **${total}** |`,
    ...afterwards.map(({ step, number }) => `| ${number}. ${step.title} (afterwards) | ${step.expectedMinutes} |`),
    '',
    total <= rtoMinutes
      ? `${total} min is within the recovery time objective of ${environment.objectives.recoveryTime} (${rtoMinutes} min), leaving ${rtoMinutes - total} min for diagnosis and the decision to ${kind === 'failover' ? 'fail over' : 'fail back'}.`
      : `**${total} min is above the recovery time objective of ${environment.objectives.recoveryTime} (${rtoMinutes} min).** Shorten the steps or rehearse them until they fit.`,
    '',
  );
  return out;
}

/** The runbook's own steps of a procedure, from `from` (today's primary) to `to`. */
function ownSteps(environment: Environment, kind: RunbookProcedure, from: SiteName, to: SiteName): RunbookStep[] {
  const file = `environments/${environment.name}.ts`;
  const target = environment.sites[to];
  const stacks = LAYERS.map((layer) => stackName(environment.name, to, layer));
  const otherStacks = LAYERS.map((layer) => stackName(environment.name, from, layer));
  const apps = siteNamespaces().apps;
  const replicas = target.workloads.loanService.replicas;
  const state = target.state.kind === 's3' ? `at ${title(to)} (\`${target.state.endpoint}\`, bucket \`${target.state.bucket}\`)` : `in \`${target.state.directory}\``;
  const failover = kind === 'failover';
  const steps: RunbookStep[] = [
    {
      id: 'platform.declare',
      procedure: kind,
      phase: 'assess',
      title: failover ? `Declare the failover to ${title(to)}` : `Decide to fail back to ${title(to)}`,
      expectedMinutes: 15,
      body: failover
        ? [
            `Confirm ${title(from)} cannot serve: \`${environment.traffic.publicHost}\` fails its checks and ${title(from)}'s cluster or Gateway (\`${environment.sites[from].network.gatewayAddress}\`) does not answer. Open the emergency change with the incident number; the DNS change below is made under it.`,
            '',
            `Check ${title(to)} is healthy before anything moves:`,
            '',
            '```sh',
            `${to} get nodes`,
            `${to} -n ${apps} get deployment ${LOAN_SERVICE_NAME}`,
            '```',
          ].join('\n')
        : [
            `${title(to)} is back: its cluster answers, its stacks plan with no change as disaster-recovery site, and its data has caught up with ${title(from)}. Open the change for the fail back; the public name moves back under it.`,
            '',
            '```sh',
            `${to} get nodes`,
            '```',
          ].join('\n'),
    },
    {
      id: 'platform.promote',
      procedure: kind,
      phase: 'promote',
      title: `Promote ${title(to)}`,
      expectedMinutes: 20,
      body: [
        `1. In \`${file}\`, swap the roles: \`sites.${to}.role: 'primary'\` and \`sites.${from}.role: 'disaster-recovery'\`.`,
        `2. Run \`npm run synth\`. It checks that ${title(to)}, once promoted, runs at least ${title(from)}'s loan-service replica count (FailoverCapacity) and that its apps quota holds them; if the synth fails there, ${title(to)} cannot carry the load: stop and escalate.`,
        `3. Deploy ${title(to)}'s stacks, with ${deployCredentials(to, target)} in the environment. Their state is kept ${state}, so they plan and apply ${failover ? `with ${title(from)} gone` : `without touching ${title(from)}`}; the apps stack changes (the loan-service's replica count), the data stack (bucket replication and its heartbeat now run from ${title(to)} to ${title(from)}${failover ? `; the replication Job retries until ${title(from)} answers` : ''}) and the observability stack (the alert rules of its new role):`,
        '',
        '   ```sh',
        `   npx cdktf deploy ${stacks.join(' ')}`,
        '   ```',
        '',
        `4. Wait until the loan-service runs ${replicas} ready replicas at ${title(to)}:`,
        '',
        '   ```sh',
        `   ${to} -n ${apps} get hpa ${LOAN_SERVICE_NAME} -o jsonpath='{.spec.minReplicas}'   # ${replicas}`,
        `   ${to} -n ${apps} rollout status deployment/${LOAN_SERVICE_NAME} --timeout=10m`,
        '   ```',
      ].join('\n'),
    },
    dnsStep(environment, kind, from, to),
    {
      id: 'platform.verify',
      procedure: kind,
      phase: 'verify',
      title: `Verify \`${environment.traffic.publicHost}\` is served by ${title(to)}`,
      expectedMinutes: 10,
      body: verifyBody(environment, to),
    },
    failover
      ? {
          id: 'platform.record-roles',
          procedure: kind,
          phase: 'finish',
          title: 'Record the new roles',
          expectedMinutes: 10,
          body: `Merge the role change in \`${file}\` to the main branch under the change, so every later deploy, ${title(from)}'s included when it returns, uses the new roles: ${title(from)}'s stacks then make it the disaster-recovery site (\`${otherStacks.join('`, `')}\`). Never deploy ${title(from)} from a checkout made before the failover.`,
        }
      : {
          id: 'platform.return-to-standby',
          procedure: kind,
          phase: 'finish',
          title: `Return ${title(from)} to standby`,
          expectedMinutes: 15,
          body: [
            `After the TTL has passed and ${title(from)}'s Gateway no longer receives requests, deploy ${title(from)}'s stacks (with ${deployCredentials(from, environment.sites[from])} in the environment); its loan-service goes back to the standby replica count (${environment.sites[from].workloads.loanService.standbyReplicas}):`,
            '',
            '```sh',
            `npx cdktf deploy ${otherStacks.join(' ')}`,
            '```',
            '',
            `Merge the role change in \`${file}\` to the main branch under the change.`,
          ].join('\n'),
        },
  ];
  return steps;
}

/** Move the public record from `from`'s Gateway to `to`'s: the exact change, by hand or by signed dynamic update. */
function dnsStep(environment: Environment, kind: RunbookProcedure, from: SiteName, to: SiteName): RunbookStep {
  const { publicHost } = environment.traffic;
  const dns = environment.traffic.dnsFailover;
  const oldAddress = environment.sites[from].network.gatewayAddress;
  const newAddress = environment.sites[to].network.gatewayAddress;
  const base = { id: 'dns.move-public-record', procedure: kind, phase: 'traffic' as const, title: `Move \`${publicHost}\` to ${title(to)}'s Gateway` };
  if (dns.update === 'manual') {
    return {
      ...base,
      expectedMinutes: 30,
      body: [
        'Send the DNS administrators this change, under the change opened above:',
        '',
        '| | |',
        '|---|---|',
        `| Zone | \`${dns.zone}\` (primary name server \`${dns.server}\`) |`,
        `| Name | \`${fqdn(publicHost)}\` (\`${relativeName(publicHost, dns.zone)}\` in the zone) |`,
        '| Type | A |',
        `| Old value | \`${oldAddress}\` (${title(from)}'s Gateway) |`,
        `| New value | \`${newAddress}\` (${title(to)}'s Gateway) |`,
        `| TTL | ${dns.ttlSeconds} |`,
        '',
        `The record keeps one address: the old one is replaced, not joined by the new one. Continue once \`${dns.server}\` answers with the new value (next step).`,
      ].join('\n'),
    };
  }
  return {
    ...base,
    expectedMinutes: 5,
    body: [
      `The bank's DNS accepts this dynamic update signed with the TSIG key kept in Vault at \`${dns.tsigKeyVaultPath}\` (field \`keyfile\`, in \`tsig-keygen\` format). The script reads the key at run time into a file only the operator can read and removes it on exit; the key is never written anywhere else. Run it with a token of the site's Vault that carries policy \`${DNS_FAILOVER_POLICY}\` (that path only, read-only; a Vault administrator issues it for the failover: \`vault token create -policy=${DNS_FAILOVER_POLICY} -ttl=1h\`):`,
      '',
      '```sh',
      '#!/usr/bin/env bash',
      `# Moves ${publicHost} from ${title(from)} (${oldAddress}) to ${title(to)} (${newAddress}).`,
      'set -euo pipefail',
      'umask 077',
      'keyfile="$(mktemp)"',
      'trap \'rm -f "$keyfile"\' EXIT',
      `vault kv get -field=keyfile ${dns.tsigKeyVaultPath} > "$keyfile"`,
      'nsupdate -k "$keyfile" <<\'UPDATE\'',
      `server ${dns.server}`,
      `zone ${dns.zone}`,
      `prereq yxrrset ${fqdn(publicHost)} IN A ${oldAddress}`,
      `update delete ${fqdn(publicHost)} IN A ${oldAddress}`,
      `update add ${fqdn(publicHost)} ${dns.ttlSeconds} IN A ${newAddress}`,
      'send',
      'UPDATE',
      '```',
      '',
      `The \`prereq\` line makes the update apply only while the record still holds ${title(from)}'s address: if anyone changed it already, \`nsupdate\` fails with \`NXRRSET\` and changes nothing; look at the record (next step) before going on.`,
    ].join('\n'),
  };
}

function verifyBody(environment: Environment, to: SiteName): string {
  const { publicHost, publicCertificate } = environment.traffic;
  const dns = environment.traffic.dnsFailover;
  const address = environment.sites[to].network.gatewayAddress;
  const ca =
    publicCertificate.issuer === 'internal-ca'
      ? `the ${environment.name} environment's internal root CA certificate`
      : `the certificate chain of the bank's CA, whose key pair is in Secret \`${publicCertificate.caSecretName}\``;
  return [
    `1. The zone's primary server answers with ${title(to)}'s address and the TTL:`,
    '',
    '   ```sh',
    `   dig +norecurse @${dns.server} ${fqdn(publicHost)} A   # ${fqdn(publicHost)} ${dns.ttlSeconds} IN A ${address}`,
    '   ```',
    '',
    `2. The loan-service answers through ${title(to)}'s Gateway (\`CA_BUNDLE\` is a file holding ${ca}):`,
    '',
    '   ```sh',
    `   curl --fail --silent --show-error --cacert "$CA_BUNDLE" --resolve ${publicHost}:443:${address} https://${publicHost}/readyz`,
    '   ```',
    '',
    `3. After ${dns.ttlSeconds} s, the bank's resolvers give the new address too (\`dig ${publicHost} A\` from a branch network), and the same \`curl\` without \`--resolve\` succeeds.`,
  ].join('\n');
}

/** `kitwe() { kubectl ... "$@"; }`: the cluster access a deploy of that site uses. */
function kubectlFunction(name: SiteName, site: Site): string {
  if (site.cluster.kind === 'kubeconfig-context') return `${name}() { kubectl --context ${site.cluster.context} "$@"; }`;
  const token = `${name.toUpperCase()}_TOKEN`;
  return [
    `# ${title(name)}: ${token} and ${name}-ca.crt hold its deploy identity's token and its cluster's CA certificate, from Vault as a deploy job gets them`,
    `${name}() { kubectl --server ${site.cluster.endpoint} --certificate-authority ${name}-ca.crt --token "$${token}" "$@"; }`,
  ].join('\n');
}

/** What `cdktf deploy` of a site needs in its environment (README, "Deploying"). */
function deployCredentials(name: SiteName, site: Site): string {
  const cluster = site.cluster.kind === 'kubeconfig-context' ? `\`KUBE_CONFIG_PATH\` naming a kubeconfig with context \`${site.cluster.context}\`` : `${title(name)}'s \`KUBE_TOKEN\` and \`KUBE_CLUSTER_CA_CERT_DATA\``;
  const state = site.state.kind === 's3' ? `, and \`AWS_ACCESS_KEY_ID\`, \`AWS_SECRET_ACCESS_KEY\` of its state store` : '';
  return `${cluster}${state}`;
}

function checkSteps(where: string, steps: readonly RunbookStep[]): void {
  const own = ['platform.declare', 'platform.promote', 'dns.move-public-record', 'platform.verify', 'platform.record-roles', 'platform.return-to-standby'];
  steps.forEach((step, index) => {
    const at = `${where}: runbookSteps[${index}]`;
    if (!(RUNBOOK_PROCEDURES as readonly string[]).includes(step.procedure)) throw new PlatformError(`${at}.procedure: ${formatValue(step.procedure)} is not allowed (allowed: ${RUNBOOK_PROCEDURES.join(', ')})`);
    if (!(RUNBOOK_PHASES as readonly string[]).includes(step.phase)) throw new PlatformError(`${at}.phase: ${formatValue(step.phase)} is not allowed (allowed: ${RUNBOOK_PHASES.join(', ')})`);
    if (!/^[a-z0-9]+([.-][a-z0-9]+)*$/.test(step.id)) throw new PlatformError(`${at}.id: ${formatValue(step.id)} is not allowed (allowed: lower-case words joined by "." or "-", e.g. "sql-server.restore-log-backups")`);
    if (own.includes(step.id) || steps.slice(0, index).some((earlier) => earlier.id === step.id && earlier.procedure === step.procedure)) {
      throw new PlatformError(`${at}.id: ${formatValue(step.id)} is already a step of the ${step.procedure} procedure (allowed: each step id once per procedure)`);
    }
    if (!step.title?.trim()) throw new PlatformError(`${at}.title: ${formatValue(step.title)} is not allowed (allowed: a short imperative sentence)`);
    if (!Number.isInteger(step.expectedMinutes) || step.expectedMinutes < 0) {
      throw new PlatformError(`${at}.expectedMinutes: ${formatValue(step.expectedMinutes)} is not allowed (allowed: a whole number of minutes, 0 or more)`);
    }
  });
}

function title(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function fqdn(host: string): string {
  return `${host}.`;
}

/** `loans` for `loans.lms.co.zm` in zone `lms.co.zm`; `@` for the zone's apex. */
function relativeName(host: string, zone: string): string {
  return host === zone ? '@' : host.slice(0, -(zone.length + 1));
}

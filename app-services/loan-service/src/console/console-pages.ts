import type { Identity } from '../auth/identity';
import type { VersionDiff } from '../domain/business-configuration-service';
import type { ConfigVersionRecord } from '../repositories/config-version-repository';
import { fieldOf, formatValue, labelOf, payloadTable } from './console-format';
import { editorFields } from './console-editor';
import { type ConsoleSection, overseesConfiguration, sectionsFor } from './console-sections';
import { CONSOLE_PATH } from './console-session';
import { html, type SafeHtml } from './html';

/** A problem shown at the top of a page: a refusal, or the fields a proposal got wrong. */
export interface PageProblem {
  readonly message: string;
  readonly issues?: readonly string[];
}

interface Chrome {
  readonly title: string;
  readonly identity?: Identity;
  readonly csrf?: string;
  readonly current?: string;
}

/** The page around every console view: header with the user and sign-out, navigation of the sections the user may open. */
export function layout(chrome: Chrome, body: SafeHtml): string {
  const identity = chrome.identity;
  const who = identity === undefined
    ? html``
    : html`<div class="who"><span>Signed in as <strong>${identity.userId}</strong> (${identity.roles.join(', ') || 'no role'}${identity.branches.length > 0 ? `; ${identity.branches.join(', ')}` : ''})</span>
<form class="inline" method="post" action="${CONSOLE_PATH}/sign-out"><input type="hidden" name="csrf" value="${chrome.csrf ?? ''}"><button type="submit">Sign out</button></form></div>`;
  const nav = identity === undefined
    ? html``
    : html`<nav aria-label="Configuration sections"><ul><li><a href="${CONSOLE_PATH}"${chrome.current === 'overview' ? html` aria-current="page"` : ''}>Overview</a></li>${sectionsFor(identity).map(
      (section) => html`<li><a href="${CONSOLE_PATH}/${section.id}"${chrome.current === section.id ? html` aria-current="page"` : ''}>${section.title}</a></li>`,
    )}</ul></nav>`;
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${chrome.title} - LMS business configuration</title><link rel="stylesheet" href="${CONSOLE_PATH}/console.css"></head>
<body><a class="skip" href="#main">Skip to content</a>
<header><h1>Limelight Moneylink - business configuration</h1>${who}</header>${nav}
<main id="main">${body}</main></body></html>
`.markup;
}

export function problemBox(problem: PageProblem | undefined): SafeHtml {
  if (problem === undefined) return html``;
  return html`<div class="error" role="alert"><p><strong>Refused:</strong> ${problem.message}</p>${
    problem.issues === undefined || problem.issues.length === 0 ? '' : html`<ul>${problem.issues.map((issue) => html`<li>${issue}</li>`)}</ul>`
  }</div>`;
}

export function signInPage(options: { readonly problem?: PageProblem; readonly headerMode: boolean }): string {
  const body = options.headerMode
    ? html`<h2>Sign in</h2><p>This service takes identities from the ingress (header mode): sign in at the identity provider and open the console again.</p>`
    : html`<h2>Sign in</h2>${problemBox(options.problem)}
<section class="card"><p>Sign in at the staff identity provider and paste the access token it issues. The console keeps it in a cookie that scripts cannot read, checks it on every request exactly as the API does, and forgets it when you sign out, when the token expires, or after 8 hours.</p>
<form method="post" action="${CONSOLE_PATH}/sign-in">
<label for="token">Access token</label>
<textarea id="token" name="token" rows="4" required autocomplete="off" spellcheck="false" aria-describedby="token-hint"></textarea>
<p id="token-hint" class="hint">A JSON Web Token (three dot-separated parts) from the identity provider.</p>
<button class="primary" type="submit">Sign in</button></form></section>`;
  return layout({ title: 'Sign in' }, body);
}

export function errorPage(identity: Identity | undefined, csrf: string, title: string, problem: PageProblem): string {
  return layout({ title, identity, csrf }, html`<h2>${title}</h2>${problemBox(problem)}<p><a href="${CONSOLE_PATH}">Back to the overview</a></p>`);
}

/** One line per section: what is in force and, for those who oversee configuration, what waits for a decision. */
export interface OverviewRow {
  readonly section: ConsoleSection;
  readonly inForce: string;
  readonly pending: number;
}

export function overviewPage(identity: Identity, csrf: string, rows: readonly OverviewRow[]): string {
  const oversees = overseesConfiguration(identity);
  const body = html`<h2>Overview</h2>
<p class="meta">${identity.roles.includes('config_admin')
    ? 'You may propose changes and approve or reject the proposals of other administrators. Every change is recorded with who made it and when.'
    : oversees ? 'You see every branch and every pending change, read-only.' : 'You see the configuration that applies to your branches, read-only.'}</p>
<table><thead><tr><th scope="col">Section</th><th scope="col">In force</th>${oversees ? html`<th scope="col">Awaiting approval</th>` : ''}</tr></thead>
<tbody>${rows.map((row) => html`<tr><td><a href="${CONSOLE_PATH}/${row.section.id}">${row.section.title}</a></td><td>${row.inForce}</td>${oversees ? html`<td>${row.pending}</td>` : ''}</tr>`)}</tbody></table>`;
  return layout({ title: 'Overview', identity, csrf, current: 'overview' }, body);
}

export function productIndexPage(identity: Identity, csrf: string, section: ConsoleSection, products: ReadonlyArray<{ key: string; inForce: string; pending: boolean }>, problem?: PageProblem): string {
  const admin = identity.roles.includes('config_admin');
  const body = html`<h2>${section.title}</h2><p class="meta">${section.purpose}</p>${problemBox(problem)}
<table><thead><tr><th scope="col">Product</th><th scope="col">In force</th>${overseesConfiguration(identity) ? html`<th scope="col">Proposal waiting</th>` : ''}</tr></thead>
<tbody>${products.map((product) => html`<tr><td><a href="${CONSOLE_PATH}/products/${product.key}">${product.key}</a></td><td>${product.inForce}</td>${overseesConfiguration(identity) ? html`<td>${product.pending ? 'yes' : 'no'}</td>` : ''}</tr>`)}</tbody></table>
${admin ? html`<section class="card"><h3>New product</h3><form method="get" action="${CONSOLE_PATH}/products/new">
<label for="product-id">Product id</label><input type="text" id="product-id" name="productId" required pattern="[a-z0-9][a-z0-9-]{1,98}[a-z0-9]" aria-describedby="product-id-hint">
<p id="product-id-hint" class="hint">3-100 lower-case letters, digits or dashes, e.g. salary-advance.</p>
<button class="primary" type="submit">Open</button></form></section>` : ''}`;
  return layout({ title: section.title, identity, csrf, current: section.id }, body);
}

/** Everything a section page shows. */
export interface SectionView {
  readonly identity: Identity;
  readonly csrf: string;
  readonly section: ConsoleSection;
  readonly key: string;
  /** The version in force, its payload reduced to what the user may see. */
  readonly current: ConfigVersionRecord | undefined;
  /** For config_admin and head_office: the proposal waiting for a decision, and what it changes. */
  readonly pending: { readonly version: ConfigVersionRecord; readonly diff: VersionDiff } | undefined;
  /** For config_admin and head_office: every version, newest first. */
  readonly history: readonly ConfigVersionRecord[];
  readonly notice?: string;
  readonly problem?: PageProblem;
  /** The JSON text of the proposal form (what the admin typed, after a refusal). */
  readonly draft: string;
  /** What the proposal form's fields hold: the version in force, or what the admin typed. */
  readonly draftPayload: unknown;
}

/** `2026-01-15T09:30:00.000Z` as `2026-01-15 09:30 UTC`. */
export function formatTime(iso: string | null): string {
  return iso === null ? '-' : `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function statusBadge(status: string): SafeHtml {
  return html`<span class="status status-${status}">${status}</span>`;
}

export function sectionPath(section: ConsoleSection, key: string): string {
  return section.keyed ? `${CONSOLE_PATH}/${section.id}/${key}` : `${CONSOLE_PATH}/${section.id}`;
}

function diffTable(diff: VersionDiff): SafeHtml {
  if (diff.changes.length === 0) return html`<p>No change from version ${diff.against ?? '-'}.</p>`;
  return html`<table><caption class="meta">Changes ${diff.against === null ? '(first version: everything is new)' : `against version ${diff.against}, in force`}</caption>
<thead><tr><th scope="col">Field</th><th scope="col">Change</th><th scope="col">Before</th><th scope="col">After</th></tr></thead>
<tbody>${diff.changes.map((change) => {
    const field = fieldOf(change.path);
    return html`<tr class="${change.change}"><td>${change.path.includes('[') ? `${labelOf(field)} (${change.path})` : labelOf(field)}</td><td>${change.change}</td><td>${formatValue(field, change.before)}</td><td>${formatValue(field, change.after)}</td></tr>`;
  })}</tbody></table>`;
}

function decisionForms(view: SectionView, pending: ConfigVersionRecord): SafeHtml {
  const { identity } = view;
  if (!identity.roles.includes('config_admin')) return html`<p class="meta">Only a config_admin other than the proposer may approve or reject it.</p>`;
  const base = `${sectionPath(view.section, view.key)}/versions/${pending.version}`;
  const own = pending.proposedBy === identity.userId;
  const hint = own ? html`<p id="own-proposal" class="hint">You proposed this version: another config_admin must approve or reject it (maker-checker).</p>` : '';
  return html`${hint}<form class="inline" method="post" action="${base}/approve"><input type="hidden" name="csrf" value="${view.csrf}">
<button class="primary" type="submit"${own ? html` disabled aria-describedby="own-proposal"` : ''}>Approve version ${pending.version}</button></form>
<form method="post" action="${base}/reject"><input type="hidden" name="csrf" value="${view.csrf}">
<label for="reason">Reason for rejecting</label><input type="text" id="reason" name="reason" maxlength="1000" required${own ? html` disabled aria-describedby="own-proposal"` : ''}>
<button class="danger" type="submit"${own ? html` disabled aria-describedby="own-proposal"` : ''}>Reject version ${pending.version}</button></form>`;
}

export function sectionPage(view: SectionView): string {
  const { identity, section, current, pending } = view;
  const oversees = overseesConfiguration(identity);
  const admin = identity.roles.includes('config_admin');
  const heading = section.keyed ? `${section.title}: ${view.key}` : section.title;
  const body = html`<h2>${heading}</h2><p class="meta">${section.purpose}</p>
${view.notice === undefined ? '' : html`<div class="notice" role="status">${view.notice}</div>`}${problemBox(view.problem)}
<section class="card" aria-labelledby="in-force"><h3 id="in-force">In force</h3>${current === undefined
    ? html`<p>No version has been approved yet.</p>`
    : html`<p class="meta">Version ${current.version}, proposed by ${current.proposedBy} at ${formatTime(current.proposedAt)}, approved by ${current.decidedBy ?? '-'} at ${formatTime(current.decidedAt)}.${
      oversees ? '' : ' Only what concerns your branches is shown.'}</p>${payloadTable(current.payload, `version ${current.version}`)}`}</section>
${oversees ? html`<section class="card" aria-labelledby="pending"><h3 id="pending">Awaiting approval</h3>${pending === undefined
    ? html`<p>Nothing is waiting for a decision.</p>`
    : html`<p class="meta">Version ${pending.version.version} ${statusBadge('proposed')} proposed by <strong>${pending.version.proposedBy}</strong> at ${formatTime(pending.version.proposedAt)}.</p>
${diffTable(pending.diff)}${decisionForms(view, pending.version)}`}</section>` : ''}
${admin && pending === undefined ? html`<section class="card" aria-labelledby="propose"><h3 id="propose">Propose a new version</h3>
<p class="hint">Starts from the version in force. Money is in ngwee (ZMW 1 = 100 ngwee), rates and fees in basis points (2400 = 24%). ${
    section.keyed || !['risk_grades', 'authority_matrix', 'branches'].includes(section.type) ? '' : `Empty the cells of a line to remove it; fill the empty lines to add some (propose, then edit again for more). `
  }Another config_admin must approve it before it applies.</p>
<form method="post" action="${sectionPath(section, view.key)}/propose"><input type="hidden" name="csrf" value="${view.csrf}">
${editorFields(section.type, view.draftPayload)}
<button class="primary" type="submit">Propose</button></form>
<details><summary>Propose as JSON instead</summary>
<form method="post" action="${sectionPath(section, view.key)}/propose"><input type="hidden" name="csrf" value="${view.csrf}">
<label for="payload">New version (JSON)</label>
<textarea id="payload" name="payload" rows="12" required spellcheck="false">${view.draft}</textarea>
<button class="primary" type="submit">Propose JSON</button></form></details></section>` : ''}
${oversees ? html`<section class="card" aria-labelledby="history"><h3 id="history">History</h3>${view.history.length === 0 ? html`<p>No versions yet.</p>` : html`<table>
<thead><tr><th scope="col">Version</th><th scope="col">Status</th><th scope="col">Proposed</th><th scope="col">Decided</th><th scope="col">Reason</th></tr></thead>
<tbody>${view.history.map((version) => html`<tr><td>${version.version}</td><td>${statusBadge(version.status)}</td><td>${version.proposedBy} at ${formatTime(version.proposedAt)}</td><td>${version.decidedBy === null ? '-' : `${version.decidedBy} at ${formatTime(version.decidedAt)}`}</td><td>${version.rejectionReason ?? ''}</td></tr>`)}</tbody></table>`}</section>` : ''}`;
  return layout({ title: heading, identity, csrf: view.csrf, current: section.id }, body);
}

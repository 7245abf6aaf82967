import { DOCUMENT_STORE_DRIVERS, type StartedStore } from '../support/document-store-drivers';
import { MWILA_APPLICATION, seedApprovedConfiguration } from '../support/fixtures';
import { CREDIT_MANAGER_CHILESHE, LOAN_OFFICER_OLIVIA, LUSAKA_BRANCH } from '../support/http-client';
import { startTestService, type TestService } from '../support/test-service';

/** A few bytes that look like a PDF; the service stores bytes as they are. */
const PAYSLIP_PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');
const MAX_DOCUMENT_BYTES = 1024;

describe.each(DOCUMENT_STORE_DRIVERS)('document routes with the %s store', (_name, startStore) => {
  let test: TestService;
  let store: StartedStore;
  let applicationId: string;

  beforeAll(async () => {
    const started = await startStore();
    store = started;
    test = await startTestService({ ...started.environment, MAX_DOCUMENT_BYTES: String(MAX_DOCUMENT_BYTES) });
    await seedApprovedConfiguration(test.client);
    applicationId = (await test.client.post('/v1/applications', { as: LOAN_OFFICER_OLIVIA, body: MWILA_APPLICATION })).json.id;
  });
  afterAll(async () => {
    await test.close();
    await store.stop();
  });

  it('uploads, lists and downloads a document byte for byte', async () => {
    const uploaded = await test.client.post(`/v1/applications/${applicationId}/documents?kind=payslip`, {
      as: LOAN_OFFICER_OLIVIA,
      raw: PAYSLIP_PDF,
      contentType: 'application/pdf',
    });
    expect(uploaded.status).toBe(201);
    expect(uploaded.json).toMatchObject({ applicationId, kind: 'payslip', contentType: 'application/pdf', sizeBytes: PAYSLIP_PDF.length, uploadedBy: 'olivia' });
    expect(uploaded.json.storageKey).toBeUndefined();
    const stored = await store.readStored(`applications/${applicationId}/${uploaded.json.id}`, test.directory);
    expect(stored.equals(PAYSLIP_PDF)).toBe(true);

    const listed = await test.client.get(`/v1/applications/${applicationId}/documents`, { as: CREDIT_MANAGER_CHILESHE });
    expect(listed.json.items.map((item: { id: string }) => item.id)).toContain(uploaded.json.id);

    const response = await fetch(`${test.client.baseUrl}/v1/applications/${applicationId}/documents/${uploaded.json.id}`, {
      headers: { 'x-authenticated-user': 'chileshe', 'x-authenticated-roles': 'credit_manager', 'x-authenticated-branches': LUSAKA_BRANCH },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="payslip-${uploaded.json.id}.pdf"`);
    expect(Buffer.from(await response.arrayBuffer()).equals(PAYSLIP_PDF)).toBe(true);
    expect(test.logLines.some((line) => line.audit === true && line.action === 'document.upload')).toBe(true);
  });

  it('refuses a content type outside the allow-list with 415', async () => {
    const response = await test.client.post(`/v1/applications/${applicationId}/documents?kind=identity_copy`, {
      as: LOAN_OFFICER_OLIVIA,
      raw: Buffer.from('GIF89a'),
      contentType: 'image/gif',
    });
    expect(response.status).toBe(415);
    expect(response.json.message).toBe('Content-Type "image/gif" is not supported here (allowed: application/pdf, image/jpeg, image/png)');
  });

  it('refuses a document over MAX_DOCUMENT_BYTES with 413', async () => {
    const response = await test.client.post(`/v1/applications/${applicationId}/documents?kind=identity_copy`, {
      as: LOAN_OFFICER_OLIVIA,
      raw: Buffer.alloc(MAX_DOCUMENT_BYTES + 1, 0xff),
      contentType: 'image/jpeg',
    });
    expect(response.status).toBe(413);
    expect(response.json.message).toBe(`request body is larger than the limit of ${MAX_DOCUMENT_BYTES} bytes`);
  });

  it('validates the kind, the body and the ids', async () => {
    const badKind = await test.client.post(`/v1/applications/${applicationId}/documents?kind=selfie`, {
      as: LOAN_OFFICER_OLIVIA, raw: PAYSLIP_PDF, contentType: 'application/pdf',
    });
    expect(badKind.status).toBe(400);
    expect(badKind.json.issues).toEqual([
      { path: 'query.kind', message: 'Invalid option: expected one of "identity_copy"|"payslip"|"bank_statement"|"other"' },
    ]);
    const unknownApplication = await test.client.post('/v1/applications/7d3c2f44-1111-4222-8333-944455556666/documents?kind=payslip', {
      as: LOAN_OFFICER_OLIVIA, raw: PAYSLIP_PDF, contentType: 'application/pdf',
    });
    expect(unknownApplication.status).toBe(404);
    const unknownDocument = await test.client.get(`/v1/applications/${applicationId}/documents/7d3c2f44-1111-4222-8333-944455556666`, { as: LOAN_OFFICER_OLIVIA });
    expect(unknownDocument.status).toBe(404);
    expect(unknownDocument.json.message).toBe(
      `document "7d3c2f44-1111-4222-8333-944455556666" does not exist for loan application "${applicationId}"`,
    );
  });

  it('reports the store reachable in /readyz', async () => {
    const ready = await test.client.get('/readyz');
    expect(ready.json).toEqual({ status: 'ready', checks: { database: 'ok', documentStore: 'ok' } });
  });
});

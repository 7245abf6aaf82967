import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DOCUMENT_STORE_DRIVERS, type StartedStore } from '../support/document-store-drivers';
import { MWILA_APPLICATION, seedApprovedConfiguration } from '../support/fixtures';
import { LOAN_OFFICER_OLIVIA, LUSAKA_BRANCH } from '../support/http-client';
import { openRequest } from '../support/raw-request';
import { startTestService, type TestService } from '../support/test-service';

const MAX_DOCUMENT_BYTES = 2 * 1024 * 1024;
const OLIVIA = { 'x-authenticated-user': 'olivia', 'x-authenticated-roles': 'loan_officer', 'x-authenticated-branches': LUSAKA_BRANCH };
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG_START = Buffer.from([0xff, 0xd8, 0xff, 0xe0]);

/** A document of `size` bytes starting with `head`. */
function documentOf(head: Buffer | string, size: number): Buffer {
  const body = Buffer.alloc(size, 0x20);
  (Buffer.isBuffer(head) ? head : Buffer.from(head, 'latin1')).copy(body);
  return body;
}

async function eventually(condition: () => boolean, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return condition();
}

describe.each(DOCUMENT_STORE_DRIVERS)('streamed uploads to the %s store', (_driver, startStore) => {
  let test: TestService;
  let store: StartedStore;

  beforeAll(async () => {
    store = await startStore();
    test = await startTestService({ ...store.environment, MAX_DOCUMENT_BYTES: String(MAX_DOCUMENT_BYTES) });
    await seedApprovedConfiguration(test.client);
  });
  afterAll(async () => {
    await test.close();
    await store.stop();
  });

  /** A fresh application, so each test sees only its own documents. */
  async function newApplication(): Promise<string> {
    return (await test.client.post('/v1/applications', { as: LOAN_OFFICER_OLIVIA, body: MWILA_APPLICATION })).json.id;
  }

  async function documentsOf(applicationId: string): Promise<unknown[]> {
    return (await test.client.get(`/v1/applications/${applicationId}/documents`, { as: LOAN_OFFICER_OLIVIA })).json.items;
  }

  it('stores a document at the limit byte for byte, with the size and SHA-256 of what was streamed', async () => {
    const applicationId = await newApplication();
    const body = documentOf('%PDF-1.7\n', MAX_DOCUMENT_BYTES);
    const uploaded = await test.client.post(`/v1/applications/${applicationId}/documents?kind=bank_statement`, {
      as: LOAN_OFFICER_OLIVIA, raw: body, contentType: 'application/pdf',
    });
    expect(uploaded.status).toBe(201);
    expect(uploaded.json.sizeBytes).toBe(MAX_DOCUMENT_BYTES);
    expect(uploaded.json.sha256).toBe(require('node:crypto').createHash('sha256').update(body).digest('hex'));
    expect((await store.readStored(`applications/${applicationId}/${uploaded.json.id}`, test.directory)).equals(body)).toBe(true);
  });

  it.each<[string, string, Buffer, string]>([
    ['PNG bytes declared as a PDF', 'application/pdf', documentOf(PNG_SIGNATURE, 4096),
      'body does not match Content-Type application/pdf: a PDF starts with 25 50 44 46 2D ("%PDF-"), this body starts with 89 50 4E 47 0D (it looks like image/png)'],
    ['a PDF declared as a PNG', 'image/png', documentOf('%PDF-1.4\n', 4096),
      'body does not match Content-Type image/png: a PNG starts with 89 50 4E 47 0D 0A 1A 0A, this body starts with 25 50 44 46 2D 31 2E 34 (it looks like application/pdf)'],
    ['a PNG declared as a JPEG', 'image/jpeg', documentOf(PNG_SIGNATURE, 4096),
      'body does not match Content-Type image/jpeg: a JPEG starts with FF D8 FF, this body starts with 89 50 4E (it looks like image/png)'],
    ['a text file declared as a JPEG', 'image/jpeg', Buffer.from('hello, world'),
      'body does not match Content-Type image/jpeg: a JPEG starts with FF D8 FF, this body starts with 68 65 6C'],
    ['a body shorter than the signature', 'application/pdf', Buffer.from('%PD'),
      'body does not match Content-Type application/pdf: a PDF starts with 25 50 44 46 2D ("%PDF-"), this body starts with 25 50 44'],
  ])('refuses %s with 415 and stores nothing', async (_case, contentType, body, message) => {
    const applicationId = await newApplication();
    const response = await test.client.post(`/v1/applications/${applicationId}/documents?kind=identity_copy`, {
      as: LOAN_OFFICER_OLIVIA, raw: body, contentType,
    });
    expect(response.status).toBe(415);
    expect(response.json).toEqual({ error: 'unsupported_media_type', message });
    expect(await documentsOf(applicationId)).toEqual([]);
    expect(await store.listStored(`applications/${applicationId}`, test.directory)).toEqual([]);
  });

  it('accepts a JPEG and a PNG whose bytes match', async () => {
    const applicationId = await newApplication();
    for (const [contentType, head] of [['image/jpeg', JPEG_START], ['image/png', PNG_SIGNATURE]] as const) {
      const response = await test.client.post(`/v1/applications/${applicationId}/documents?kind=identity_copy`, {
        as: LOAN_OFFICER_OLIVIA, raw: documentOf(head, 1000), contentType,
      });
      expect(response.status).toBe(201);
    }
  });

  it('answers 413 from the Content-Length before reading the body', async () => {
    const applicationId = await newApplication();
    const upload = openRequest(test.client.baseUrl, 'POST', `/v1/applications/${applicationId}/documents?kind=payslip`, {
      ...OLIVIA, 'content-type': 'application/pdf', 'content-length': String(MAX_DOCUMENT_BYTES + 1),
    });
    try {
      const response = await upload.response();
      expect(response.status).toBe(413);
      expect(response.json).toEqual({ error: 'payload_too_large', message: `request body is larger than the limit of ${MAX_DOCUMENT_BYTES} bytes` });
      expect(response.headers.connection).toBe('close');
    } finally {
      upload.abort();
    }
  });

  it('refuses an upload without Content-Length (411): the length is needed to stream it to storage', async () => {
    const applicationId = await newApplication();
    const upload = openRequest(test.client.baseUrl, 'POST', `/v1/applications/${applicationId}/documents?kind=payslip`, {
      ...OLIVIA, 'content-type': 'application/pdf', 'transfer-encoding': 'chunked',
    });
    await upload.write(Buffer.from('%PDF-1.7\n'));
    try {
      const response = await upload.response();
      expect(response.status).toBe(411);
      expect(response.json).toEqual({
        error: 'length_required',
        message: 'uploads need a Content-Length header (the body is streamed to storage; chunked uploads are not accepted)',
      });
    } finally {
      upload.abort();
    }
    expect(await documentsOf(applicationId)).toEqual([]);
  });

  it('records nothing of an upload the client abandons halfway, and serves the next one', async () => {
    const applicationId = await newApplication();
    const upload = openRequest(test.client.baseUrl, 'POST', `/v1/applications/${applicationId}/documents?kind=payslip`, {
      ...OLIVIA, 'content-type': 'application/pdf', 'content-length': String(MAX_DOCUMENT_BYTES),
    });
    await upload.write(documentOf('%PDF-1.7\n', MAX_DOCUMENT_BYTES / 2));
    await new Promise((resolve) => setTimeout(resolve, 200));
    upload.abort();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await documentsOf(applicationId)).toEqual([]);
    const next = await test.client.post(`/v1/applications/${applicationId}/documents?kind=payslip`, {
      as: LOAN_OFFICER_OLIVIA, raw: documentOf('%PDF-1.7\n', 100), contentType: 'application/pdf',
    });
    expect(next.status).toBe(201);
  });
});

/**
 * Storage-side guarantees seen on disk. (For S3 the same guarantee, an abandoned upload's PUT
 * is aborted and never completes, is tested against a recording endpoint in
 * tests/documents/s3-document-store.test.ts: s3rver writes bodies in place as they arrive.)
 */
describe('streamed uploads on disk', () => {
  let test: TestService;
  beforeAll(async () => {
    test = await startTestService({ MAX_DOCUMENT_BYTES: String(MAX_DOCUMENT_BYTES) });
    await seedApprovedConfiguration(test.client);
  });
  afterAll(async () => {
    await test.close();
  });

  const newApplication = async (): Promise<string> =>
    (await test.client.post('/v1/applications', { as: LOAN_OFFICER_OLIVIA, body: MWILA_APPLICATION })).json.id;
  const filesOf = (applicationId: string): string[] => {
    try {
      return readdirSync(join(test.directory, 'documents', 'applications', applicationId));
    } catch {
      return [];
    }
  };

  it('writes the bytes to storage while they arrive, not after the whole body is in memory', async () => {
    const applicationId = await newApplication();
    const directory = join(test.directory, 'documents', 'applications', applicationId);
    const partialBytes = (): number =>
      filesOf(applicationId)
        .filter((name) => name.endsWith('.partial'))
        .reduce((sum, name) => sum + statSync(join(directory, name)).size, 0);
    const body = documentOf('%PDF-1.7\n', MAX_DOCUMENT_BYTES);
    const upload = openRequest(test.client.baseUrl, 'POST', `/v1/applications/${applicationId}/documents?kind=payslip`, {
      ...OLIVIA, 'content-type': 'application/pdf', 'content-length': String(body.length),
    });
    await upload.write(body.subarray(0, body.length / 2));
    expect(await eventually(() => partialBytes() >= 256 * 1024, 2000)).toBe(true);
    upload.end(body.subarray(body.length / 2));
    const response = await upload.response();
    expect(response.status).toBe(201);
    expect(filesOf(applicationId)).toEqual([response.json.id]);
  });

  it('leaves no file of an upload the client abandons halfway', async () => {
    const applicationId = await newApplication();
    const upload = openRequest(test.client.baseUrl, 'POST', `/v1/applications/${applicationId}/documents?kind=payslip`, {
      ...OLIVIA, 'content-type': 'application/pdf', 'content-length': String(MAX_DOCUMENT_BYTES),
    });
    await upload.write(documentOf('%PDF-1.7\n', MAX_DOCUMENT_BYTES / 2));
    expect(await eventually(() => filesOf(applicationId).length === 1, 2000)).toBe(true);
    upload.abort();
    expect(await eventually(() => filesOf(applicationId).length === 0, 2000)).toBe(true);
  });
});

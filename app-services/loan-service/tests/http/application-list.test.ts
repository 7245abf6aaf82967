import { MWILA_APPLICATION, seedApprovedConfiguration } from '../support/fixtures';
import { CREDIT_MANAGER_CHILESHE, LOAN_OFFICER_OLIVIA } from '../support/http-client';
import { startTestService, type TestService } from '../support/test-service';

describe('GET /v1/applications', () => {
  let test: TestService;
  const ids: string[] = [];

  beforeAll(async () => {
    test = await startTestService();
    await seedApprovedConfiguration(test.client);
    // Five applicants; the 2nd and 4th are rejected.
    for (let index = 1; index <= 5; index++) {
      const body = { ...MWILA_APPLICATION, applicant: { ...MWILA_APPLICATION.applicant, nationalId: `10000${index}/11/1` } };
      const created = await test.client.post('/v1/applications', { as: LOAN_OFFICER_OLIVIA, body });
      ids.push(created.json.id);
      if (index % 2 === 0) {
        await test.client.post(`/v1/applications/${created.json.id}/reject`, { as: CREDIT_MANAGER_CHILESHE, body: { reason: 'test' } });
      }
    }
  });
  afterAll(async () => {
    await test.close();
  });

  it('pages through every application with an opaque cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor === null ? '?limit=2' : `?limit=2&cursor=${cursor}`;
      const page = await test.client.get(`/v1/applications${query}`, { as: LOAN_OFFICER_OLIVIA });
      expect(page.status).toBe(200);
      seen.push(...page.json.items.map((item: { id: string }) => item.id));
      cursor = page.json.nextCursor;
      pages++;
    } while (cursor !== null && pages < 10);
    expect(seen).toEqual(ids);
    expect(pages).toBe(3);
    // 5 rows in pages of 5: the one page says there is no next.
    const exact = await test.client.get('/v1/applications?limit=5', { as: LOAN_OFFICER_OLIVIA });
    expect(exact.json.items).toHaveLength(5);
    expect(exact.json.nextCursor).toBeNull();
  });

  it('filters by status and applicant', async () => {
    const rejected = await test.client.get('/v1/applications?status=rejected', { as: LOAN_OFFICER_OLIVIA });
    expect(rejected.json.items.map((item: { id: string }) => item.id)).toEqual([ids[1], ids[3]]);
    expect(rejected.json.nextCursor).toBeNull();
    const one = await test.client.get('/v1/applications?applicant=100003/11/1&productId=salary-advance', { as: LOAN_OFFICER_OLIVIA });
    expect(one.json.items.map((item: { id: string }) => item.id)).toEqual([ids[2]]);
    // The NRC searched for never reaches the request log; the harmless filters do.
    const logged = test.logLines.filter((line) => JSON.stringify(line).includes('productId=salary-advance'));
    expect(logged.length).toBeGreaterThan(0);
    expect(JSON.stringify(test.logLines)).not.toContain('100003');
    expect(logged.map((line) => (line.req as { url: string }).url)).toContain('/v1/applications?applicant=[redacted]&productId=salary-advance');
  });

  it('rejects bad filters, limits and cursors with field-level messages', async () => {
    const response = await test.client.get('/v1/applications?status=pending&limit=500', { as: LOAN_OFFICER_OLIVIA });
    expect(response.status).toBe(400);
    expect(response.json.issues).toEqual([
      { path: 'query.status', message: 'Invalid option: expected one of "submitted"|"approved"|"rejected"|"disbursed"' },
      { path: 'query.limit', message: 'Too big: expected number to be <=100' },
    ]);
    const cursor = await test.client.get('/v1/applications?cursor=not-a-cursor', { as: LOAN_OFFICER_OLIVIA });
    expect(cursor.status).toBe(400);
    expect(cursor.json.message).toBe('invalid request: query.cursor: is not a cursor returned by this API');
  });
});

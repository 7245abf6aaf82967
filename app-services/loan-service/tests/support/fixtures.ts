import { CONFIG_ADMIN_ALICE, CONFIG_ADMIN_BOB, type HttpClient } from './http-client';

/** ZMW 500 - 50,000, 24% p.a. reducing balance, monthly, 2.5% + ZMW 50 up front, 1-24 months. */
export const SALARY_ADVANCE = {
  name: 'Salary advance',
  currency: 'ZMW',
  annualInterestRateBps: 2400,
  interestMethod: 'reducing_balance',
  repaymentFrequency: 'monthly',
  arrangementFeeBps: 250,
  flatFeeNgwee: 5_000,
  minPrincipalNgwee: 50_000,
  maxPrincipalNgwee: 5_000_000,
  minInstalments: 1,
  maxInstalments: 24,
} as const;

/** A: 700+ up to ZMW 50,000; B: 500+ up to ZMW 20,000. */
export const RISK_GRADES = {
  grades: [
    { grade: 'A', minCreditScore: 700, maxPrincipalNgwee: 5_000_000 },
    { grade: 'B', minCreditScore: 500, maxPrincipalNgwee: 2_000_000 },
  ],
} as const;

/** Every credit manager may approve up to ZMW 50,000 (the largest salary advance) anywhere. */
export const AUTHORITY_FOR_EVERY_CREDIT_MANAGER = {
  rules: [{ productId: '*', riskGrade: '*', branch: '*', maxPrincipalNgwee: 5_000_000 }],
} as const;

/** ZMW 10,000 over 12 months for an applicant earning ZMW 10,000 a month with a grade-A score. */
export const MWILA_APPLICATION = {
  productId: 'salary-advance',
  applicant: { nationalId: '123456/78/1', fullName: 'Mwila Banda', monthlyIncomeNgwee: 1_000_000 },
  creditScore: 720,
  principalNgwee: 1_000_000,
  instalmentCount: 12,
  startDate: '2026-01-15',
} as const;

/** Proposes (alice) and approves (bob) the salary-advance product, the risk grades and an authority matrix letting every credit manager approve. */
export async function seedApprovedConfiguration(client: HttpClient): Promise<void> {
  const steps: Array<[string, unknown]> = [
    ['/v1/products/salary-advance/versions', SALARY_ADVANCE],
    ['/v1/risk-grades/versions', RISK_GRADES],
    ['/v1/authority-matrix/versions', AUTHORITY_FOR_EVERY_CREDIT_MANAGER],
  ];
  for (const [path, body] of steps) {
    const proposed = await client.post(path, { as: CONFIG_ADMIN_ALICE, body });
    if (proposed.status !== 201) throw new Error(`seeding ${path} failed: ${proposed.status} ${proposed.text}`);
    const approved = await client.post(`${path}/${proposed.json.version}/approve`, { as: CONFIG_ADMIN_BOB });
    if (approved.status !== 200) throw new Error(`approving ${path} failed: ${approved.status} ${approved.text}`);
  }
}

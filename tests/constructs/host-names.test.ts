import { cidrContains, dnsNameCovers, domainsText, inAnyDomain, isDnsLabel, isHostName, isIpv4Address, isIpv4Cidr } from '../../constructs/host-names';

describe('host names', () => {
  test('DNS labels and host names are lower-case labels; a host name has at least two', () => {
    expect(['loan-service', 'a', '0x'].map(isDnsLabel)).toEqual([true, true, true]);
    expect(['Loan', '-a', 'a-', 'a.b', '', 'a'.repeat(64), 7].map(isDnsLabel)).toEqual([false, false, false, false, false, false, false]);
    expect(['loans.lms.co.zm', 'a.b'].map(isHostName)).toEqual([true, true]);
    expect(['loans', '*.lms.co.zm', 'loans.lms.co.zm.', 'Loans.lms.co.zm', `${'a'.repeat(63)}.`.repeat(4) + 'zm'].map(isHostName)).toEqual([false, false, false, false, false]);
  });

  test('a domain holds itself and its subdomains, never a look-alike', () => {
    expect(inAnyDomain('lms.co.zm', ['lms.co.zm'])).toBe(true);
    expect(inAnyDomain('loans.lms.co.zm', ['example.org', 'lms.co.zm'])).toBe(true);
    expect(inAnyDomain('evillms.co.zm', ['lms.co.zm'])).toBe(false);
    expect(inAnyDomain('lms.co.zm.example.org', ['lms.co.zm'])).toBe(false);
    expect(domainsText(['lms.co.zm', 'bank.zm'])).toBe('*.lms.co.zm, *.bank.zm');
  });

  test('a certificate name covers the same host, or one label under a wildcard', () => {
    expect(dnsNameCovers('loans.lms.co.zm', 'loans.lms.co.zm')).toBe(true);
    expect(dnsNameCovers('*.lms.co.zm', 'loans.lms.co.zm')).toBe(true);
    expect(dnsNameCovers('*.lms.co.zm', 'grafana.prod.lms.co.zm')).toBe(false);
    expect(dnsNameCovers('*.lms.co.zm', 'lms.co.zm')).toBe(false);
    expect(dnsNameCovers('www.lms.co.zm', 'loans.lms.co.zm')).toBe(false);
  });

  test('IPv4 blocks in canonical form, addresses, and which block holds an address', () => {
    expect(['10.50.0.0/24', '10.10.240.1/32', '0.0.0.0/0'].map(isIpv4Cidr)).toEqual([true, true, true]);
    expect(['10.50.0.1/24', '10.50.0.0', '10.50.0.0/33', 'fd00::/8', '010.50.0.0/24'].map(isIpv4Cidr)).toEqual([false, false, false, false, false]);
    expect(['10.10.240.1', '10.10.240', '10.10.240.256'].map(isIpv4Address)).toEqual([true, false, false]);
    expect(cidrContains('10.10.240.0/29', '10.10.240.7')).toBe(true);
    expect(cidrContains('10.10.240.0/29', '10.10.240.8')).toBe(false);
  });
});

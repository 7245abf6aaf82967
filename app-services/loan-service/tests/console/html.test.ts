import { escapeHtml, html } from '../../src/console/html';
import { formatNgwee, formatValue } from '../../src/console/console-format';

describe('console markup', () => {
  it('escapes every interpolated value unless it is markup built by html', () => {
    const name = '<img src=x onerror="alert(1)"> & \'`';
    expect(html`<td title="${name}">${name}</td>`.markup).toBe(
      '<td title="&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &#39;&#96;">&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &#39;&#96;</td>',
    );
    expect(html`<ul>${['<a>', html`<li>ok</li>`]}</ul>`.markup).toBe('<ul>&lt;a&gt;<li>ok</li></ul>');
    expect(html`${null}${undefined}${false}${0}`.markup).toBe('0');
    expect(escapeHtml('plain')).toBe('plain');
  });

  it('shows money in kwacha without floating point, basis points as percent, and * as any', () => {
    expect(formatNgwee(123_456_789)).toBe('ZMW 1,234,567.89');
    expect(formatNgwee(5)).toBe('ZMW 0.05');
    expect(formatValue('maxPrincipalNgwee', 1_000_000_000_000)).toBe('ZMW 10,000,000,000.00');
    expect(formatValue('annualInterestRateBps', 2450)).toBe('24.50%');
    expect(formatValue('branch', '*')).toBe('any (*)');
    expect(formatValue('acceptsApplications', false)).toBe('no');
    expect(formatValue('approvers', ['chileshe', 'mwansa'])).toBe('chileshe, mwansa');
  });
});

import { cpuMillis, memoryMiB, parseCpuMillis, parseMemoryMiB } from '../../constructs/quantities';
import { PlatformError } from '../../constructs/platform-error';

describe('parseCpuMillis', () => {
  test.each([
    ['250m', 250],
    ['1m', 1],
    ['1', 1000],
    ['0.5', 500],
    ['1.005', 1005],
    ['0.001', 1],
    ['2.500', 2500],
    ['64', 64000],
  ])('%s is %d millicores, exactly', (text, millis) => {
    expect(parseCpuMillis(text)).toEqual({ value: millis });
  });

  test.each([['0.0001'], ['0.0005'], ['0'], ['0m'], ['0.000']])('%s is not a whole number of millicores above 0', (text) => {
    expect(parseCpuMillis(text)).toEqual({ problem: `"${text}" is not a whole number of millicores above 0 (allowed: e.g. "250m", "1")` });
  });

  test.each([['two'], ['500 m'], ['1.5m'], ['.5'], ['1e3'], ['-1'], ['']])('%j is not a CPU quantity', (text) => {
    expect(parseCpuMillis(text)).toEqual({ problem: `${JSON.stringify(text)} is not a CPU quantity (allowed: cores such as "2" or "0.5", or millicores such as "500m")` });
  });

  test('a number is not a CPU quantity: quantities are written as text', () => {
    expect(parseCpuMillis(2)).toEqual({ problem: '2 is not a CPU quantity (allowed: cores such as "2" or "0.5", or millicores such as "500m")' });
  });
});

describe('parseMemoryMiB', () => {
  test.each([
    ['256Mi', 256],
    ['2Gi', 2048],
    ['1Ti', 1048576],
  ])('%s is %d MiB', (text, mebibytes) => {
    expect(parseMemoryMiB(text)).toEqual({ value: mebibytes });
  });

  test.each([['4GB'], ['512M'], ['0Gi'], ['1.5Gi'], ['512'], ['99999999999999999Ti']])('%s is not a memory quantity', (text) => {
    expect(parseMemoryMiB(text)).toEqual({ problem: `"${text}" is not a memory quantity (allowed: a whole number with Mi, Gi or Ti, e.g. "512Mi", "4Gi")` });
  });
});

describe('cpuMillis and memoryMiB', () => {
  test('return the parsed value', () => {
    expect(cpuMillis('1.5', 'LoanService x: sizing.cpuLimit')).toBe(1500);
    expect(memoryMiB('1Gi', 'LoanService x: sizing.memoryLimit')).toBe(1024);
  });

  test('throw a PlatformError naming where, the value and what is allowed', () => {
    expect(() => cpuMillis('two', 'LoanService x: sizing.cpuRequest')).toThrow(PlatformError);
    expect(() => cpuMillis('0.0001', 'LoanService x: sizing.cpuRequest')).toThrow(
      new PlatformError('LoanService x: sizing.cpuRequest: "0.0001" is not a whole number of millicores above 0 (allowed: e.g. "250m", "1")'),
    );
    expect(() => memoryMiB('4GB', 'LoanService x: sizing.memoryRequest')).toThrow(
      new PlatformError('LoanService x: sizing.memoryRequest: "4GB" is not a memory quantity (allowed: a whole number with Mi, Gi or Ti, e.g. "512Mi", "4Gi")'),
    );
  });
});

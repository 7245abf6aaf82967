import { decodeAwsChunked } from './state-server';

describe('decodeAwsChunked', () => {
  test('joins the chunks and drops signatures and trailers', () => {
    const body = Buffer.from('5;chunk-signature=abc\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:EHCz6w==\r\n\r\n');
    expect(decodeAwsChunked(body).toString()).toBe('hello world');
  });

  test('a body that is not aws-chunked is an error saying where', () => {
    expect(() => decodeAwsChunked(Buffer.from('{"ID":"1"}'))).toThrow('aws-chunked body: no chunk header at byte 0');
    expect(() => decodeAwsChunked(Buffer.from('zz\r\n'))).toThrow('aws-chunked body: chunk size "zz" at byte 0 is not hexadecimal');
    expect(() => decodeAwsChunked(Buffer.from('ff\r\nshort\r\n'))).toThrow('aws-chunked body: chunk of 255 bytes at byte 4 runs past the end (11)');
  });
});

import { ALLOWED_DOCUMENT_CONTENT_TYPES } from '../domain/document-service';

export type DocumentContentType = (typeof ALLOWED_DOCUMENT_CONTENT_TYPES)[number];

/** How a file of a content type starts, and how to name that in a message. */
export interface DocumentSignature {
  readonly bytes: Buffer;
  /** e.g. `a PDF`. */
  readonly name: string;
  /** e.g. ` ("%PDF-")`, after the hex bytes, when they spell something readable. */
  readonly spelled: string;
}

/**
 * The first bytes ("magic numbers") of every accepted content type. Typed over the allow-list,
 * so a type added there without a signature does not compile.
 *
 * @see https://pdfa.org/resource/iso-32000-pdf/ (ISO 32000: a PDF file begins with `%PDF-`)
 * @see https://www.w3.org/TR/png-3/#5PNG-file-signature
 * @see https://www.w3.org/Graphics/JPEG/itu-t81.pdf (SOI marker FF D8, then a marker FF xx)
 */
export const DOCUMENT_SIGNATURES: Readonly<Record<DocumentContentType, DocumentSignature>> = {
  'application/pdf': { bytes: Buffer.from('%PDF-', 'latin1'), name: 'a PDF', spelled: ' ("%PDF-")' },
  'image/jpeg': { bytes: Buffer.from([0xff, 0xd8, 0xff]), name: 'a JPEG', spelled: '' },
  'image/png': { bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), name: 'a PNG', spelled: '' },
};

/** Bytes needed to tell every accepted type apart. */
export const LONGEST_SIGNATURE_BYTES = Math.max(...Object.values(DOCUMENT_SIGNATURES).map((signature) => signature.bytes.length));

export function isDocumentContentType(contentType: string): contentType is DocumentContentType {
  return (ALLOWED_DOCUMENT_CONTENT_TYPES as readonly string[]).includes(contentType);
}

/**
 * Why `head` (the first bytes of a body, at least the signature's length unless the body is
 * shorter) cannot be a `contentType` file, or undefined when it starts as one.
 */
export function signatureMismatch(contentType: DocumentContentType, head: Buffer): string | undefined {
  const expected = DOCUMENT_SIGNATURES[contentType];
  if (head.length >= expected.bytes.length && head.subarray(0, expected.bytes.length).equals(expected.bytes)) return undefined;
  const shown = head.subarray(0, expected.bytes.length);
  const lookalike = (Object.keys(DOCUMENT_SIGNATURES) as DocumentContentType[]).find((candidate) => {
    const bytes = DOCUMENT_SIGNATURES[candidate].bytes;
    return candidate !== contentType && head.length >= bytes.length && head.subarray(0, bytes.length).equals(bytes);
  });
  return (
    `body does not match Content-Type ${contentType}: ${expected.name} starts with ${hex(expected.bytes)}${expected.spelled}, ` +
    `this body starts with ${shown.length === 0 ? 'nothing' : hex(shown)}${lookalike === undefined ? '' : ` (it looks like ${lookalike})`}`
  );
}

function hex(bytes: Buffer): string {
  return [...bytes].map((byte) => byte.toString(16).toUpperCase().padStart(2, '0')).join(' ');
}

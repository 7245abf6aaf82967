import { z } from 'zod';

/**
 * Characters refused in names and free text: C0 controls (U+0000-U+001F, including tab and
 * newline), DEL and the C1 controls (U+007F-U+009F), and the bidirectional formatting characters
 * (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069). Controls break log lines, exports and
 * terminals; bidirectional overrides make a name display differently from what is stored
 * ("Trojan Source"), which defeats the people who read it.
 */
const FORBIDDEN_CHARACTER = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

/**
 * A single-line text field: trimmed, normalised to Unicode NFC (so a name typed with a combining
 * accent is stored and compared like the precomposed one), `min` to `max` characters after
 * normalisation, without control or bidirectional formatting characters.
 */
export function plainTextSchema(options: { readonly min: number; readonly max: number; readonly tooShort?: string }) {
  return z
    .string()
    .trim()
    .normalize('NFC')
    .min(options.min, options.tooShort)
    .max(options.max)
    .superRefine((value, context) => {
      const found = FORBIDDEN_CHARACTER.exec(value);
      if (found === null) return;
      const codePoint = found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
      context.addIssue({
        code: 'custom',
        message: `must not contain control or bidirectional formatting characters (found U+${codePoint} at character ${found.index + 1})`,
      });
    });
}

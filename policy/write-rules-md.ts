import * as fs from 'fs';
import * as path from 'path';
import { rulesMarkdown } from './rules-markdown';

/** `npm run policy:docs`: writes policy/RULES.md from the packs. */
fs.writeFileSync(path.join(__dirname, 'RULES.md'), rulesMarkdown());

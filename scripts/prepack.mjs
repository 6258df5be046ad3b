// `prepack` of every public package: copies the repository's LICENSE into the package directory, so each
// tarball carries it (pnpm and npm always pack a top-level LICENSE; they never look above the package).
// The copies are git-ignored; the root LICENSE is the one that is edited.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';

copyFileSync(new URL('../LICENSE', import.meta.url), join(process.cwd(), 'LICENSE'));

import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
const here = process.cwd() + '/bench';
const out = await build({
  stdin: { contents: `import { createZohoCrmCore, revokeSharedRecord } from '@zcrm-sharing/client';
        const zoho = createZohoCrmCore({ auth: { accessToken: process.env.ZOHO_ACCESS_TOKEN } });
        revokeSharedRecord(zoho, { module: 'Contacts', recordId: process.argv[2] }).then(console.log);`, resolveDir: here, loader: 'js' },
  bundle: true, minify: true, format: 'esm', platform: 'neutral', write: false,
  alias: { '@zcrm-sharing/client': here + '/../dist/index.js' },
});
const code = out.outputFiles[0].contents;
if (process.argv[2]) (await import('node:fs')).writeFileSync(process.argv[2], code);
console.log({ min: code.length, gz: gzipSync(code, { level: 9 }).length });

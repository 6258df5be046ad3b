import { build } from 'esbuild';
const here = process.cwd() + '/bench';
const out = await build({
  stdin: { contents: `import { createZohoCrmCore, revokeSharedRecord } from '@zcrm-sharing/client';
        const zoho = createZohoCrmCore({ auth: { accessToken: process.env.ZOHO_ACCESS_TOKEN } });
        revokeSharedRecord(zoho, { module: 'Contacts', recordId: process.argv[2] }).then(console.log);`, resolveDir: here, loader: 'js' },
  bundle: true, minify: true, format: 'esm', platform: 'neutral', write: false, metafile: true,
  alias: { '@zcrm-sharing/client': here + '/../src/index.ts' },
});
for (const [k, v] of Object.entries(Object.values(out.metafile.outputs)[0].inputs)) console.log(v.bytesInOutput, k);

// @zcrm-sharing/client loaded with require() from CommonJS (require(esm): Node 20.19+, 22.12+).
const client = require('@zcrm-sharing/client');
const { version } = require('@zcrm-sharing/client/package.json');

import('./check-client.mjs')
  .then(({ checkClient }) => checkClient(client, `require() (version ${version})`))
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });

// @zcrm-sharing/client loaded the ESM way, as an installed package; only its exports are reachable.
import assert from 'node:assert/strict';
import * as client from '@zcrm-sharing/client';
import { checkClient } from './check-client.mjs';

await checkClient(client, 'import');
await assert.rejects(import('@zcrm-sharing/client/dist/client.js'), { code: 'ERR_PACKAGE_PATH_NOT_EXPORTED' });

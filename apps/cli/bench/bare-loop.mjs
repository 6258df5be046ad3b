// Runs a bench's bare node:http loop (module source) in its own process, so the baseline shares no event
// loop with the sandbox; the loop writes its elapsed milliseconds to stdout, returned here as a number.
import { spawn } from 'node:child_process';
import { once } from 'node:events';

export async function timeBareLoop(source) {
  const child = spawn(process.execPath, ['--input-type=module', '-e', source], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  await once(child, 'exit');
  return Number(out);
}

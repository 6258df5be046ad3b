// The admin page's script: no framework, no build step. Everything shown goes through textContent.
// Record ids stay strings from the input to the URL: they exceed 2^53, so they are never numbers here.
'use strict';

const STATUS_POLL_MS = 500;
const JOBS_POLL_MS = 1000;

const $ = (id) => document.getElementById(id);
const enc = encodeURIComponent;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const clock = (iso) => (iso ? new Date(iso).toLocaleTimeString() : '');

async function call(method, path) {
  let res;
  try {
    res = await fetch(path, { method, headers: { accept: 'application/json' } });
  } catch (err) {
    return { ok: false, status: 0, body: { error: 'network', message: String(err) } };
  }
  let body = {};
  try {
    body = await res.json();
  } catch {
    // not JSON: keep {}
  }
  return { ok: res.ok, status: res.status, body };
}

function explain(r) {
  const b = r.body || {};
  let text = r.status ? `HTTP ${r.status}` : 'no answer';
  if (b.error) text += ` ${b.error}`;
  if (b.zohoCode) text += ` (Zoho ${b.zohoCode})`;
  if (b.field) text += `: ${b.field}: expected ${b.expected}`;
  else if (b.message) text += `: ${b.message}`;
  if (b.retryAfterSeconds) text += `; retry in ${b.retryAfterSeconds} s`;
  return text;
}

function setState(el, state, text) {
  el.dataset.state = state;
  el.textContent = text;
}

// --- rerun and status ------------------------------------------------------------------------
const rerunStatus = $('rerun-status');
let lastLogged = '';
function history(state, text) {
  if (state === lastLogged) return;
  lastLogged = state;
  const li = document.createElement('li');
  li.dataset.state = state;
  li.textContent = `${new Date().toLocaleTimeString()} ${text}`;
  $('rerun-log').append(li);
}
function rerunState(state, text) {
  setState(rerunStatus, state, text);
  history(state, text);
}

let pollRun = 0;
async function pollStatus(module) {
  const run = ++pollRun;
  for (;;) {
    const r = await call('GET', `/api/modules/${enc(module)}/sharing-rules/status`);
    if (run !== pollRun) return; // a newer poll took over
    if (!r.ok) return rerunState('error', `status of ${module}: ${explain(r)}`);
    const s = r.body;
    if (s.computing) {
      rerunState('running', `running: computing ${count(s.ruleCount, 'rule', 'rules')} of ${module}`);
    } else {
      return rerunState('done', s.noRules ? `done: ${module} has no sharing rules` : `done: ${count(s.ruleCount, 'rule', 'rules')} of ${module} computed`);
    }
    await sleep(STATUS_POLL_MS);
  }
}

$('rerun-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const module = $('rerun-module').value.trim();
  const button = $('rerun-button');
  button.disabled = true;
  lastLogged = '';
  $('rerun-log').replaceChildren();
  try {
    const r = await call('POST', `/api/modules/${enc(module)}/sharing-rules/rerun`);
    if (r.ok) {
      rerunState('scheduled', r.body.noRules ? `${module} has no sharing rules: nothing to rerun` : `scheduled: rerun of the rules of ${module} (${r.body.zohoCode})`);
      await pollStatus(module);
    } else if (r.status === 409) {
      rerunState('running', `a rerun of the rules of ${module} is already running`);
      await pollStatus(module);
    } else {
      rerunState('error', `rerun of ${module}: ${explain(r)}`);
    }
  } finally {
    button.disabled = false;
  }
});

$('status-button').addEventListener('click', () => {
  lastLogged = '';
  void pollStatus($('rerun-module').value.trim());
});

// --- revoke one record -------------------------------------------------------------------------
$('revoke-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const module = $('revoke-module').value.trim();
  const recordId = $('revoke-record').value.trim(); // a string, end to end
  const result = $('revoke-result');
  const button = $('revoke-button');
  button.disabled = true;
  setState(result, 'pending', `revoking sharing on ${module} ${recordId}...`);
  try {
    const r = await call('DELETE', `/api/records/${enc(module)}/${enc(recordId)}/sharing`);
    if (r.ok && r.body.revoked) setState(result, 'revoked', `revoked: ${module} ${r.body.recordId} is no longer shared`);
    else if (r.ok && r.body.alreadyNotShared) setState(result, 'already-not-shared', `already not shared: ${module} ${r.body.recordId} had nothing to revoke`);
    else setState(result, 'error', `${module} ${recordId}: ${explain(r)}`);
  } finally {
    button.disabled = false;
  }
});

// --- webhook jobs --------------------------------------------------------------------------------
let lastJobs = '';
const COLUMNS = ['Job', 'Module', 'Record id', 'Deliveries', 'Outcome', 'Received', 'Detail'];
function cell(row, text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  td.dataset.label = COLUMNS[row.children.length];
  if (className) td.className = className;
  row.append(td);
}
/** "1 delivery", "2 deliveries": the count and the word that goes with it. */
function count(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}
function detail(job) {
  const e = job.error;
  const parts = [];
  if (e) parts.push(`${job.nextAttemptAt ? 'last attempt: ' : ''}${e.type}${e.zohoCode ? ` (Zoho ${e.zohoCode})` : ''}: ${e.message}`);
  if (job.nextAttemptAt) parts.push(`${count(job.attempts, 'attempt', 'attempts')}; next at ${clock(job.nextAttemptAt)}`);
  else if (job.finishedAt) parts.push(`finished ${clock(job.finishedAt)}`);
  if (job.interruptions) {
    parts.push(`resumed after ${count(job.interruptions, 'interruption', 'interruptions')}` +
      (job.status === 'already_not_shared' ? ' (the interrupted call had most likely revoked it)' : ''));
  }
  return parts.join('; ');
}
function renderJobs(data) {
  const c = data.counters;
  const store = data.store === 'postgres' ? 'Postgres, shared by every instance' : 'SQLite on this server';
  $('jobs-summary').textContent =
    `Jobs in ${store}: ${data.queued} queued, ${data.running} running. This instance since it started: ` +
    `${count(c.deliveries, 'delivery', 'deliveries')}, ${count(c.jobs, 'job', 'jobs')} ` +
    `(${count(c.coalesced, 'duplicate delivery', 'duplicate deliveries')} coalesced); ` +
    `revoked ${c.revoked}, already not shared ${c.alreadyNotShared}, failed ${c.failed}` +
    (c.resumed ? `; ${count(c.resumed, 'job', 'jobs')} resumed after a stop` : '') +
    (c.retried ? `; ${count(c.retried, 'attempt', 'attempts')} failed transiently and scheduled again` : '');
  $('paused').hidden = !data.paused;
  $('paused-reason').textContent = data.paused ? `${data.paused.message} (since ${clock(data.paused.since)})` : '';
  const key = JSON.stringify(data.jobs);
  if (key === lastJobs) return;
  lastJobs = key;
  const rows = data.jobs.map((job) => {
    const tr = document.createElement('tr');
    tr.dataset.jobId = job.id;
    tr.dataset.recordId = job.recordId;
    tr.dataset.status = job.status;
    cell(tr, job.id);
    cell(tr, job.module);
    cell(tr, job.recordId, 'id');
    cell(tr, String(job.deliveries));
    cell(tr, job.status.replaceAll('_', ' '), 'outcome');
    cell(tr, clock(job.receivedAt));
    cell(tr, detail(job));
    return tr;
  });
  if (!rows.length) {
    const tr = document.createElement('tr');
    cell(tr, 'No webhook deliveries yet.');
    delete tr.firstChild.dataset.label;
    tr.firstChild.colSpan = 7;
    rows.push(tr);
  }
  document.querySelector('#jobs tbody').replaceChildren(...rows);
}

async function pollJobs() {
  for (;;) {
    if (!document.hidden) {
      const r = await call('GET', '/api/jobs');
      if (r.ok) renderJobs(r.body);
      else $('jobs-summary').textContent = `could not load the jobs: ${explain(r)}`;
    }
    await sleep(JOBS_POLL_MS);
  }
}

$('resume-button').addEventListener('click', async () => {
  const r = await call('POST', '/api/queue/resume');
  if (!r.ok) $('paused-reason').textContent = `could not resume: ${explain(r)}`;
});

async function showMode() {
  const r = await call('GET', '/healthz');
  if (!r.ok) return setState($('mode'), 'error', `server: ${explain(r)}`);
  const where = r.body.mode === 'sandbox' ? 'the embedded sandbox (demo data, no Zoho account)' : 'Zoho CRM';
  const webhook = r.body.webhook.enabled ? 'webhook on' : 'webhook off (set WEBHOOK_SECRET)';
  const cap = r.body.zohoConcurrency;
  $('mode').textContent = `Connected to ${where}; ${webhook}; at most ${count(cap.max, 'Zoho call', 'Zoho calls')} at once${cap.shared ? ' over every instance' : ''}.`;
}

void showMode();
void pollJobs();

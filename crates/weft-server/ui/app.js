// Weft's web UI: runs, a run (timeline, source, repair), flows and their
// diagrams. Plain ES modules, no build step, no dependencies; the server
// embeds these files. This one starts the UI: the shared pieces are in
// api.js (the API client), dom.js, format.js and router.js; a page each in
// page-runs.js, page-run.js, page-flows.js, page-flow.js and
// page-activities.js, the machines' pages in page-machines.js, and the
// triggers, schedules and sources in page-triggers.js.

import { forgetToken, updateSignout } from './api.js';
import { $, toast } from './dom.js';
import { route, startRouter } from './router.js';
import { runsPage } from './page-runs.js';
import { runPage } from './page-run.js';
import { flowsPage } from './page-flows.js';
import { flowPage } from './page-flow.js';
import { workersPage } from './page-workers.js';
import { auditPage } from './page-audit.js';
import { activitiesPage } from './page-activities.js';
import { machinesPage, machinePage, instancePage } from './page-machines.js';
import { triggersPage } from './page-triggers.js';

/** The pages, by address. */
const ROUTES = [
  { path: /^\/(?:runs)?$/, tab: 'runs', title: 'Runs · Weft', page: (main, m, params, gen) => runsPage(main, params, gen) },
  { path: /^\/runs\/([^/]+)$/, tab: 'runs', page: (main, m, params, gen) => runPage(main, decodeURIComponent(m[1]), gen) },
  { path: /^\/flows$/, tab: 'flows', title: 'Flows · Weft', page: (main, m, params, gen) => flowsPage(main, gen) },
  { path: /^\/flows\/([^/]+)$/, tab: 'flows', page: (main, m, params, gen) => flowPage(main, decodeURIComponent(m[1]), params, gen) },
  { path: /^\/workers$/, tab: 'workers', title: 'Workers · Weft', page: (main, m, params, gen) => workersPage(main, gen) },
  { path: /^\/triggers$/, tab: 'triggers', title: 'Triggers · Weft', page: (main, m, params, gen) => triggersPage(main, params, gen) },
  { path: /^\/audit$/, tab: 'audit', title: 'Audit log · Weft', page: (main, m, params, gen) => auditPage(main, params, gen) },
  { path: /^\/activities$/, tab: 'activities', title: 'Activities · Weft', page: (main, m, params, gen) => activitiesPage(main, gen) },
  { path: /^\/machines$/, tab: 'machines', title: 'Machines · Weft', page: (main, m, params, gen) => machinesPage(main, gen) },
  { path: /^\/machines\/([^/]+)$/, tab: 'machines', page: (main, m, params, gen) => machinePage(main, decodeURIComponent(m[1]), params, gen) },
  { path: /^\/machines\/([^/]+)\/([^/]+)$/, tab: 'machines', page: (main, m, params, gen) => instancePage(main, decodeURIComponent(m[1]), decodeURIComponent(m[2]), gen) },
];

$('#signout').addEventListener('click', () => {
  forgetToken();
  toast('The token is forgotten for this tab.');
  route();
});
$('#token-dialog').addEventListener('cancel', (ev) => ev.preventDefault());
updateSignout();
startRouter(ROUTES);

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CloudStackSim, startCloudStackSim } from '../src/index.js';
import { idOf, ok, raw, signed } from './helpers.js';

// What a careless client gets: CloudStack answers XML unless `response=json` is sent, errors included.
let sim: CloudStackSim;
beforeAll(async () => {
  sim = await startCloudStackSim({ jobSteps: 0 });
});
afterEach(() => sim.clearFaults());
afterAll(() => sim.close());

const XML_TYPE = 'text/xml; charset=UTF-8';
const JSON_TYPE = 'application/json; charset=UTF-8';
const head = (name: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><${name} cloud-stack-version="4.19.1.0">`;

describe('the response format', () => {
  it('is XML when `response` is absent, with the JSON answer’s fields as elements', async () => {
    const json = await ok(sim, { command: 'listZones', name: 'AMS1' });
    const zone = json.zone[0];
    const r = await signed(sim, { command: 'listZones', name: 'AMS1' });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe(XML_TYPE);
    expect(r.body).toBeUndefined(); // not JSON
    expect(r.text.startsWith(`${head('listzonesresponse')}<count>1</count><zone><id>${zone.id}</id>`)).toBe(
      true,
    );
    expect(r.text.endsWith('</zone></listzonesresponse>')).toBe(true);
    for (const [field, value] of Object.entries(zone)) {
      if (Array.isArray(value))
        expect(r.text).not.toContain(`<${field}>`); // tags: [] leaves nothing
      else expect(r.text).toContain(`<${field}>${value}</${field}>`);
    }
  });

  it('is JSON only for response=json, in any case of the value; the parameter name is exact', async () => {
    const variants: [Record<string, string>, string][] = [
      [{ response: 'xml' }, XML_TYPE],
      [{ response: 'yaml' }, XML_TYPE],
      [{ response: '' }, XML_TYPE],
      [{ Response: 'json' }, XML_TYPE],
      [{ RESPONSE: 'json' }, XML_TYPE],
      [{ response: 'JSON' }, JSON_TYPE],
      [{ response: 'Json' }, JSON_TYPE],
    ];
    for (const [extra, type] of variants) {
      const r = await signed(sim, { command: 'listZones', name: 'FRA1', ...extra });
      expect([extra, r.status, r.headers.get('content-type')]).toEqual([extra, 200, type]);
      if (type === JSON_TYPE) expect(r.body.listzonesresponse.zone[0].name).toBe('FRA1');
      else expect(r.text).toContain(`${head('listzonesresponse')}<count>1</count><zone>`);
    }
  });

  it('takes response=json from a POST form as from the query', async () => {
    const r = await signed(sim, { command: 'listZones', name: 'SIN1', response: 'json' }, { method: 'POST' });
    expect(r.headers.get('content-type')).toBe(JSON_TYPE);
    expect(r.body.listzonesresponse.count).toBe(1);
    const xml = await signed(sim, { command: 'listZones', name: 'SIN1' }, { method: 'POST' });
    expect(xml.headers.get('content-type')).toBe(XML_TYPE);
  });

  it('writes an empty list as the bare element', async () => {
    const r = await signed(sim, { command: 'listZones', name: 'nowhere' });
    expect(r.text).toBe(`${head('listzonesresponse')}</listzonesresponse>`);
  });
});

describe('errors in XML', () => {
  it('are the command’s element with errorcode, cserrorcode and errortext, and the real status', async () => {
    const r = await signed(sim, { command: 'listZones', page: '1' });
    expect(r.status).toBe(431);
    expect(r.headers.get('content-type')).toBe(XML_TYPE);
    expect(r.text).toBe(
      `${head('listzonesresponse')}<errorcode>431</errorcode><cserrorcode>9999</cserrorcode>` +
        '<errortext>&quot;pagesize&quot; parameter is required when &quot;page&quot; is specified</errortext>' +
        '</listzonesresponse>',
    );
    expect(r.headers.get('x-description')).toBe('"pagesize" parameter is required when "page" is specified');
  });

  it('escape what the caller sent', async () => {
    const r = await signed(sim, { command: 'listZones', page: '<1&>', pagesize: '1' });
    expect(r.status).toBe(431);
    expect(r.text).toContain(
      '<errortext>Unable to execute API command listzones due to invalid value &lt;1&amp;&gt; for parameter page</errortext>',
    );
  });

  it('are XML for the servlet’s own 401 and 432 answers', async () => {
    const keys = sim.credentials.admin;
    const bad = await raw(sim, { command: 'listZones', apiKey: keys.apiKey, signature: 'forged' });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('content-type')).toBe(XML_TYPE);
    expect(bad.text).toBe(
      `${head('listzonesresponse')}<errorcode>401</errorcode>` +
        '<errortext>unable to verify user credentials and/or request signature</errortext></listzonesresponse>',
    );
    const unknown = await raw(sim, { command: 'listFooBars', apiKey: keys.apiKey, signature: 'x' });
    expect(unknown.status).toBe(401);
    expect(unknown.text.startsWith(`${head('errorresponse')}<errorcode>401</errorcode>`)).toBe(true);
    const adminOnly = await signed(sim, { command: 'listHosts' }, { who: 'user' });
    expect(adminOnly.status).toBe(432);
    expect(adminOnly.text).toBe(
      `${head('errorresponse')}<errorcode>432</errorcode><cserrorcode>9999</cserrorcode>` +
        '<errortext>The given command:listHosts does not exist or it is not available for user</errortext>' +
        '</errorresponse>',
    );
  });

  it('follow the format for injected 429s and malformed bodies', async () => {
    sim.addFault({ command: 'listZones', kind: 'status', status: 429 });
    const limited = await raw(sim, { command: 'listZones' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toBe(XML_TYPE);
    expect(limited.text).toBe(
      `${head('listzonesresponse')}<errorcode>429</errorcode><cserrorcode>9999</cserrorcode>` +
        '<errortext>There are too many api calls from this account, please try again later</errortext>' +
        '</listzonesresponse>',
    );
    sim.addFault({ command: 'listZones', kind: 'malformed' });
    const cut = await raw(sim, { command: 'listZones' });
    expect(cut.status).toBe(200);
    expect(cut.headers.get('content-type')).toBe(XML_TYPE);
    expect(cut.text).toBe(`${head('listzonesresponse')}<count>1</count><`);
  });
});

describe('login and logout without response=json', () => {
  it('answer XML; the session works for later calls in either format', async () => {
    const r = await raw(
      sim,
      { command: 'login', username: 'alice', password: 'alice-pass' },
      { method: 'POST' },
    );
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe(XML_TYPE);
    expect(r.text.startsWith(`${head('loginresponse')}<username>alice</username><userid>`)).toBe(true);
    const sessionkey = /<sessionkey>([^<]+)<\/sessionkey>/.exec(r.text)![1]!;
    const jsessionid = /JSESSIONID=([^;]+)/.exec(r.headers.getSetCookie().join('\n'))![1]!;
    const cookie = `JSESSIONID=${jsessionid}`;
    const zones = await raw(sim, { command: 'listZones', sessionkey, response: 'json' }, { cookie });
    expect(zones.body.listzonesresponse.count).toBe(3);
    const out = await raw(sim, { command: 'logout' }, { cookie });
    expect(out.text).toBe(`${head('logoutresponse')}<description>success</description></logoutresponse>`);
  });

  it('fails in XML with 531, and a GET login keeps its plain-text 405', async () => {
    const r = await raw(sim, { command: 'login', username: 'alice', password: 'nope' }, { method: 'POST' });
    expect(r.status).toBe(531);
    expect(r.text).toBe(
      `${head('loginresponse')}<errorcode>531</errorcode>` +
        '<errortext>Failed to authenticate user alice in domain 1; please provide valid credentials</errortext>' +
        '</loginresponse>',
    );
    const get = await raw(sim, { command: 'login', username: 'alice', password: 'alice-pass' });
    expect(get.status).toBe(405);
    expect(get.headers.get('content-type')).toBe(XML_TYPE);
    expect(get.text).toBe('Please use HTTP POST to authenticate using this API');
  });
});

describe('async jobs in XML', () => {
  it('nest the job result under <jobresult>, a success and a failure alike', async () => {
    const zone = await idOf(sim, 'listZones', 'zone', 'AMS1');
    const offering = await idOf(sim, 'listServiceOfferings', 'serviceoffering', 'Tiny');
    const template = await idOf(sim, 'listTemplates', 'template', 'Debian 12', {
      templatefilter: 'featured',
    });
    const deploy = await signed(sim, {
      command: 'deployVirtualMachine',
      zoneid: zone,
      serviceofferingid: offering,
      templateid: template,
      name: 'xml-vm',
    });
    expect(deploy.status).toBe(200);
    const [, id, jobid] =
      /^.*<deployvirtualmachineresponse [^>]*><id>([^<]+)<\/id><jobid>([^<]+)<\/jobid><\/deployvirtualmachineresponse>$/.exec(
        deploy.text,
      )!;
    const done = await signed(sim, { command: 'queryAsyncJobResult', jobid: jobid! });
    expect(done.text).toContain('<jobstatus>1</jobstatus>');
    expect(done.text).toContain(`<jobresult><virtualmachine><id>${id}</id><name>xml-vm</name>`);
    expect(done.text).toMatch(/<nic><id>[^<]+<\/id><networkid>/);
    expect(done.text).toContain('<details>{}</details>'); // a Java Map prints its toString()

    const again = await signed(sim, { command: 'startVirtualMachine', id: id! });
    const failedJob = /<jobid>([^<]+)<\/jobid>/.exec(again.text)![1]!;
    const failed = await signed(sim, { command: 'queryAsyncJobResult', jobid: failedJob });
    expect(failed.text).toContain(
      `<jobstatus>2</jobstatus><jobprocstatus>0</jobprocstatus><jobresultcode>431</jobresultcode><jobresulttype>object</jobresulttype><jobresult><errorcode>431</errorcode><errortext>The virtual machine ${id} (xml-vm) is already running</errortext></jobresult>`,
    );
  });

  it('leave out lists of maps (project owners, template download details), as the XML walk does', async () => {
    const projects = await signed(sim, { command: 'listProjects', listall: 'true', name: 'platform' });
    expect(projects.text).toContain('<projectaccountname>PrjAcct-platform-2</projectaccountname>');
    expect(projects.text).not.toContain('<owner>');
    const templates = await signed(sim, {
      command: 'listTemplates',
      templatefilter: 'featured',
      name: 'Debian 12',
    });
    expect(templates.text).toContain('<details>{}</details>');
    expect(templates.text).not.toContain('downloaddetails');
  });
});

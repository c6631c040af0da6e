// The workspace provider: compose files (read with a real YAML parser) and extra folders, on real temp folders.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { findComposeFiles, providedFiles } from '../../../server/src/workspace/provided';

const root = mkdtempSync(join(tmpdir(), 'dms-provided-'));
after(() => rmSync(root, { recursive: true, force: true }));

function write(path: string, text = '[Definition]\n'): string {
  const full = join(root, path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, text);
  return full;
}

describe('files the workspace provides to /etc/fail2ban', () => {
  it('compose.yaml next to the config folder: short and long volume syntax, folders and single files', () => {
    const project = 'short-long';
    write(`${project}/docker-data/dms/config/fail2ban-jail.cf`, '');
    write(`${project}/f2b/filter.d/my-postfix.conf`);
    write(`${project}/f2b/filter.d/other.local`);
    write(`${project}/f2b/filter.d/README.md`);
    write(`${project}/f2b/my-ban.conf`);
    write(`${project}/actions/notify.py`, '');
    write(
      `${project}/compose.yaml`,
      [
        'services:',
        '  mailserver:',
        '    image: ghcr.io/docker-mailserver/docker-mailserver:latest',
        '    volumes:',
        '      - ./docker-data/dms/config/:/tmp/docker-mailserver/',
        '      - ./f2b/filter.d:/etc/fail2ban/filter.d:ro',
        '      - type: bind',
        '        source: ./f2b/my-ban.conf',
        '        target: /etc/fail2ban/action.d/my-ban.conf',
        '      - ./actions/notify.py:/etc/fail2ban/action.d/notify.py',
        '      - ./missing.conf:/etc/fail2ban/action.d/missing.conf',
        '      - data:/etc/fail2ban/action.d/named-volume',
        '  web:',
        '    image: nginx',
        '    volumes:',
        '      - ./f2b/my-ban.conf:/etc/fail2ban/action.d/web-only.conf',
        'volumes:',
        '  data: {}',
      ].join('\n'),
    );
    const provided = providedFiles(join(root, project, 'docker-data/dms/config/fail2ban-jail.cf'), { roots: [join(root, project)] });
    assert.deepEqual(provided, { filters: ['my-postfix', 'other'], actions: ['my-ban', 'notify.py'] });
  });

  it('docker-compose.yml above the folder, a whole /etc/fail2ban mount, service found by its config mount', () => {
    const project = 'above';
    write(`${project}/mail/config/fail2ban-jail.cf`, '');
    write(`${project}/etc-f2b/filter.d/a.conf`);
    write(`${project}/etc-f2b/action.d/b.local`);
    write(
      `${project}/docker-compose.yml`,
      ['services:', '  mail:', '    image: example/mail', '    volumes:', '      - ./mail/config:/tmp/docker-mailserver', '      - ./etc-f2b:/etc/fail2ban/'].join('\n'),
    );
    const file = join(root, project, 'mail/config/fail2ban-jail.cf');
    assert.deepEqual(findComposeFiles(join(root, project, 'mail/config'), [join(root, project)]), [join(root, project, 'docker-compose.yml')]);
    assert.deepEqual(providedFiles(file, { roots: [join(root, project)] }), { filters: ['a'], actions: ['b'] });
    // the search stops at the workspace root: a root below the compose file hides it
    assert.deepEqual(providedFiles(file, { roots: [join(root, project, 'mail')] }), { filters: [], actions: [] });
  });

  it('invalid YAML, no mail server service, or no compose file: nothing provided', () => {
    write('bad/compose.yaml', 'services: [\n');
    write('bad/fail2ban-jail.cf', '');
    assert.deepEqual(providedFiles(join(root, 'bad/fail2ban-jail.cf'), { roots: [join(root, 'bad')] }), { filters: [], actions: [] });
    write('nodms/x/filter.d/a.conf');
    write('nodms/compose.yaml', 'services:\n  web:\n    image: nginx\n    volumes:\n      - ./x/filter.d:/etc/fail2ban/filter.d\n');
    assert.deepEqual(providedFiles(join(root, 'nodms/fail2ban-jail.cf'), { roots: [join(root, 'nodms')] }), { filters: [], actions: [] });
  });

  it('extra folders: laid out like /etc/fail2ban, or a filter.d/action.d folder itself', () => {
    write('extra/one/filter.d/f1.conf');
    write('extra/one/action.d/a1.local');
    write('extra/two/action.d/a2.conf');
    write('extra/three/filter.d/f3.local');
    const provided = providedFiles(join(root, 'extra/fail2ban-jail.cf'), {
      roots: [join(root, 'extra')],
      extraConfigDirs: [join(root, 'extra/one'), join(root, 'extra/two/action.d'), join(root, 'extra/three/filter.d'), join(root, 'extra/none')],
    });
    assert.deepEqual(provided, { filters: ['f1', 'f3'], actions: ['a1', 'a2'] });
  });
});

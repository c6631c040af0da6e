import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeHover } from '../../../server/src/features/hover';
import type { FeatureOptions } from '../../../server/src/features/shared';
import { atCursor } from './fixture';

function hover(fixture: string, options: FeatureOptions = { kind: 'dms-jail' }): string {
  const { doc, position } = atCursor(fixture);
  const result = computeHover(doc, position, options);
  if (!result) return '';
  return typeof result.contents === 'object' && 'value' in result.contents ? result.contents.value : '';
}

describe('hover', () => {
  it('resolves durations: 1w → 604800 s = 1 week', () => {
    assert.match(hover('[postfix]\nbantime = 1|w'), /604800 s = 1 week/);
    assert.match(hover('[postfix]\nfindtime = 1d12|h'), /129600 s = 1 day 12 hours/);
    assert.match(hover('[postfix]\nbantime = 1h|r'), /cannot read `1hr` as a time/);
  });

  it('documents options with fail2ban and DMS defaults and the effective value', () => {
    const text = hover('[postfix]\nban|time = 2w');
    assert.match(text, /\*\*bantime\*\*/);
    assert.match(text, /Stock default: `10m`/);
    assert.match(text, /DMS v16 sets `1w` \(DMS jail\.local \(v16\) \[DEFAULT\]\)/);
    assert.match(text, /Effective in \[postfix\]: `2w` \(1209600 s = 2 weeks\) — from fail2ban-jail\.cf \[postfix\]/);
  });

  it('follows the DMS version setting', () => {
    assert.match(hover('[postfix]\nban|time = 2w', { kind: 'dms-jail', dmsVersion: 'v12.0' }), /DMS v12\.0 sets `3h`/);
  });

  it('describes jail headers: stock filter, port, log path, backend, DMS status', () => {
    const text = hover('[post|fix]\nmode = aggressive');
    assert.match(text, /filter: `postfix\[mode=more\]`/);
    assert.match(text, /port: `smtp,465,submission`/);
    assert.match(text, /logpath: `\/var\/log\/mail\.log`/);
    assert.match(text, /enabled by DMS v16\.0\.0/);
    // fail2ban 1.1.1 (DMS v16): stock [postfix] reads backend = %(postfix_backend)s = systemd
    assert.match(text, /resolves to `systemd` \(paths-debian\.conf\)\. DMS runs no journald/);
    assert.match(text, /add `backend = auto` to \[postfix\]/);
    const v15 = hover('[post|fix]\nmode = aggressive', { kind: 'dms-jail', dmsVersion: 'v15.1.0' });
    assert.match(v15, /backend: `auto`/);
    assert.doesNotMatch(v15, /journald/);
    assert.match(text, /\*\*enabled\*\*/);
    assert.match(text, /filter: `postfix\[mode=aggressive\]`/, 'effective filter uses the user mode');
    assert.match(hover('[ssh|d]'), /disabled/);
  });

  it('resolves %(var)s with where it is defined, and known/ values', () => {
    const known = hover('[postfix]\nport = %(known/po|rt)s,2525');
    assert.match(known, /smtp,465,submission/);
    assert.match(known, /jail\.conf \(fail2ban 1\.1\.1\) \[postfix\]/);
    const own = hover('[DEFAULT]\nmyports = 25,587\n[postfix]\nport = %(mypo|rts)s');
    assert.match(own, /= `25,587`/);
    assert.match(own, /fail2ban-jail\.cf \[DEFAULT\]/);
    assert.match(hover('[postfix]\naction = %(action|_)s'), /nftables-allports\[port="smtp,465,submission"/);
  });

  it('describes filter, action, backend names and modes in values', () => {
    assert.match(hover('[x]\nfilter = post|fix[mode=extra]'), /filter\.d\/postfix\.conf/);
    assert.match(hover('[x]\nfilter = postfix[mode=bo|gus]'), /not a mode of this filter/);
    assert.match(hover('[postfix]\nmode = ex|tra'), /Mode `extra` of filter `postfix`: valid/);
    assert.match(hover('[x]\nbanaction = nftables-all|ports'), /action\.d\/nftables-allports\.conf/);
    assert.match(hover('[x]\nbackend = poll|ing'), /backend polling/);
  });

  it('explains server options and DMS overrides in fail2ban-fail2ban.cf', () => {
    const text = hover('[Definition]\nallow|ipv6 = yes', { kind: 'dms-server' });
    assert.match(text, /Effective in \[Definition\]: `auto;` — from DMS fail2ban\.d\/fixes\.local/);
    assert.match(hover('[Definition]\nloglevel = DEB|UG', { kind: 'dms-server' }), /= 10/);
  });

  it('answers null where there is nothing to say', () => {
    assert.equal(computeHover(atCursor('# just a comment|').doc, atCursor('# just a comment|').position, { kind: 'dms-jail' }), null);
  });
});

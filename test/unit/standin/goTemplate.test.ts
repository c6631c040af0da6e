// The Go-template subset of the stand-in's --format (pure, no processes).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { check, goJson, goPrint, render, TemplateError } from '../../standin/lib/goTemplate';

const inspect = {
  Name: '/mailserver',
  State: { Running: true, Status: 'running', Health: null },
  Config: { Labels: { 'org.opencontainers.image.title': 'docker-mailserver', b: '<x&y>' }, Env: ['A=1', 'B=2'] },
};

describe('goTemplate', () => {
  it('fields, nested fields and literal text', () => {
    assert.equal(render('{{.Name}} is {{.State.Status}} ({{.State.Running}})', inspect), '/mailserver is running (true)');
  });

  it('missing map keys and nil print <no value>', () => {
    assert.equal(render('{{.Nope}}|{{.State.Health}}|{{.State.Nope.Deeper}}', inspect), '<no value>|<no value>|<no value>');
  });

  it('json escapes <, > and & like Go', () => {
    assert.equal(render('{{json .Config.Labels}}', inspect), '{"b":"\\u003cx\\u0026y\\u003e","org.opencontainers.image.title":"docker-mailserver"}');
    assert.equal(goJson(['a<b']), '["a\\u003cb"]');
  });

  it('index, join, lower, upper, println', () => {
    assert.equal(render('{{index .Config.Labels "org.opencontainers.image.title"}}', inspect), 'docker-mailserver');
    assert.equal(render('{{join .Config.Env ","}}', inspect), 'A=1,B=2');
    assert.equal(render('{{upper .State.Status}}{{lower "X"}}', inspect), 'RUNNINGx');
    assert.equal(render('{{println .Name}}', inspect), '/mailserver\n');
  });

  it('maps and slices print the Go way', () => {
    assert.equal(render('{{.Config.Labels}}', { Config: { Labels: { z: '1', a: '2' } } }), 'map[a:2 z:1]');
    assert.equal(goPrint(['a', 'b']), '[a b]');
  });

  it('trim markers', () => {
    assert.equal(render('a  {{- .Name -}}  b', inspect), 'a/mailserverb');
  });

  it('row contexts: methods, method with argument, unknown field is an error', () => {
    const row = {
      __type: '*formatter.ContainerContext',
      __methods: { Names: () => 'mailserver' },
      __methodsWithArgs: { Label: (k: string) => (k === 'x' ? 'y' : '') },
      __json: () => ({ Names: 'mailserver' }),
    };
    assert.equal(render('{{.Names}} {{.Label "x"}} {{json .}}', row), 'mailserver y {"Names":"mailserver"}');
    assert.throws(() => render('{{.Nope}}', row), /can't evaluate field Nope in type \*formatter\.ContainerContext/);
  });

  it('unknown functions and unsupported actions fail loudly', () => {
    assert.throws(() => check('{{foo .}}'), (e: unknown) => e instanceof TemplateError && e.message === 'template: :1: function "foo" not defined');
    assert.throws(() => render('{{range .Config.Env}}{{.}}{{end}}', inspect), /unsupported template action 'range'/);
    assert.throws(() => render('{{.Name | printf "%s"}}', inspect), /unsupported template syntax/);
    assert.throws(() => render('{{.Name', inspect), /unclosed action/);
  });
});

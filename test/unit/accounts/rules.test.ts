import { describe, expect, it } from 'vitest';
import { emailProblem, passwordProblem, tokenNameProblem, normalizeEmail } from '../../../server/accounts/rules.js';
import { loadConfig, ConfigError } from '../../../server/config.js';

describe('account rules', () => {
  it.each([
    ['owner@example.com', undefined],
    ['  Owner@Example.COM ', undefined],
    ['a.b+tag@sub.example.co', undefined],
    ['', 'is required'],
    ['owner', 'must be an email'],
    ['owner@example', 'must be an email'],
    ['two@@example.com', 'must be an email'],
    ['a b@example.com', 'must be an email'],
    ['a@example.com\r\nBcc: x@y.z', 'must be an email'],
    ['"quoted"@example.com', 'must be an email'],
    [`${'a'.repeat(250)}@example.com`, 'at most 254'],
    [42, 'must be a string'],
  ])('email %j → %s', (value, problem) => {
    const got = emailProblem(value);
    if (problem === undefined) expect(got).toBeUndefined();
    else expect(got).toContain(problem);
  });

  it('normalizes emails to trimmed lower case', () => {
    expect(normalizeEmail('  Owner@Example.COM ')).toBe('owner@example.com');
  });

  it.each([
    ['12 ascii', 'x'.repeat(12), undefined],
    ['200 ascii', 'x'.repeat(200), undefined],
    ['11 ascii', 'x'.repeat(11), 'at least 12'],
    ['201 ascii', 'x'.repeat(201), 'at most 200'],
    ['12 emoji (24 UTF-16 units)', '🔑'.repeat(12), undefined],
    ['11 emoji (22 UTF-16 units)', '🔑'.repeat(11), 'at least 12'],
    ['201 emoji', '🔑'.repeat(201), 'at most 200'],
    ['not a string', undefined, 'must be a string'],
  ])('password: %s', (_label, value, problem) => {
    const got = passwordProblem(value);
    if (problem === undefined) expect(got).toBeUndefined();
    else expect(got).toContain(problem);
  });

  it.each([
    ['ci deploy', undefined],
    ['', 'is required'],
    ['   ', 'is required'],
    ['x'.repeat(101), 'at most 100'],
    ['bad\nname', 'control characters'],
    [null, 'must be a string'],
  ])('token name %j → %s', (value, problem) => {
    const got = tokenNameProblem(value);
    if (problem === undefined) expect(got).toBeUndefined();
    else expect(got).toContain(problem);
  });
});

describe('head-less owner configuration', () => {
  const base = { HOOKFLOW_DATA_DIR: '/tmp/unused' };

  it('reads HOOKFLOW_OWNER_EMAIL and HOOKFLOW_OWNER_PASSWORD together', () => {
    const cfg = loadConfig({ ...base, HOOKFLOW_OWNER_EMAIL: 'owner@example.com', HOOKFLOW_OWNER_PASSWORD: 'long enough pass' });
    expect(cfg.owner).toEqual({ email: 'owner@example.com', password: 'long enough pass' });
    expect(loadConfig(base).owner).toBeUndefined();
  });

  it.each([
    [{ HOOKFLOW_OWNER_EMAIL: 'owner@example.com' }, 'HOOKFLOW_OWNER_PASSWORD'],
    [{ HOOKFLOW_OWNER_PASSWORD: 'long enough pass' }, 'HOOKFLOW_OWNER_EMAIL'],
    [{ HOOKFLOW_OWNER_EMAIL: 'not-an-email', HOOKFLOW_OWNER_PASSWORD: 'long enough pass' }, 'HOOKFLOW_OWNER_EMAIL'],
    [{ HOOKFLOW_OWNER_EMAIL: 'owner@example.com', HOOKFLOW_OWNER_PASSWORD: 'short-pw' }, 'HOOKFLOW_OWNER_PASSWORD'],
  ])('refuses %j naming %s, without echoing the password', (env, variable) => {
    let err: unknown;
    try {
      loadConfig({ ...base, ...env });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message.startsWith(`${variable}:`)).toBe(true);
    expect((err as Error).message).not.toContain('short-pw');
    expect((err as Error).message).not.toContain('long enough pass');
  });
});

import { describe, expect, it } from 'vitest';
import { createPasswordHasher, HasherBusyError, DEFAULT_COST } from '../../../server/accounts/passwords.js';

// A low cost keeps these fast; one test checks the production default.
const cheap = { logN: 10, r: 8, p: 1 };

describe('password hashing (scrypt)', () => {
  it('hashes with the default cost into a self-describing string with a random salt', async () => {
    const h = createPasswordHasher();
    const a = await h.hash('correct horse battery');
    const b = await h.hash('correct horse battery');
    expect(a).toMatch(new RegExp(`^\\$scrypt\\$ln=${DEFAULT_COST.logN},r=${DEFAULT_COST.r},p=${DEFAULT_COST.p}\\$[A-Za-z0-9+/]+=*\\$[A-Za-z0-9+/]+=*$`));
    expect(a).not.toBe(b);
    expect(a).not.toContain('correct horse');
    expect(await h.verify('correct horse battery', a)).toBe(true);
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const h = createPasswordHasher({ cost: cheap });
    const stored = await h.hash('s3cret-passphrase');
    expect(await h.verify('s3cret-passphrase', stored)).toBe(true);
    expect(await h.verify('s3cret-passphrasE', stored)).toBe(false);
    expect(await h.verify('', stored)).toBe(false);
  });

  it('answers false for an unknown user or a malformed hash, after hashing all the same', async () => {
    const h = createPasswordHasher({ cost: cheap });
    expect(await h.verify('anything at all', undefined)).toBe(false);
    expect(await h.verify('anything at all', 'not-a-hash')).toBe(false);
    expect(await h.verify('anything at all', '$scrypt$ln=99,r=8,p=1$AAAA$AAAA')).toBe(false);
  });

  it('verifies a hash made with another cost (parameters travel with the hash)', async () => {
    const stored = await createPasswordHasher({ cost: { logN: 11, r: 8, p: 1 } }).hash('long passphrase here');
    expect(await createPasswordHasher({ cost: cheap }).verify('long passphrase here', stored)).toBe(true);
  });

  it('compares NFKC-normalized passwords, so composed and decomposed forms match', async () => {
    const h = createPasswordHasher({ cost: cheap });
    const stored = await h.hash('caf\u00e9 au lait, please');
    expect(await h.verify('cafe\u0301 au lait, please', stored)).toBe(true);
  });

  it('runs at most maxConcurrent hashes at once and refuses past maxQueued', async () => {
    const h = createPasswordHasher({ cost: cheap, maxConcurrent: 1, maxQueued: 2 });
    // One running (the dummy hash made at creation), two queued: the next one is refused.
    const queued = [h.hash('password number 1'), h.hash('password number 2')];
    await expect(h.hash('password number 3')).rejects.toBeInstanceOf(HasherBusyError);
    const done = await Promise.all(queued);
    expect(done).toHaveLength(2);
    expect(await h.verify('password number 1', done[0])).toBe(true);
  });
});

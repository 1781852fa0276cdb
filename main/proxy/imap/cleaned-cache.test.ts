import { describe, expect, it } from 'vitest';
import { CleanedCache, type CleanedMessage } from './cleaned-cache.ts';

const entry = (bytes: number): CleanedMessage => ({
  modified: true,
  sizePreserved: true,
  output: Buffer.alloc(bytes),
  originalSize: bytes,
  verdict: 'infected',
});

describe('CleanedCache', () => {
  it('stays within its byte bound, dropping the least recently used first', () => {
    const cache = new CleanedCache(10_000);
    cache.set('a', entry(4000));
    cache.set('b', entry(4000));
    cache.get('a');
    cache.set('c', entry(4000));
    expect(cache.size).toBeLessThanOrEqual(10_000);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('c')).toBeDefined();
  });

  it('does not keep an entry larger than the whole cache', () => {
    const cache = new CleanedCache(1000);
    cache.set('big', entry(5000));
    expect(cache.get('big')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('forgets entries older than its time limit, so new signatures apply', () => {
    let now = 0;
    const cache = new CleanedCache(10_000, 1000, () => now);
    cache.set('a', entry(10));
    now = 999;
    expect(cache.get('a')).toBeDefined();
    now = 2001;
    expect(cache.get('a')).toBeUndefined();
  });
});

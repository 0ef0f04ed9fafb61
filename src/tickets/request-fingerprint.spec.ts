import fc from 'fast-check';
import { requestFingerprint } from './request-fingerprint';

describe('requestFingerprint', () => {
  it('ignores key order and undefined fields', () => {
    expect(requestFingerprint({ a: 1, b: { c: 'ت', d: [1, 2] }, e: undefined })).toBe(requestFingerprint({ b: { d: [1, 2], c: 'ت' }, a: 1 }));
  });

  it('differs when any value differs', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.string(), fc.jsonValue(), fc.jsonValue(), (base, key, v1, v2) => {
        fc.pre(JSON.stringify(v1) !== JSON.stringify(v2));
        expect(requestFingerprint({ ...base, [key]: v1 })).not.toBe(requestFingerprint({ ...base, [key]: v2 }));
      }),
    );
  });
});

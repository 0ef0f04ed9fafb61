import { normalisedOrigin } from './chat-channels.service';

describe('normalisedOrigin', () => {
  it('keeps scheme, host and port, as browsers send them in Origin', () => {
    expect(normalisedOrigin('https://rose.example.sa')).toBe('https://rose.example.sa');
    expect(normalisedOrigin(' https://Rose.Example.SA/ ')).toBe('https://rose.example.sa');
    expect(normalisedOrigin('https://rose.example.sa:443')).toBe('https://rose.example.sa');
    expect(normalisedOrigin('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    expect(normalisedOrigin('https://متجر.السعودية')).toBe('https://xn--pgbep1f.xn--mgberp4a5d4ar');
  });

  it('refuses what cannot be compared exactly with an Origin header', () => {
    for (const value of [
      '*',
      'rose.example.sa',
      'https://rose.example.sa/shop',
      'https://rose.example.sa?x=1',
      'https://user:pw@rose.example.sa',
      'ftp://rose.example.sa',
      'javascript:alert(1)',
      '',
    ]) {
      expect(normalisedOrigin(value)).toBeNull();
    }
  });
});

import { csvField, csvRow } from './csv';

describe('csv', () => {
  it('quotes what needs quoting and leaves the rest', () => {
    expect(csvRow(['شحن', 12, 0.5, null, true])).toBe('شحن,12,0.5,,true\r\n');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('قال "تأخر"')).toBe('"قال ""تأخر"""');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
  });

  it('defuses formulas', () => {
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('+966500000000')).toBe("'+966500000000");
    expect(csvField('@sum')).toBe("'@sum");
    expect(csvField(-3)).toBe('-3'); // numbers are numbers
  });
});

import { describe, expect, it } from 'vitest';
import { csvCell, fileSlug, toCsv } from './csv.ts';

describe('csvCell', () => {
  it('keeps plain text and numbers as they are', () => {
    expect(csvCell('Nezuko Fans')).toBe('Nezuko Fans');
    expect(csvCell(42)).toBe('42');
    expect(csvCell(-3.5)).toBe('-3.5');
    expect(csvCell(null)).toBe('');
    expect(csvCell(Number.NaN)).toBe('');
  });

  it('quotes commas, quotes and line breaks', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
  });

  it('turns text a spreadsheet would evaluate into plain text', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-1+2')).toBe("'-1+2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tcmd')).toBe("'\tcmd");
  });
});

describe('toCsv', () => {
  it('writes a header and one CRLF line per row', () => {
    const rows = [
      { title: 'Smoke, test', count: 5 },
      { title: '=1+1', count: 0 },
    ];
    const csv = toCsv(
      [
        { label: 'Group', value: (r: (typeof rows)[number]) => r.title },
        { label: 'Checks', value: (r: (typeof rows)[number]) => r.count },
      ],
      rows,
    );
    expect(csv).toBe('Group,Checks\r\n"Smoke, test",5\r\n\'=1+1,0\r\n');
  });

  it('writes only the header when there is no data', () => {
    expect(toCsv([{ label: 'Hour', value: () => 1 }], [])).toBe('Hour\r\n');
  });
});

describe('fileSlug', () => {
  it('makes a file name from a title', () => {
    expect(fileSlug('Latency, p95 (7d)')).toBe('latency-p95-7d');
    expect(fileSlug('!!!')).toBe('chart');
  });
});

import { describe, expect, it } from 'vitest';
import { inlineStyle } from './chartExport.ts';

describe('inlineStyle', () => {
  it('writes the computed presentation of an element, skipping unset properties', () => {
    const computed: Record<string, string> = {
      fill: 'rgb(22, 163, 74)',
      stroke: ' rgb(255, 255, 255) ',
      'font-size': '11px',
      color: 'red',
    };
    expect(inlineStyle((p) => computed[p] ?? '')).toBe(
      'fill:rgb(22, 163, 74);stroke:rgb(255, 255, 255);font-size:11px',
    );
  });
});

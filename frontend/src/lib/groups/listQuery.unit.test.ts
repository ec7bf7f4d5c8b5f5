import { describe, expect, it } from 'vitest';
import { listSearch, pageCount, parseGroupsQuery, readApiSearch, toggleSort } from './listQuery.ts';

const parse = (query: string) => parseGroupsQuery(new URLSearchParams(query));

describe('groups table state in the URL', () => {
  it('reads every parameter the table sets', () => {
    expect(parse('search=fans&status=disabled&sort=title&page=3&per_page=50')).toEqual({
      search: 'fans',
      status: 'disabled',
      sort: { key: 'title', descending: false },
      page: 3,
      perPage: 50,
    });
  });

  it('falls back to defaults for values the read API would refuse', () => {
    expect(parse('status=everything&sort=-password&page=0&per_page=500')).toEqual({
      search: '',
      status: 'all',
      sort: { key: 'created_at', descending: true },
      page: 1,
      perPage: 20,
    });
    expect(parse('page=-2&per_page=abc').page).toBe(1);
  });

  it('writes short links (defaults left out) that read back the same', () => {
    expect(listSearch(parse(''))).toBe('');
    const query = parse('search=a b&status=protected&sort=-updated_at&page=2&per_page=10');
    expect(parse(listSearch(query))).toEqual(query);
  });

  it('spells out every parameter for the read API', () => {
    expect(readApiSearch(parse('search=%25x'))).toBe(
      '?page=1&per_page=20&search=%25x&status=all&sort=-created_at',
    );
  });

  it('flips a sorted column and starts a new one in its natural order', () => {
    const newest = { key: 'created_at', descending: true } as const;
    expect(toggleSort(newest, 'created_at')).toEqual({ key: 'created_at', descending: false });
    expect(toggleSort(newest, 'title')).toEqual({ key: 'title', descending: false });
    expect(toggleSort(newest, 'updated_at')).toEqual({ key: 'updated_at', descending: true });
  });

  it('counts at least one page', () => {
    expect(pageCount(0, 20)).toBe(1);
    expect(pageCount(41, 20)).toBe(3);
  });
});

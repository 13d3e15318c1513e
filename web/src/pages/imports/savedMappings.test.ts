import { describe, expect, it } from 'vitest';
import { mappingColumns, mappingName } from './savedMappings';

describe('a saved mapping', () => {
  const headers = ['作品名称', '发布时间', '', '播放量', '  点赞量 '];
  it.each([
    ['each mapped field with its column’s header', { title: 0, published_at: 1, reads: 3 }, { title: ['作品名称'], published_at: ['发布时间'], reads: ['播放量'] }],
    ['unmapped fields left out', { reads: 3 }, { reads: ['播放量'] }],
    ['a column the file does not have left out', { title: 0, likes: 9 }, { title: ['作品名称'] }],
    ['a column without a header left out', { title: 0, saves: 2 }, { title: ['作品名称'] }],
    ['the header as the server compares it, without spaces around', { likes: 4 }, { likes: ['点赞量'] }],
    ['nothing mapped, nothing kept', {}, {}],
  ])('keeps %s', (_, mapping: Record<string, number>, columns) => {
    expect(mappingColumns(mapping, headers)).toEqual(columns);
  });

  it.each([
    ['作品数据_2026-12-08.csv', '作品数据_2026-12-08'],
    ['抖音.周报.xlsx', '抖音.周报'],
    ['没有扩展名', '没有扩展名'],
    [`${'长'.repeat(70)}.csv`, '长'.repeat(60)],
  ])('is offered %s under the name %s', (file, name) => {
    expect(mappingName(file)).toBe(name);
  });
});

function trim(n: number, digits: number): string {
  return n.toFixed(digits).replace(/\.?0+$/, '');
}

/**
 * Follower counts the way each audience reads them:
 * zh-CN groups by 万 / 亿 (`12.3万`), en-US by K / M (`123.5K`).
 */
export function formatFollowers(n: number, locale: string): string {
  const sign = n < 0 ? '-' : '';
  const abs = Math.abs(n);
  if (locale.startsWith('zh')) {
    if (abs >= 1e8) return `${sign}${trim(abs / 1e8, 2)}亿`;
    if (abs >= 1e4) return `${sign}${trim(abs / 1e4, 1)}万`;
    return `${sign}${abs}`;
  }
  if (abs >= 1e9) return `${sign}${trim(abs / 1e9, 2)}B`;
  if (abs >= 1e6) return `${sign}${trim(abs / 1e6, 2)}M`;
  if (abs >= 1e4) return `${sign}${trim(abs / 1e3, 1)}K`;
  return `${sign}${abs.toLocaleString('en-US')}`;
}

export function formatInteger(n: number, locale: string): string {
  return new Intl.NumberFormat(locale).format(n);
}

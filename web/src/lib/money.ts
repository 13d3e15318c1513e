/** Money travels as integer fen (1 yuan = 100 fen); the UI edits and shows yuan. */

export function fenToYuan(fen: number): number {
  return fen / 100;
}

/** Converts a yuan amount (possibly with float noise) to whole fen. */
export function yuanToFen(yuan: number | string | null | undefined): number {
  if (yuan === null || yuan === undefined || yuan === '') return 0;
  const n = typeof yuan === 'number' ? yuan : Number(String(yuan).replace(/[,\s¥]/g, ''));
  if (!Number.isFinite(n)) return 0;
  return Math.round(n * 100);
}

/** `123456` → `¥1,234.56` */
export function formatYuan(fen: number, locale = 'zh-CN'): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.round(fen));
  const yuan = Math.floor(abs / 100);
  const cents = String(abs % 100).padStart(2, '0');
  const grouped = new Intl.NumberFormat(locale, { maximumFractionDigits: 0, useGrouping: true }).format(yuan);
  return `${sign}¥${grouped}.${cents}`;
}

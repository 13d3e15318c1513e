import { useState } from 'react';
import { App, Button } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { downloadFile, queryString } from '../lib/download';
import { describeError } from '../lib/errors';

type Params = Record<string, string | number | boolean | null | undefined>;

/**
 * 导出 Excel: downloads the list under the filters the page shows (`params`, the list's own
 * query parameters) from the export address next to it (`path`, e.g. `accounts/export`).
 */
export function ExportButton({ wsId, path, params, fallbackName }: { wsId: number; path: string; params: Params; fallbackName: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      await downloadFile(`/api/v1/workspaces/${wsId}/${path}${queryString(params)}`, fallbackName);
    } catch (e) {
      void message.error(describeError(e, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button icon={<DownloadOutlined />} loading={busy} onClick={() => void run()} data-testid="export-button">
      {t('common.exportXlsx')}
    </Button>
  );
}

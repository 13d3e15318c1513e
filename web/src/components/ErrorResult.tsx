import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { describeError } from '../lib/errors';

export function ErrorResult({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  return (
    <Result
      status="error"
      title={t('app.loadFailed')}
      subTitle={describeError(error, t)}
      extra={
        onRetry ? (
          <Button type="primary" onClick={onRetry}>
            {t('app.retry')}
          </Button>
        ) : undefined
      }
    />
  );
}

import { Button, Result } from 'antd';
import { useRouteError } from 'react-router';
import { useTranslation } from 'react-i18next';
import { describeError } from '../lib/errors';

/** Last-resort screen for a page that crashed while rendering. */
export function RouteError() {
  const { t } = useTranslation();
  const error = useRouteError();
  return (
    <Result
      status="error"
      title={t('app.loadFailed')}
      subTitle={describeError(error, t)}
      extra={
        <Button type="primary" onClick={() => window.location.reload()}>
          {t('app.retry')}
        </Button>
      }
    />
  );
}

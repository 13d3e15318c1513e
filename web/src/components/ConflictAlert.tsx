import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';

/** Shown in an edit form after a 409 `conflict.stale_version`, naming what the other person changed. */
export function ConflictAlert({
  fields,
  fieldLabel,
  bodyKey = 'conflict.body',
  onReload,
}: {
  /** the API field names the server reported as changed */
  fields: string[];
  fieldLabel: (field: string) => string;
  /** a capability's own wording of the explanation, with `{{fields}}` */
  bodyKey?: string;
  onReload: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Alert
      type="warning"
      showIcon
      role="alert"
      data-testid="conflict-alert"
      style={{ marginBottom: 16 }}
      title={t('conflict.title')}
      description={t(bodyKey, { fields: fields.map(fieldLabel).join(t('common.listSeparator')) || '—' })}
      action={
        <Button size="small" type="primary" onClick={onReload}>
          {t('conflict.reload')}
        </Button>
      }
    />
  );
}

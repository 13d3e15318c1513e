import { Alert, Button } from 'antd';

/** Shown in an edit form after a 409 `conflict.stale_version`. */
export function ConflictAlert({
  title,
  description,
  reloadLabel,
  onReload,
}: {
  title: string;
  description: string;
  reloadLabel: string;
  onReload: () => void;
}) {
  return (
    <Alert
      type="warning"
      showIcon
      role="alert"
      data-testid="conflict-alert"
      style={{ marginBottom: 16 }}
      title={title}
      description={description}
      action={
        <Button size="small" type="primary" onClick={onReload}>
          {reloadLabel}
        </Button>
      }
    />
  );
}

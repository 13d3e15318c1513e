import { useEffect, useMemo } from 'react';
import { Alert, Button, Card, Form, Input, Select, Skeleton, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { qk } from '../../api/queries';
import { workspaceApi } from './api';
import { useWorkspace, workspaceKeys } from './queries';
import type { Workspace, WorkspacePatch } from '../../api/types';
import { useSession } from '../../auth/session';
import { ErrorResult } from '../../components/ErrorResult';
import { formatTime } from '../../components/events';
import { timeZoneOptions } from '../../lib/timeZones';
import { useApiMutation } from '../../lib/useApiMutation';

export const WORKSPACE_NAME_MAX = 100;

interface WorkspaceValues {
  name: string;
  time_zone: string;
}

/** Only what differs from the stored workspace, so an untouched field is not sent. */
export function workspacePatch(ws: Pick<Workspace, 'name' | 'time_zone'>, v: Partial<WorkspaceValues>): WorkspacePatch {
  const patch: WorkspacePatch = {};
  const name = v.name?.trim();
  if (name !== undefined && name !== ws.name) patch.name = name;
  if (v.time_zone !== undefined && v.time_zone !== ws.time_zone) patch.time_zone = v.time_zone;
  return patch;
}

function WorkspaceForm({ workspace, manage }: { workspace: Workspace; manage: boolean }) {
  const { t, i18n } = useTranslation();
  const { wsId } = useSession();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<WorkspaceValues>();
  const values = Form.useWatch([], form) as Partial<WorkspaceValues> | undefined;
  const dirty = Object.keys(workspacePatch(workspace, values ?? {})).length > 0;
  const options = useMemo(() => timeZoneOptions(i18n.language, workspace.time_zone), [i18n.language, workspace.time_zone]);

  useEffect(() => {
    form.setFieldsValue({ name: workspace.name, time_zone: workspace.time_zone });
  }, [workspace, form]);

  const save = useApiMutation({
    mutationFn: (patch: WorkspacePatch) => workspaceApi.update(wsId, patch),
    form,
    success: t('workspaces:saved'),
    onSuccess: (updated, patch) => {
      queryClient.setQueryData(workspaceKeys.one(wsId), updated);
      // The header shows the workspace name from `me`.
      void queryClient.invalidateQueries({ queryKey: qk.me, exact: true });
      // Days and weeks of the workspace's data follow its time zone.
      if (patch.time_zone !== undefined) void queryClient.invalidateQueries({ queryKey: qk.ws(wsId) });
    },
  });

  return (
    <Form<WorkspaceValues>
      form={form}
      layout="vertical"
      name="workspace"
      disabled={!manage}
      initialValues={{ name: workspace.name, time_zone: workspace.time_zone }}
      onFinish={(v) => save.mutate(workspacePatch(workspace, v))}
      style={{ maxWidth: 520 }}
    >
      <Form.Item
        name="name"
        label={t('workspaces:fields.name')}
        rules={[
          { required: true, whitespace: true, message: t('workspaces:validation.name') },
          { max: WORKSPACE_NAME_MAX, message: t('workspaces:validation.nameTooLong', { max: WORKSPACE_NAME_MAX }) },
        ]}
      >
        <Input autoComplete="off" />
      </Form.Item>
      <Form.Item
        name="time_zone"
        label={t('workspaces:fields.time_zone')}
        extra={t('workspaces:timeZoneHelp')}
        rules={[{ required: true, message: t('workspaces:validation.time_zone') }]}
      >
        <Select options={options} showSearch={{ optionFilterProp: 'label' }} placeholder={t('workspaces:timeZoneSearch')} />
      </Form.Item>
      <Form.Item label={t('workspaces:fields.created_at')}>
        <Typography.Text data-testid="workspace-created-at">{formatTime(workspace.created_at)}</Typography.Text>
      </Form.Item>
      {manage && (
        <Form.Item style={{ marginBottom: 0 }}>
          <Button type="primary" htmlType="submit" loading={save.isPending} disabled={!dirty}>
            {t('common.save')}
          </Button>
        </Form.Item>
      )}
    </Form>
  );
}

export default function WorkspacePage() {
  const { t } = useTranslation();
  const { wsId, can } = useSession();
  const workspace = useWorkspace(wsId);
  const manage = can('workspace.manage');

  return (
    <Card title={t('workspaces:title')}>
      {workspace.isError ? (
        <ErrorResult error={workspace.error} onRetry={() => void workspace.refetch()} />
      ) : workspace.data ? (
        <>
          {!manage && <Alert type="info" showIcon title={t('workspaces:readOnly')} style={{ marginBottom: 24, maxWidth: 520 }} />}
          <WorkspaceForm key={workspace.data.id} workspace={workspace.data} manage={manage} />
        </>
      ) : (
        <Skeleton active />
      )}
    </Card>
  );
}

import { useState } from 'react';
import { Button, Form, Input, Modal, Select, Typography } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { useApiMutation } from '../../lib/useApiMutation';
import { importApi, type ImportKind, type ImportMapping, type Mapping } from './api';
import { importKeys, importMappingsQuery } from './queries';
import { MAPPING_NAME_MAX, mappingColumns, mappingName } from './savedMappings';

/** The test ids' prefix of the wizard the control is in (`metric-…`, `import-…`). */
type TestIdPrefix = 'metric' | 'import';

/**
 * 已保存的映射: a saved mapping of the kind for the upload to start its mapping from (each field
 * found by its saved header); nothing while the kind has none.
 */
export function SavedMappingSelect({
  wsId,
  kind,
  value,
  onChange,
  testIdPrefix,
}: {
  wsId: number;
  kind: ImportKind;
  value: number | undefined;
  onChange: (id: number | undefined) => void;
  testIdPrefix: TestIdPrefix;
}) {
  const { t } = useTranslation();
  const saved = useQuery(importMappingsQuery(wsId, kind));
  if (!saved.data?.length) return null;
  return (
    <Form.Item label={t('imports:mappings.saved')} help={t('imports:mappings.savedHelp')}>
      <Select<number>
        allowClear
        style={{ width: 320 }}
        placeholder={t('imports:mappings.none')}
        value={value}
        onChange={(id) => onChange(id ?? undefined)}
        aria-label={t('imports:mappings.saved')}
        data-testid={`${testIdPrefix}-saved-mapping`}
        options={saved.data.map((m) => ({ value: m.id, label: m.name }))}
      />
    </Form.Item>
  );
}

interface NameForm {
  name: string;
}

/**
 * 保存为映射: keeps the header of each mapped column under a name, for the next file of the kind
 * to start from. A name the kind already has is shown at the name, with the offer to write over
 * that mapping.
 */
export function SaveMappingButton({
  wsId,
  kind,
  fileName,
  mapping,
  headers,
  testIdPrefix,
}: {
  wsId: number;
  kind: ImportKind;
  fileName: string;
  mapping: Mapping;
  headers: readonly string[];
  testIdPrefix: TestIdPrefix;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<NameForm>();
  const [open, setOpen] = useState(false);
  // The saved mapping whose name was taken: offered to be replaced until the name changes.
  const [taken, setTaken] = useState<ImportMapping | null>(null);
  const columns = mappingColumns(mapping, headers);
  const fields = Object.keys(columns).length;

  const close = () => {
    form.resetFields();
    setTaken(null);
    setOpen(false);
  };
  const saved = { success: t('imports:mappings.done'), invalidate: [importKeys.mappings(wsId)], onSuccess: close, form };
  const create = useApiMutation({
    ...saved,
    mutationFn: ({ name }: NameForm) => importApi.saveMapping(wsId, { name, kind, columns }),
    onError: (err) => {
      if (!isApiError(err) || err.code !== 'imports.mapping_name_taken') return;
      // The name's mapping may be someone else's, saved since the list was read: read it again.
      const name = String(form.getFieldValue('name') ?? '').trim();
      void queryClient
        .fetchQuery({ ...importMappingsQuery(wsId, kind), staleTime: 0 })
        .then((list) => setTaken(list.find((m) => m.name === name) ?? null));
    },
  });
  const replace = useApiMutation({
    ...saved,
    mutationFn: (m: ImportMapping) => importApi.replaceMapping(wsId, m.id, { name: m.name, kind, columns }),
  });

  return (
    <>
      <Button disabled={fields === 0} onClick={() => setOpen(true)} data-testid={`${testIdPrefix}-save-mapping`}>
        {t('imports:mappings.save')}
      </Button>
      <Modal
        open={open}
        title={t('imports:mappings.title')}
        onCancel={close}
        destroyOnHidden
        footer={[
          <Button key="cancel" onClick={close}>
            {t('common.cancel')}
          </Button>,
          taken && (
            <Button key="replace" danger loading={replace.isPending} onClick={() => replace.mutate(taken)} data-testid={`${testIdPrefix}-mapping-replace`}>
              {t('imports:mappings.replace')}
            </Button>
          ),
          <Button key="save" type="primary" loading={create.isPending} onClick={() => form.submit()} data-testid={`${testIdPrefix}-mapping-submit`}>
            {t('common.save')}
          </Button>,
        ]}
      >
        <Typography.Paragraph type="secondary">{t('imports:mappings.intro', { count: fields })}</Typography.Paragraph>
        <Form<NameForm>
          form={form}
          layout="vertical"
          initialValues={{ name: mappingName(fileName) }}
          onValuesChange={() => setTaken(null)}
          onFinish={(v) => create.mutate(v)}
        >
          <Form.Item
            name="name"
            label={t('imports:mappings.name')}
            extra={t('imports:mappings.nameHelp')}
            rules={[{ required: true, whitespace: true, message: t('imports:mappings.nameRequired') }]}
          >
            <Input maxLength={MAPPING_NAME_MAX} autoComplete="off" data-testid={`${testIdPrefix}-mapping-name`} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

import { useEffect } from 'react';
import { Alert, Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';

/** Asks for a written reason (reject, forced approval); the reason is required. */
export function ReasonModal({
  open,
  title,
  okText,
  hint,
  danger,
  loading,
  onOk,
  onCancel,
  testId,
}: {
  open: boolean;
  title: string;
  okText: string;
  hint?: string;
  danger?: boolean;
  loading?: boolean;
  onOk: (reason: string) => void;
  onCancel: () => void;
  testId: string;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);
  return (
    <Modal
      open={open}
      title={title}
      okText={okText}
      okButtonProps={{ danger, loading }}
      onOk={() => form.submit()}
      onCancel={onCancel}
      destroyOnHidden
      data-testid={testId}
    >
      {hint && <Alert type="warning" showIcon title={hint} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" name={testId} onFinish={(v) => onOk(v.reason.trim())}>
        <Form.Item
          name="reason"
          label={t('content:review.reason')}
          rules={[{ required: true, whitespace: true, message: t('content:validation.reason') }]}
        >
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={1000} autoFocus />
        </Form.Item>
      </Form>
    </Modal>
  );
}

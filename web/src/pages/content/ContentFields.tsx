import { Col, DatePicker, Form, Input, Row, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { Campaign, ContentInput, ContentItem, CustomField, CustomValues } from '../../api/types';
import { CustomFieldItems } from '../../components/CustomFields';
import { MemberSelect } from '../../components/MemberSelect';
import { AccountSelect } from './AccountSelect';

/** What the content forms edit: dates as dayjs, everything else as the API has it. */
export interface ContentFormValues {
  title: string;
  body?: string;
  account_id?: number | null;
  campaign_id?: number | null;
  hashtags?: string[];
  media?: string[];
  assignee_id?: number | null;
  due_on?: Dayjs | null;
  planned_at?: Dayjs | null;
  tags?: string[];
  custom?: CustomValues;
}

export function toFormValues(item: ContentItem): ContentFormValues {
  return {
    title: item.title,
    body: item.body,
    account_id: item.account_id ?? null,
    campaign_id: item.campaign_id ?? null,
    hashtags: item.hashtags,
    media: item.media,
    assignee_id: item.assignee_id ?? null,
    due_on: item.due_on ? dayjs(item.due_on) : null,
    planned_at: item.planned_at ? dayjs(item.planned_at) : null,
    tags: item.tags,
    custom: { ...(item.custom as CustomValues) },
  };
}

/** `#话题#`, `#话题` and `话题` are all stored as `话题`. */
export function cleanHashtag(tag: string): string {
  return tag.trim().replace(/^#+/, '').replace(/#+$/, '').trim();
}

/** Form values → API fields (dates as YYYY-MM-DD, times as RFC3339 UTC, empty values dropped). */
export function toContentInput(v: ContentFormValues): Omit<ContentInput, 'stage' | 'topic_id'> {
  const custom = Object.fromEntries(
    Object.entries(v.custom ?? {}).filter(([, x]) => x !== undefined && x !== null && x !== '' && !(Array.isArray(x) && x.length === 0)),
  );
  return {
    title: v.title.trim(),
    body: v.body ?? '',
    account_id: v.account_id ?? null,
    campaign_id: v.campaign_id ?? null,
    hashtags: [...new Set((v.hashtags ?? []).map(cleanHashtag).filter(Boolean))],
    media: (v.media ?? []).map((m) => m.trim()).filter(Boolean),
    assignee_id: v.assignee_id ?? null,
    due_on: v.due_on ? v.due_on.format('YYYY-MM-DD') : null,
    planned_at: v.planned_at ? v.planned_at.second(0).millisecond(0).toISOString().replace('.000Z', 'Z') : null,
    tags: v.tags ?? [],
    custom,
  };
}

const tagsInput = { mode: 'tags' as const, tokenSeparators: [',', '，'], open: false, suffixIcon: null };

/** The content form items shared by the create drawer and the card's details tab. */
export function ContentFieldItems({
  campaigns,
  customFields,
  locked,
  accountRequired,
  accountOwner,
}: {
  campaigns: Campaign[];
  customFields: CustomField[];
  /** Content fields frozen (in review, publish or retro). */
  locked: boolean;
  accountRequired: boolean;
  /** Restrict the account choice to this owner's accounts. */
  accountOwner?: number;
}) {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item name="title" label={t('content:fields.title')} rules={[{ required: true, whitespace: true, message: t('content:validation.title') }]}>
        <Input disabled={locked} maxLength={200} />
      </Form.Item>
      <Form.Item name="body" label={t('content:fields.body')}>
        <Input.TextArea disabled={locked} autoSize={{ minRows: 4, maxRows: 14 }} />
      </Form.Item>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item
            name="account_id"
            label={t('content:fields.account_id')}
            rules={accountRequired ? [{ required: true, message: t('content:validation.account') }] : []}
          >
            <AccountSelect disabled={locked} owner={accountOwner} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="campaign_id" label={t('content:fields.campaign_id')}>
            <Select
              disabled={locked}
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              options={campaigns.map((c) => ({ value: c.id, label: c.name }))}
            />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="hashtags" label={t('content:fields.hashtags')} extra={t('content:hashtagsHelp')}>
        <Select {...tagsInput} disabled={locked} />
      </Form.Item>
      <Form.Item name="media" label={t('content:fields.media')} extra={t('content:mediaHelp')}>
        <Select mode="tags" tokenSeparators={['\n']} open={false} suffixIcon={null} disabled={locked} />
      </Form.Item>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="assignee_id" label={t('content:fields.assignee_id')}>
            <MemberSelect />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="due_on" label={t('content:fields.due_on')}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="planned_at" label={t('content:fields.planned_at')}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="tags" label={t('content:fields.tags')}>
            <Select {...tagsInput} />
          </Form.Item>
        </Col>
      </Row>
      {customFields.length > 0 && <CustomFieldItems fields={customFields} />}
    </>
  );
}

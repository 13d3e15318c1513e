import { translations, type LocaleResources } from '../../i18n/types';

const zhCN = {
  title: '战役',
  new: '新建战役',
  edit: '编辑战役',
  created: '战役已创建',
  saved: '战役已保存',
  searchPlaceholder: '搜索战役名称或主题',
  budgetSplitHint: '各层级预算合计 {{sum}}，总预算 {{total}}',
  budgetSplitOver: '各层级预算合计超过总预算',
  fields: {
    name: '战役名称',
    theme: '主题',
    period: '起止日期',
    starts_on: '开始日期',
    ends_on: '结束日期',
    budget: '总预算（元）',
    budget_fen: '总预算',
    budget_by_tier: '层级预算（元）',
    currency: '币种',
    required_hashtags: '必带话题',
    embargo_at: '解禁时间',
    target_kpis: '目标 KPI',
    status: '状态',
    custom: '自定义字段',
    updated_at: '更新时间',
  },
  validation: {
    name: '请输入战役名称',
    period: '请选择起止日期',
  },
  hashtagPlaceholder: '输入话题后回车，如 #新品首发',
};

const enUS: LocaleResources<typeof zhCN> = {
  title: 'Campaigns',
  new: 'New campaign',
  edit: 'Edit campaign',
  created: 'Campaign created',
  saved: 'Campaign saved',
  searchPlaceholder: 'Search name or theme',
  budgetSplitHint: 'Tier budgets add up to {{sum}} of {{total}}',
  budgetSplitOver: 'Tier budgets exceed the total budget',
  fields: {
    name: 'Name',
    theme: 'Theme',
    period: 'Period',
    starts_on: 'Starts on',
    ends_on: 'Ends on',
    budget: 'Budget (CNY)',
    budget_fen: 'Budget',
    budget_by_tier: 'Budget per tier (CNY)',
    currency: 'Currency',
    required_hashtags: 'Required hashtags',
    embargo_at: 'Embargo until',
    target_kpis: 'Target KPIs',
    status: 'Status',
    custom: 'Custom fields',
    updated_at: 'Updated',
  },
  validation: {
    name: 'Please enter the campaign name',
    period: 'Please choose the period',
  },
  hashtagPlaceholder: 'Type a hashtag and press Enter, e.g. #launch',
};

export default translations(zhCN, enUS);

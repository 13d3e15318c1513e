import { translations, type LocaleResources } from '../../i18n/types';

const zhCN = {
  title: '审计日志',
  actor: '操作人',
  action: '操作',
  entity: '对象',
  time: '时间',
  before: '修改前',
  after: '修改后',
  filterAction: '按操作筛选',
  filterActor: '按操作人筛选',
  filterDates: '按日期筛选',
  changes: '变更',
  field: '字段',
  contentObject: '{{kind}}《{{name}}》',
  ip: 'IP 地址',
};

const enUS: LocaleResources<typeof zhCN> = {
  title: 'Audit log',
  actor: 'Actor',
  action: 'Action',
  entity: 'Object',
  time: 'Time',
  before: 'Before',
  after: 'After',
  filterAction: 'Filter by action',
  filterActor: 'Filter by person',
  filterDates: 'Filter by date',
  changes: 'Changes',
  field: 'Field',
  contentObject: '{{kind}} “{{name}}”',
  ip: 'IP address',
};

export default translations(zhCN, enUS);

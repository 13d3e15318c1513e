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
  ip: 'IP address',
};

export default translations(zhCN, enUS);

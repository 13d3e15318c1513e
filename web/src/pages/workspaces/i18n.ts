import { translations, type LocaleResources } from '../../i18n/types';

const zhCN = {
  title: '空间设置',
  saved: '空间设置已保存',
  readOnly: '你可以查看空间设置，但没有修改权限。',
  timeZoneHelp: '按天、按周统计和日历都以此时区为准',
  timeZoneSearch: '搜索时区，如 Asia/Shanghai',
  fields: {
    name: '工作区名称',
    time_zone: '时区',
    created_at: '创建时间',
  },
  validation: {
    name: '请输入工作区名称',
    nameTooLong: '工作区名称不能超过 {{max}} 个字',
    time_zone: '请选择时区',
  },
  menu: '空间设置',
};

const enUS: LocaleResources<typeof zhCN> = {
  title: 'Workspace settings',
  saved: 'Workspace settings saved',
  readOnly: 'You can view the workspace settings but not change them.',
  timeZoneHelp: 'Days, weeks and the calendar follow this time zone',
  timeZoneSearch: 'Search time zones, e.g. Asia/Shanghai',
  fields: {
    name: 'Workspace name',
    time_zone: 'Time zone',
    created_at: 'Created',
  },
  validation: {
    name: 'Enter the workspace name',
    nameTooLong: 'The workspace name can have at most {{max}} characters',
    time_zone: 'Choose a time zone',
  },
  menu: 'Workspace',
};

export default translations(zhCN, enUS);

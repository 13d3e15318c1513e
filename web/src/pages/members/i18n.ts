import { translations, type LocaleResources } from '../../i18n/types';

const zhCN = {
  title: '成员',
  updated: '成员已更新',
  removed: '成员已移除',
  removeConfirm: '确定将「{{name}}」移出工作区吗？',
  you: '我',
  search: '搜索姓名或邮箱',
  roleConfirm: {
    title: '修改角色？',
    body: '将「{{name}}」的角色从「{{from}}」改为「{{to}}」，权限随即改变。',
    ok: '修改',
  },
  fields: {
    name: '姓名',
    email: '邮箱',
    role: '角色',
    group: '小组',
    created_at: '加入时间',
  },
  validation: {
    name: '请输入姓名',
    email: '请输入有效邮箱',
    role: '请选择角色',
    group: '请选择小组',
  },
};

const enUS: LocaleResources<typeof zhCN> = {
  title: 'Members',
  updated: 'Member updated',
  removed: 'Member removed',
  removeConfirm: 'Remove "{{name}}" from this workspace?',
  you: 'me',
  search: 'Search name or email',
  roleConfirm: {
    title: 'Change the role?',
    body: 'Change the role of "{{name}}" from {{from}} to {{to}}. Their permissions change at once.',
    ok: 'Change',
  },
  fields: {
    name: 'Name',
    email: 'Email',
    role: 'Role',
    group: 'Group',
    created_at: 'Joined',
  },
  validation: {
    name: 'Please enter the name',
    email: 'Please enter a valid email',
    role: 'Please choose a role',
    group: 'Please choose a group',
  },
};

export default translations(zhCN, enUS);

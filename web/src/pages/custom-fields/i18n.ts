import { translations, type LocaleResources } from '../../i18n/types';

const zhCN = {
  title: '自定义字段',
  new: '新建字段',
  edit: '编辑字段',
  created: '字段已创建',
  saved: '字段已保存',
  deleted: '字段已删除',
  deleteConfirm: '删除字段「{{label}}」后，所有记录中的该字段值将不再显示。确定删除吗？',
  keyHelp: '小写字母、数字和下划线，以字母开头，创建后不可修改',
  optionsHelp: '输入选项后回车',
  noFields: '还没有自定义字段',
  fields: {
    key: '字段标识',
    label: '显示名称',
    kind: '类型',
    options: '选项',
    required: '必填',
    position: '顺序',
  },
  validation: {
    key: '标识格式不正确',
    label: '请输入显示名称',
    kind: '请选择类型',
    options: '请至少添加一个选项',
  },
};

const enUS: LocaleResources<typeof zhCN> = {
  title: 'Custom fields',
  new: 'New field',
  edit: 'Edit field',
  created: 'Field created',
  saved: 'Field saved',
  deleted: 'Field deleted',
  deleteConfirm: 'Delete field "{{label}}"? Its values will no longer be shown on any record.',
  keyHelp: 'Lowercase letters, digits and underscores, starting with a letter; cannot be changed later',
  optionsHelp: 'Type an option and press Enter',
  noFields: 'No custom fields yet',
  fields: {
    key: 'Key',
    label: 'Label',
    kind: 'Type',
    options: 'Options',
    required: 'Required',
    position: 'Order',
  },
  validation: {
    key: 'Invalid key',
    label: 'Please enter a label',
    kind: 'Please choose a type',
    options: 'Please add at least one option',
  },
};

export default translations(zhCN, enUS);

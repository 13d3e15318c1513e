import { translations, type LocaleResources } from '../../i18n/types';

const zhCN = {
  title: '红线词库',
  add: '添加红线词',
  edit: '编辑红线词',
  created: '红线词已添加',
  saved: '红线词已保存',
  deleted: '红线词已删除',
  enabled: '红线词已启用',
  disabled: '红线词已停用',
  deleteConfirm: '确定删除红线词「{{phrase}}」吗？',
  searchPlaceholder: '搜索红线词、例外或备注',
  readOnly: '你可以查看红线词库，但没有修改权限。',
  loosenHint: '放宽红线（停用、删除、由拦截降为提醒、修改词语、添加例外）需要总监或管理员',
  builtin: '内置',
  builtinHint: '系统内置的广告法用语，可以停用，不能删除',
  empty: '还没有红线词',
  noMatch: '没有匹配的红线词',
  exceptionsHelp: '包含红线词但允许使用的说法，如「第一」的例外「第一时间」；输入后回车',
  fields: {
    phrase: '红线词',
    severity: '级别',
    exceptions: '例外',
    note: '备注',
    enabled: '启用',
  },
  severityHint: {
    block: '命中后不能通过审核，总监或管理员可填写理由强制通过',
    warn: '只提醒，不影响审核',
  },
  validation: {
    phrase: '请输入红线词',
    severity: '请选择级别',
  },
  try: {
    title: '试一试',
    placeholder: '粘贴一段文案，看看会命中哪些红线词',
    run: '检查',
    clean: '没有命中红线词',
    hits: '命中 {{count}} 处',
    chars: '{{count}} 字',
  },
};

const enUS: LocaleResources<typeof zhCN> = {
  title: 'Red lines',
  add: 'Add red line',
  edit: 'Edit red line',
  created: 'Red line added',
  saved: 'Red line saved',
  deleted: 'Red line deleted',
  enabled: 'Red line enabled',
  disabled: 'Red line disabled',
  deleteConfirm: 'Delete the red line "{{phrase}}"?',
  searchPlaceholder: 'Search phrases, exceptions or notes',
  readOnly: 'You can view the red lines but not change them.',
  loosenHint: 'Loosening a red line (disabling, deleting, lowering Block to Warn, changing the phrase, adding an exception) needs a director or admin',
  builtin: 'Built-in',
  builtinHint: 'Built-in advertising-law term: it can be disabled but not deleted',
  empty: 'No red lines yet',
  noMatch: 'No red line matches',
  exceptionsHelp: 'Allowed wordings that contain the phrase, e.g. "第一时间" for "第一". Press Enter after each',
  fields: {
    phrase: 'Phrase',
    severity: 'Severity',
    exceptions: 'Exceptions',
    note: 'Note',
    enabled: 'Enabled',
  },
  severityHint: {
    block: 'A hit stops approval; a director or admin may override with a reason',
    warn: 'A reminder only; approval is not affected',
  },
  validation: {
    phrase: 'Please enter the phrase',
    severity: 'Please choose the severity',
  },
  try: {
    title: 'Try it',
    placeholder: 'Paste some copy to see which red lines it hits',
    run: 'Check',
    clean: 'No red line hit',
    hits: '{{count}} hit(s)',
    chars: '{{count}} characters',
  },
};

export default translations(zhCN, enUS);

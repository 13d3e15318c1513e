import { translations, type LocaleResources } from '../../i18n/types';

const zhCN = {
  title: '平台',
  add: '添加平台',
  edit: '编辑平台',
  created: '平台已添加',
  saved: '平台已保存',
  codeHelp: '小写字母、数字和下划线，如 xiaohongshu',
  unlimited: '不限',
  limitHelp: '按字数计（emoji 算 1 个字），留空表示不限',
  urlPatternsHelp: '发布链接须匹配其中一条，写成「域名/路径前缀」，如 xiaohongshu.com/explore/，子域名同样匹配；输入后回车。留空表示不限',
  publishRules: '发布规则',
  fields: {
    code: '平台代码',
    name: '平台名称',
    active: '启用',
    position: '顺序',
    title_max: '标题字数上限',
    body_max: '正文字数上限',
    url_patterns: '链接规则',
  },
  validation: {
    code: '平台代码格式不正确',
    name: '请输入平台名称',
  },
};

const enUS: LocaleResources<typeof zhCN> = {
  title: 'Platforms',
  add: 'Add platform',
  edit: 'Edit platform',
  created: 'Platform added',
  saved: 'Platform saved',
  codeHelp: 'Lowercase letters, digits and underscores, e.g. xiaohongshu',
  unlimited: 'No limit',
  limitHelp: 'Counted in characters (an emoji counts as one); leave empty for no limit',
  urlPatternsHelp: 'A published link must match one of these, written as host/path-prefix, e.g. xiaohongshu.com/explore/; subdomains match too. Press Enter after each. Leave empty for no check',
  publishRules: 'Publishing rules',
  fields: {
    code: 'Code',
    name: 'Name',
    active: 'Active',
    position: 'Order',
    title_max: 'Title length limit',
    body_max: 'Body length limit',
    url_patterns: 'Link rules',
  },
  validation: {
    code: 'Invalid platform code',
    name: 'Please enter the platform name',
  },
};

export default translations(zhCN, enUS);

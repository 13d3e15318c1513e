import { translations, type LocaleResources } from '../../i18n/types';

const zhCN = {
  title: '登录 KOX',
  subtitle: '品牌 KOX 矩阵运营平台',
  email: '邮箱',
  password: '密码',
  submit: '登录',
  emailRequired: '请输入邮箱',
  emailInvalid: '邮箱格式不正确',
  passwordRequired: '请输入密码',
};

const enUS: LocaleResources<typeof zhCN> = {
  title: 'Sign in to KOX',
  subtitle: 'Brand KOX matrix operations',
  email: 'Email',
  password: 'Password',
  submit: 'Sign in',
  emailRequired: 'Please enter your email',
  emailInvalid: 'Not a valid email address',
  passwordRequired: 'Please enter your password',
};

export default translations(zhCN, enUS);

import { translations, type LocaleResources } from '../../i18n/types';

const zhCN = {
  title: '工作台',
  greeting: '{{name}}，你好',
  viewAll: '查看全部',
  openBoard: '打开看板',
  board: {
    title: '本周看板',
    hint: '各列数字是看板上现有的内容（不分周）；「本周截止」按工作区时区 {{zone}} 统计 {{start}} 至 {{end}} 截止的内容。',
    dueThisWeek: '本周截止',
    overdue: '已逾期',
  },
  decide: {
    title: '待我处理',
    hint: '审核列里等待审核的内容（分配给你的除外），最早的在前',
    empty: '没有待你审核的内容',
  },
  overdue: {
    title: '逾期内容',
    empty: '没有逾期的内容',
  },
  reviewQueue: {
    title: '审核队列',
    hint: '审核列里等待审核的内容，最早的在前',
    empty: '审核列里没有等待审核的内容',
  },
  myItems: {
    title: '我的内容',
    hint: '分配给你、由你创建或在你负责的账号上的内容，逾期的在前',
    empty: '你还没有进行中的内容',
  },
  myAccounts: {
    title: '我的账号',
    empty: '你还没有负责的账号',
    total_other: '共 {{count}} 个账号',
  },
  matrix: {
    title: '矩阵概览',
    accounts: '账号总数',
    followers: '粉丝总量',
    tier: '层级',
    total: '合计',
    empty: '还没有账号',
  },
  item: {
    due: '{{date}} 截止',
    overdue: '逾期',
    noAccount: '未选账号',
  },
  more_other: '还有 {{count}} 条',
};

const enUS: LocaleResources<typeof zhCN> = {
  title: 'Home',
  greeting: 'Hello, {{name}}',
  viewAll: 'View all',
  openBoard: 'Open the board',
  board: {
    title: "This week's board",
    hint: 'Column numbers are what is on the board now (any week); "Due this week" counts items due {{start}} to {{end}} in the workspace time zone {{zone}}.',
    dueThisWeek: 'Due this week',
    overdue: 'Overdue',
  },
  decide: {
    title: 'Waiting on me',
    hint: 'Items in the review column waiting for a decision (except those assigned to you), oldest first',
    empty: 'Nothing is waiting for your review',
  },
  overdue: {
    title: 'Overdue items',
    empty: 'Nothing is overdue',
  },
  reviewQueue: {
    title: 'Review queue',
    hint: 'Items in the review column waiting for a decision, oldest first',
    empty: 'Nothing in the review column is waiting for a decision',
  },
  myItems: {
    title: 'My items',
    hint: 'Assigned to you, created by you or on an account you own; overdue first',
    empty: 'You have no items in progress',
  },
  myAccounts: {
    title: 'My accounts',
    empty: 'You own no accounts yet',
    total_one: '{{count}} account',
    total_other: '{{count}} accounts',
  },
  matrix: {
    title: 'Matrix overview',
    accounts: 'Accounts',
    followers: 'Followers',
    tier: 'Tier',
    total: 'Total',
    empty: 'No accounts yet',
  },
  item: {
    due: 'Due {{date}}',
    overdue: 'Overdue',
    noAccount: 'No account',
  },
  more_one: '{{count}} more',
  more_other: '{{count}} more',
};

export default translations(zhCN, enUS);

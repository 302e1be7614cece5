import type { DemoIdentity } from '@pioneer/shared';

/** Fixed dev-login identities of the demo county (README lists them). Only offered where dev login is on. */
export const DEMO_IDENTITIES: DemoIdentity[] = [
  { openid: 'demo-admin', name: '王组织', label: '县委组织部 · 管理员' },
  { openid: 'demo-secretary', name: '李书记', label: '支部书记' },
  { openid: 'demo-cadre', name: '赵驻村', label: '驻村干部' },
  { openid: 'demo-member', name: '陈党员', label: '普通党员' },
];

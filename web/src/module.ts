import type { ComponentType, LazyExoticComponent, ReactNode } from 'react';
import type { Capability } from './api/types';
import type { Translations } from './i18n/types';

/** A page of a capability at one address. */
export interface ModuleRoute {
  /** the address the user sees, absolute */
  path: string;
  page: LazyExoticComponent<ComponentType>;
  /** reachable without a session, outside the app shell (the sign-in page) */
  public?: boolean;
  /** translation key of the browser tab's title; the menu entry's label at the same path when absent */
  title?: string;
}

/** The submenus of the side menu (the shell gives them their icon, label and place). */
export type MenuGroup = 'matrix' | 'settings';

/** One entry of the side menu. */
export interface MenuEntry {
  /** the address it opens; also its menu key, matched against the current address */
  path: string;
  icon: ReactNode;
  /** translation key of its label */
  label: string;
  /** the submenu it sits in; top level when absent */
  group?: MenuGroup;
  /** place among its siblings (top-level entries and groups share one scale), lowest first */
  order: number;
  /** shown only to members who hold this capability */
  capability?: Capability;
}

/** Everything the shell needs to know about one capability of the server. */
export interface KoxModule {
  /** the server's capability name in kebab-case: its folder under pages/ and its translation namespace */
  name: string;
  translations: Translations;
  routes: ModuleRoute[];
  menu?: MenuEntry[];
}

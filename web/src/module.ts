import { createElement, lazy, type ComponentType, type ReactNode } from 'react';
import type { QueryClient } from '@tanstack/react-query';
import type { Capability } from './api/types';
import type { Translations } from './i18n/types';

/** A page loaded on first use, whose code can also be asked for before React renders it. */
export type LazyPage = ComponentType & { preload: () => Promise<unknown> };

/**
 * A page whose code loads on first use, with a `preload`: the app asks for the opened address's
 * page while its own scripts still run (App.tsx), so the code is not a second round trip after
 * the first render. Code that has arrived renders at once; `React.lazy` alone would suspend on
 * its first render even then, and React holds a revealed Suspense boundary back for up to 300 ms.
 */
export function lazyPage(load: () => Promise<{ default: ComponentType }>): LazyPage {
  let loaded: ComponentType | undefined;
  let loading: Promise<{ default: ComponentType }> | undefined;
  const once = () =>
    (loading ??= load().then((m) => {
      loaded = m.default;
      return m;
    }));
  const Lazy = lazy(once);
  const Page = () => createElement(loaded ?? Lazy);
  return Object.assign(Page, { preload: once });
}

/** A page of a capability at one address. */
export interface ModuleRoute {
  /** the address the user sees, absolute */
  path: string;
  page: LazyPage;
  /** reachable without a session, outside the app shell (the sign-in page) */
  public?: boolean;
  /** translation key of the browser tab's title; the menu entry's label at the same path when absent */
  title?: string;
  /**
   * Asks for what the page shows first, with the same query definitions the page reads, when the
   * app opens at this address: the data is on its way while the page's code still loads.
   */
  prefetch?: (queryClient: QueryClient, wsId: number, search: URLSearchParams) => void;
}

/** The submenus of the side menu (the shell gives them their icon, label and place). */
export type MenuGroup = 'matrix' | 'data' | 'settings';

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

import { useEffect, useState } from 'react';
import { Form, type FormInstance } from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { contentApi } from './api';
import { contentKeys } from './queries';
import type { ContentCheckInput, ContentChecks } from '../../api/types';
import { useSession } from '../../auth/session';
import { cleanHashtag, type ContentFormValues } from './ContentFields';

/**
 * Runs the server's content check on what is being typed, 400 ms after the last keystroke.
 * Returns null until there is something to check.
 */
export interface LiveCheck {
  checks: ContentChecks;
  /** The text that was checked (hit offsets refer to it, not to what is typed since). */
  title: string;
  body: string;
}

/** Works on any form holding the content fields (`ContentFormValues`). */
export function useLiveCheck(form: FormInstance, enabled: boolean): LiveCheck | null {
  const { wsId } = useSession();
  const title: string = Form.useWatch('title', form) ?? '';
  const body: string = Form.useWatch('body', form) ?? '';
  const accountId: number | null = Form.useWatch('account_id', form) ?? null;
  const campaignId: number | null = Form.useWatch('campaign_id', form) ?? null;
  const hashtags: ContentFormValues['hashtags'] = Form.useWatch('hashtags', form);
  const media: ContentFormValues['media'] = Form.useWatch('media', form);
  const [input, setInput] = useState<ContentCheckInput | null>(null);

  const key = JSON.stringify([title, body, accountId, campaignId, hashtags, media]);
  useEffect(() => {
    const timer = setTimeout(() => {
      setInput(
        title || body
          ? {
              title,
              body,
              account_id: accountId,
              campaign_id: campaignId,
              hashtags: (hashtags ?? []).map(cleanHashtag).filter(Boolean),
              media: media ?? [],
            }
          : null,
      );
    }, 400);
    return () => clearTimeout(timer);
    // `key` stands for all watched values.
  }, [key]);

  const check = useQuery({
    queryKey: [...contentKeys.all(wsId), 'check', input],
    queryFn: async (): Promise<LiveCheck> => ({ checks: await contentApi.check(wsId, input!), title: input!.title, body: input!.body ?? '' }),
    enabled: enabled && input !== null,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    retry: false,
  });
  return enabled && input ? (check.data ?? null) : null;
}

import { isApiError } from '../api/client';

/**
 * API error codes that have a translation, all under `errors.` in the common namespace
 * (i18n/common.ts), so every page words the same failure the same way; anything else
 * falls back to the server's human text or a generic message.
 */
export const ERROR_KEYS: Record<string, string> = {
  'auth.invalid_credentials': 'errors.invalidCredentials',
  'auth.rate_limited': 'errors.rateLimited',
  'server.busy': 'errors.serverBusy',
  'auth.wrong_password': 'errors.wrongPassword',
  'auth.required': 'errors.authRequired',
  'auth.csrf': 'errors.csrf',
  'auth.cross_origin': 'errors.csrf',
  'auth.forbidden': 'errors.forbidden',
  forbidden: 'errors.forbidden',
  not_found: 'errors.notFound',
  internal: 'errors.server',
  'conflict.stale_version': 'errors.staleVersion',
  'conflict.duplicate': 'errors.taken',
  'accounts.handle_taken': 'errors.handleTaken',
  'accounts.owner_not_member': 'errors.ownerNotMember',
  'accounts.unknown_platform': 'errors.unknownPlatform',
  'campaigns.budget_split_exceeds_total': 'errors.budgetSplitExceedsTotal',
  'campaigns.period_reversed': 'errors.periodReversed',
  'members.email_taken': 'errors.emailTaken',
  'members.already_member': 'errors.alreadyMember',
  'members.last_admin': 'errors.lastAdmin',
  'custom_fields.key_taken': 'errors.fieldKeyTaken',
  'custom_fields.duplicate_option': 'errors.duplicateOption',
  'custom_fields.option_in_use': 'errors.optionInUse',
  'custom_fields.options_not_allowed': 'errors.optionsNotAllowed',
  'custom_fields.options_required': 'errors.optionsRequired',
  'custom_fields.unknown': 'errors.unknownField',
  'custom_fields.unknown_option': 'errors.unknownOption',
  'custom_fields.wrong_type': 'errors.wrongType',
  'custom_fields.not_a_member': 'errors.notAMember',
  'imports.ambiguous_member': 'errors.importAmbiguousMember',
  'imports.busy': 'errors.importBusy',
  'imports.column_twice': 'errors.importColumnTwice',
  'imports.duplicate_row': 'errors.importDuplicateRow',
  'imports.empty_file': 'errors.importEmptyFile',
  'imports.field_required': 'errors.importFieldRequired',
  'imports.has_errors': 'errors.importHasErrors',
  'imports.not_a_count': 'errors.importNotACount',
  'imports.not_owner': 'errors.importNotOwner',
  'imports.too_many_columns': 'errors.importTooManyColumns',
  'imports.too_many_rows': 'errors.importTooManyRows',
  'imports.unknown_column': 'errors.importUnknownColumn',
  'imports.unknown_field': 'errors.importUnknownField',
  'imports.unknown_member': 'errors.importUnknownMember',
  'imports.unknown_ownership': 'errors.importUnknownOwnership',
  'imports.unknown_status': 'errors.importUnknownStatus',
  'imports.unknown_tier': 'errors.importUnknownTier',
  'imports.unreadable_file': 'errors.importUnreadableFile',
  'imports.unsupported_file': 'errors.importUnsupportedFile',
  'imports.negative': 'errors.importNegative',
  'imports.not_a_rate': 'errors.importNotARate',
  'imports.not_a_duration': 'errors.importNotADuration',
  'imports.not_a_date': 'errors.importNotADate',
  'imports.mixed_date_forms': 'errors.importMixedDateForms',
  'imports.ambiguous_post': 'errors.importAmbiguousPost',
  'imports.unknown_account': 'errors.importUnknownAccount',
  'imports.account_required': 'errors.importAccountRequired',
  'imports.undo_unsupported': 'errors.importUndoUnsupported',
  'imports.not_undoable': 'errors.importNotUndoable',
  'imports.no_file': 'errors.importNoFile',
  'imports.file_too_large': 'errors.importFileTooLarge',
  'imports.unknown_preset': 'errors.importUnknownPreset',
  'imports.mapping_name_taken': 'errors.importMappingNameTaken',
  'imports.unknown_mapping': 'errors.importUnknownMapping',
  'imports.cancelled': 'errors.importCancelled',
  'metrics.no_interactions': 'errors.metricsNoInteractions',
  'metrics.grade_order': 'errors.metricsGradeOrder',
  'metrics.too_many_rows': 'errors.metricsTooManyRows',
  'metrics.unknown_post': 'errors.metricsUnknownPost',
  'imports.not_money': 'errors.importNotMoney',
  'imports.unknown_campaign': 'errors.importUnknownCampaign',
  'platforms.code_taken': 'errors.platformCodeTaken',
  'red_lines.duplicate': 'errors.redLineDuplicate',
  'red_lines.exception_unrelated': 'errors.redLineExceptionUnrelated',
  'content.steps_required': 'errors.approvalStepsRequired',
  'content.approvers_required': 'errors.approversRequired',
  'content.invalid_transition': 'errors.contentInvalidTransition',
  'content.account_required': 'errors.contentAccountRequired',
  'content.locked': 'errors.contentLocked',
  'content.self_approval': 'errors.contentSelfApproval',
  'content.red_line_block': 'errors.contentRedLineBlock',
  'content.not_in_stage': 'errors.contentNotInStage',
  'content.post_url_platform': 'errors.contentPostUrlPlatform',
  'content.reason_required': 'errors.contentReasonRequired',
  'content.neighbour_moved': 'errors.contentNeighbourMoved',
  'content.review_not_pending': 'errors.contentReviewNotPending',
  'content.not_approver': 'errors.contentNotApprover',
  'content.not_account_owner': 'errors.contentNotAccountOwner',
  'content.hub_stages_only': 'errors.contentHubStagesOnly',
  'content.already_closed': 'errors.contentAlreadyClosed',
  'content.topic_required': 'errors.contentTopicRequired',
  'content.account_archived': 'errors.contentAccountArchived',
  'content.already_decided': 'errors.contentAlreadyDecided',
  'content.approver_cannot_review': 'errors.contentApproverCannotReview',
  'content.assignee_not_member': 'errors.contentAssigneeNotMember',
  'content.mention_not_member': 'errors.contentMentionNotMember',
  'content.published_in_future': 'errors.contentPublishedInFuture',
  'content.review_disabled': 'errors.contentReviewDisabled',
  'content.unknown_account': 'errors.contentUnknownAccount',
  'content.unknown_campaign': 'errors.contentUnknownCampaign',
  'validation.offset_needs_stage': 'errors.offsetNeedsStage',
  'validation.url_pattern': 'errors.urlPattern',
  'validation.required': 'errors.required',
  'validation.invalid': 'errors.invalid',
  'validation.too_long': 'errors.tooLong',
  'validation.too_many': 'errors.tooMany',
  'validation.range': 'errors.outOfRange',
  'validation.out_of_range': 'errors.outOfRange',
  'validation.url': 'errors.url',
  'validation.email': 'errors.email',
  'validation.hashtag': 'errors.hashtag',
  'validation.slug': 'errors.slug',
  'validation.no_spaces': 'errors.noSpaces',
  'validation.control_chars': 'errors.controlChars',
  'validation.invisible_chars': 'errors.invisibleChars',
  'validation.password_too_short': 'errors.passwordTooShort',
  'validation.time_zone': 'errors.timeZone',
  'validation.currency': 'errors.invalid',
  'validation.locale': 'errors.invalid',
  'validation.filter': 'errors.invalid',
  'validation.version': 'errors.staleVersion',
  'network.unreachable': 'errors.network',
  'invitations.not_valid': 'errors.invitationNotValid',
  'invitations.sign_in': 'errors.invitationSignIn',
  'jobs.not_retryable': 'errors.jobNotRetryable',
  'notifications.bad_key': 'errors.notificationBadKey',
  'notifications.not_yours': 'errors.notificationNotYours',
  'notifications.private_target': 'errors.notificationPrivateTarget',
  'notifications.secret_required': 'errors.notificationSecretRequired',
  'notifications.unknown_account': 'errors.contentUnknownAccount',
  'notifications.unknown_campaign': 'errors.contentUnknownCampaign',
  'notifications.unknown_channel': 'errors.notificationUnknownChannel',
  'notifications.unknown_kind': 'errors.notificationUnknownKind',
  'notifications.unknown_status': 'errors.notificationUnknownStatus',
  'validation.format': 'errors.invalid',
  'validation.phone': 'errors.phone',
  'validation.time': 'errors.time',
  'calendar.conflict': 'errors.calendarConflict',
  'calendar.invalid_rrule': 'errors.calendarInvalidRrule',
  'calendar.unknown_placeholder': 'errors.calendarUnknownPlaceholder',
  'calendar.order_cycle': 'errors.calendarOrderCycle',
  'calendar.range_too_long': 'errors.calendarRangeTooLong',
  'calendar.invalid_range': 'errors.calendarInvalidRange',
  'calendar.delay_out_of_range': 'errors.calendarDelayOutOfRange',
  'calendar.invalid_time': 'errors.calendarInvalidTime',
  'calendar.slot_target': 'errors.calendarSlotTarget',
  'calendar.feed_target': 'errors.calendarFeedTarget',
};

/** Resolves the translation key for an error code; suffix rules cover families like `*.not_found`. */
export function errorKey(code: string): string | undefined {
  if (ERROR_KEYS[code]) return ERROR_KEYS[code];
  const last = code.split('.').pop() ?? '';
  if (last === 'not_found') return ERROR_KEYS.not_found;
  if (last === 'forbidden') return ERROR_KEYS.forbidden;
  if (last === 'required') return ERROR_KEYS['validation.required'];
  if (last === 'taken' || last.endsWith('_taken')) return 'errors.taken';
  if (code.startsWith('request.')) return 'errors.badRequest';
  return undefined;
}

type Translate = (key: string, opts?: Record<string, unknown>) => string;

/** An error's params as its sentence uses them: a stage code becomes the stage's name. */
function errorParams(params: Record<string, unknown>, t: Translate): Record<string, unknown> {
  const out: Record<string, unknown> = { ...params };
  if (typeof params.stage === 'string') out.stage = t(`stages.${params.stage}`);
  return out;
}

/** Human text for any thrown value, in the current language. */
export function describeError(err: unknown, t: Translate): string {
  if (isApiError(err)) {
    // A refusal that names no account: the item is on none of the member's accounts.
    const key = err.code === 'content.not_account_owner' && !err.params.handle ? 'errors.contentNoOwnAccount' : errorKey(err.code);
    if (key) return t(key, { message: err.message, field: err.field ?? '', ...errorParams(err.params, t) });
    if (err.status === 403) return t('errors.forbidden');
    if (err.status >= 500) return t('errors.server', { message: err.message });
    return err.message || t('errors.generic');
  }
  if (err instanceof Error && err.message) return t('errors.genericWith', { message: err.message });
  return t('errors.generic');
}

//! The catalogue of error codes: every `code` the API can answer with (`{"error":{"code",
//! "message","field"}}`). The web translates each one; the OpenAPI document lists them as the
//! `ErrorCode` enum, and a web test fails when a code here has no translation. A test in the
//! server suite fails when the code uses a code that is not listed here.

/// Sorted, unique. Grouped by the capability that answers it.
pub const ERROR_CODES: &[&str] = &[
    "accounts.handle_taken",
    "accounts.owner_not_member",
    "accounts.unknown_platform",
    "auth.cross_origin",
    "auth.csrf",
    "auth.forbidden",
    "auth.invalid_credentials",
    "auth.rate_limited",
    "auth.required",
    "auth.wrong_password",
    "calendar.conflict",
    "calendar.delay_out_of_range",
    "calendar.feed_target",
    "calendar.invalid_range",
    "calendar.invalid_rrule",
    "calendar.invalid_time",
    "calendar.order_cycle",
    "calendar.range_too_long",
    "calendar.slot_target",
    "calendar.unknown_placeholder",
    "campaigns.budget_split_exceeds_total",
    "campaigns.period_reversed",
    "conflict.duplicate",
    "conflict.stale_version",
    "content.account_archived",
    "content.account_required",
    "content.already_decided",
    "content.approver_cannot_review",
    "content.approvers_required",
    "content.assignee_not_member",
    "content.hub_stages_only",
    "content.invalid_transition",
    "content.locked",
    "content.mention_not_member",
    "content.neighbour_moved",
    "content.not_account_owner",
    "content.not_approver",
    "content.not_in_stage",
    "content.post_url_platform",
    "content.published_in_future",
    "content.reason_required",
    "content.red_line_block",
    "content.review_disabled",
    "content.review_not_pending",
    "content.self_approval",
    "content.steps_required",
    "content.topic_required",
    "content.unknown_account",
    "content.unknown_campaign",
    "custom_fields.duplicate_option",
    "custom_fields.key_taken",
    "custom_fields.not_a_member",
    "custom_fields.option_in_use",
    "custom_fields.options_not_allowed",
    "custom_fields.options_required",
    "custom_fields.unknown",
    "custom_fields.unknown_option",
    "custom_fields.wrong_type",
    "imports.account_required",
    "imports.ambiguous_member",
    "imports.ambiguous_post",
    "imports.busy",
    "imports.column_twice",
    "imports.duplicate_row",
    "imports.empty_file",
    "imports.field_required",
    "imports.has_errors",
    "imports.mapping_name_taken",
    "imports.mixed_date_forms",
    "imports.negative",
    "imports.no_file",
    "imports.not_a_count",
    "imports.not_a_date",
    "imports.not_a_duration",
    "imports.not_a_rate",
    "imports.not_money",
    "imports.not_owner",
    "imports.not_undoable",
    "imports.too_many_columns",
    "imports.too_many_rows",
    "imports.undo_unsupported",
    "imports.unknown_account",
    "imports.unknown_campaign",
    "imports.unknown_column",
    "imports.unknown_field",
    "imports.unknown_mapping",
    "imports.unknown_member",
    "imports.unknown_ownership",
    "imports.unknown_preset",
    "imports.unknown_status",
    "imports.unknown_tier",
    "imports.unreadable_file",
    "imports.unsupported_file",
    "internal",
    "invitations.not_valid",
    "invitations.sign_in",
    "jobs.not_retryable",
    "members.already_member",
    "members.last_admin",
    "metrics.grade_order",
    "metrics.no_interactions",
    "metrics.too_many_rows",
    "metrics.unknown_post",
    "not_found",
    "notifications.bad_key",
    "notifications.not_yours",
    "notifications.private_target",
    "notifications.secret_required",
    "notifications.unknown_account",
    "notifications.unknown_campaign",
    "notifications.unknown_channel",
    "notifications.unknown_kind",
    "notifications.unknown_status",
    "platforms.code_taken",
    "red_lines.duplicate",
    "red_lines.exception_unrelated",
    "request.headers_too_large",
    "request.malformed_json",
    "request.method_not_allowed",
    "request.too_large",
    "request.unknown_field",
    "request.unknown_parameter",
    "request.unknown_value",
    "request.unreadable",
    "request.unsupported_media_type",
    "request.uri_too_long",
    "request.wrong_type",
    "server.busy",
    "validation.control_chars",
    "validation.currency",
    "validation.email",
    "validation.filter",
    "validation.format",
    "validation.hashtag",
    "validation.invisible_chars",
    "validation.locale",
    "validation.no_spaces",
    "validation.offset_needs_stage",
    "validation.password_too_short",
    "validation.phone",
    "validation.range",
    "validation.required",
    "validation.slug",
    "validation.time",
    "validation.time_zone",
    "validation.too_long",
    "validation.too_many",
    "validation.url",
    "validation.url_pattern",
    "validation.version",
];

/// Codes that refuse a request because of the current state of what it acts on, not because
/// the request is malformed: the same request could succeed at another moment (before the item
/// left its stage, before the round was decided, while another admin exists). The API answers
/// them 409 (conflict with the current state), every other rule 400. Sorted, each in the
/// catalogue.
pub const STATE_CONFLICTS: &[&str] = &[
    "content.already_decided",
    "content.locked",
    "content.not_in_stage",
    "content.review_not_pending",
    "jobs.not_retryable",
    "members.last_admin",
];

/// Whether `code` refuses because of the current state (answered 409): see [`STATE_CONFLICTS`].
pub fn is_state_conflict(code: &str) -> bool {
    STATE_CONFLICTS.binary_search(&code).is_ok()
}

/// Whether `code` is in the catalogue.
pub fn is_known(code: &str) -> bool {
    ERROR_CODES.binary_search(&code).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_is_sorted_and_unique_so_lookups_and_reviews_stay_simple() {
        assert!(ERROR_CODES.windows(2).all(|w| w[0] < w[1]));
        assert!(is_known("content.locked"));
        assert!(!is_known("content.created"));
    }

    #[test]
    fn state_conflicts_are_sorted_catalogue_codes() {
        assert!(STATE_CONFLICTS.windows(2).all(|w| w[0] < w[1]));
        assert!(STATE_CONFLICTS.iter().all(|c| is_known(c)));
        assert!(is_state_conflict("members.last_admin"));
        assert!(!is_state_conflict("validation.required"));
    }
}

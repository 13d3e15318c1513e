//! One error shape for the whole API: `{"error":{"code","message","field"}}`.
//!
//! `code` is stable and machine-readable (the UI translates it), `message` is for a human
//! reading raw output, `field` names the offending input. 500s are logged with their cause
//! and never show internals.

use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use kox_domain::FieldError;
use kox_store::StoreError;
use serde::Serialize;
use serde::de::DeserializeOwned;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable machine code, e.g. `accounts.handle_taken`; one of the catalogue
    /// (`kox_domain::errors::ERROR_CODES`).
    #[schema(value_type = ErrorCode)]
    pub code: String,
    pub message: String,
    /// The offending input field (dotted path), if one is to blame.
    pub field: Option<String>,
    /// What the message names, for the UI's own sentence (a refusal's account `handle`, a
    /// `stage`); absent when there is nothing to name.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub params: Option<serde_json::Map<String, serde_json::Value>>,
}

/// The error-code catalogue as an OpenAPI string enum, so the web client's types (and its
/// translation test) know every code the API can answer with.
pub struct ErrorCode;

impl utoipa::PartialSchema for ErrorCode {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .enum_values(Some(kox_domain::errors::ERROR_CODES.iter().copied()))
            .into()
    }
}

impl ToSchema for ErrorCode {}

#[derive(Debug)]
pub enum ApiError {
    /// 400: the input is malformed or breaks a rule; names the field.
    Invalid {
        code: String,
        message: String,
        field: Option<String>,
    },
    /// 401: no valid session or token.
    Unauthenticated,
    /// 401: wrong e-mail or password (one message for both, so accounts cannot be probed).
    BadCredentials,
    /// 403: signed in, but the capability table refuses this action.
    Forbidden,
    /// 403: refused for a reason in terms of the work (not an owner of the item's account),
    /// naming what the message is about in `params`.
    Refused {
        code: String,
        message: String,
        field: Option<String>,
        params: serde_json::Map<String, serde_json::Value>,
    },
    /// 404: no such thing here — also what another workspace's ids look like.
    NotFound,
    /// 409: a uniqueness rule, a concurrent edit, or a refusal by the record's current state
    /// (an item no longer in its stage, the last admin, a slot the schedule rules refuse);
    /// names the field(s), and in `params` what is in the way where there is something to name.
    Conflict {
        code: String,
        message: String,
        field: Option<String>,
        params: serde_json::Map<String, serde_json::Value>,
    },
    /// 413: the body is larger than the API accepts.
    TooLarge,
    /// 429: too many failed logins; `retry_after` in seconds.
    RateLimited { retry_after: u64 },
    /// 405: the path exists, the method does not.
    MethodNotAllowed,
    /// 415: a body that is not declared as JSON.
    UnsupportedMediaType,
    /// 503: the server is at its bound for this kind of work (password hashing); retry after
    /// `retry_after` seconds.
    Busy { retry_after: u64 },
    /// 500: logged with its cause, shown as a generic message.
    Internal(String),
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn invalid(field: &str, code: &str, message: impl Into<String>) -> Self {
        ApiError::Invalid {
            code: code.into(),
            message: message.into(),
            field: Some(field.into()),
        }
    }

    fn parts(&self) -> (StatusCode, &str, String, Option<String>) {
        match self {
            ApiError::Invalid {
                code,
                message,
                field,
            } => (
                StatusCode::BAD_REQUEST,
                code,
                message.clone(),
                field.clone(),
            ),
            ApiError::Unauthenticated => (
                StatusCode::UNAUTHORIZED,
                "auth.required",
                "sign in first".into(),
                None,
            ),
            ApiError::BadCredentials => (
                StatusCode::UNAUTHORIZED,
                "auth.invalid_credentials",
                "wrong e-mail or password".into(),
                None,
            ),
            ApiError::Forbidden => (
                StatusCode::FORBIDDEN,
                "auth.forbidden",
                "your role does not allow this".into(),
                None,
            ),
            ApiError::Refused {
                code,
                message,
                field,
                ..
            } => (StatusCode::FORBIDDEN, code, message.clone(), field.clone()),
            ApiError::NotFound => (StatusCode::NOT_FOUND, "not_found", "not found".into(), None),
            ApiError::Conflict {
                code,
                message,
                field,
                ..
            } => (StatusCode::CONFLICT, code, message.clone(), field.clone()),
            ApiError::TooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "request.too_large",
                "the request body is too large".into(),
                None,
            ),
            ApiError::RateLimited { .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                "auth.rate_limited",
                "too many failed sign-in attempts; try again later".into(),
                None,
            ),
            ApiError::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "request.unsupported_media_type",
                "send the body as JSON with Content-Type: application/json".into(),
                None,
            ),
            ApiError::MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                "request.method_not_allowed",
                "this method is not allowed here".into(),
                None,
            ),
            ApiError::Busy { .. } => (
                StatusCode::SERVICE_UNAVAILABLE,
                "server.busy",
                "the server is busy; try again in a moment".into(),
                None,
            ),
            ApiError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "something went wrong on the server".into(),
                None,
            ),
        }
    }
}

impl ApiError {
    fn params(&self) -> Option<serde_json::Map<String, serde_json::Value>> {
        match self {
            ApiError::Refused { params, .. } | ApiError::Conflict { params, .. }
                if !params.is_empty() =>
            {
                Some(params.clone())
            }
            _ => None,
        }
    }

    /// The error body as JSON bytes (for answers written below axum, see `wire`).
    pub(crate) fn body_json(&self) -> Vec<u8> {
        let (_, code, message, field) = self.parts();
        serde_json::to_vec(&ErrorBody {
            error: ErrorDetail {
                code: code.to_owned(),
                message,
                field,
                params: self.params(),
            },
        })
        .unwrap_or_default()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(cause) = &self {
            tracing::error!(%cause, "internal error");
        }
        let (status, code, message, field) = self.parts();
        // A code outside the catalogue would reach the user untranslated: tests fail on it.
        debug_assert!(
            kox_domain::errors::is_known(code),
            "error code {code:?} is not in kox_domain::errors::ERROR_CODES"
        );
        if !kox_domain::errors::is_known(code) {
            tracing::warn!(code, "error code missing from the catalogue");
        }
        let body = ErrorBody {
            error: ErrorDetail {
                code: code.to_owned(),
                message,
                field,
                params: self.params(),
            },
        };
        let mut res = (status, axum::Json(body)).into_response();
        if let ApiError::RateLimited { retry_after } | ApiError::Busy { retry_after } = self
            && let Ok(v) = HeaderValue::from_str(&retry_after.to_string())
        {
            res.headers_mut().insert("retry-after", v);
        }
        res
    }
}

impl From<FieldError> for ApiError {
    /// 400, or 409 for a refusal by the current state (`kox_domain::errors::STATE_CONFLICTS`).
    fn from(e: FieldError) -> Self {
        let (code, message, field) = (e.code.into(), e.message, Some(e.field));
        if kox_domain::errors::is_state_conflict(e.code) {
            ApiError::Conflict {
                code,
                message,
                field,
                params: serde_json::Map::new(),
            }
        } else {
            ApiError::Invalid {
                code,
                message,
                field,
            }
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::NotFound,
            StoreError::Forbidden => ApiError::Forbidden,
            StoreError::Refused {
                code,
                message,
                field,
                params,
            } => ApiError::Refused {
                code: code.into(),
                message,
                field: field.map(Into::into),
                params,
            },
            StoreError::Invalid(f) => f.into(),
            StoreError::Conflict {
                code,
                field,
                message,
                params,
            } => ApiError::Conflict {
                code: code.into(),
                message,
                field: Some(field).filter(|f| !f.is_empty()),
                params,
            },
            StoreError::Stale(fields) => ApiError::Conflict {
                code: "conflict.stale_version".into(),
                message: format!(
                    "someone else changed {} since you loaded this record; reload and try again",
                    fields.join(", ")
                ),
                field: Some(fields.join(",")),
                params: serde_json::Map::new(),
            },
            StoreError::Other(e) => ApiError::Internal(e.to_string()),
        }
    }
}

/// `Json` whose rejections use the API's error shape and name the offending field.
#[derive(Debug, Clone, Copy, Default)]
pub struct AppJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for AppJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        // A JSON body says so: a form post from another site (text/plain, no preflight) is
        // not a request of ours.
        let json = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|m| {
                let m = m.trim();
                m.eq_ignore_ascii_case("application/json")
                    || (m.len() > 5 && m[m.len() - 5..].eq_ignore_ascii_case("+json"))
            });
        if !json {
            return Err(ApiError::UnsupportedMediaType);
        }
        let bytes = match axum::body::Bytes::from_request(req, state).await {
            Ok(b) => b,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(ApiError::TooLarge);
            }
            Err(e) => {
                return Err(ApiError::Invalid {
                    code: "request.unreadable".into(),
                    message: e.body_text(),
                    field: None,
                });
            }
        };
        // Every request body is a JSON object (serde would also read a struct from an array,
        // so `[null,null]` passed as an empty patch).
        if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
            return Err(ApiError::Invalid {
                code: "request.wrong_type".into(),
                message: "the request body must be a JSON object".into(),
                field: None,
            });
        }
        let de = &mut serde_json::Deserializer::from_slice(&bytes);
        match serde_path_to_error::deserialize::<_, T>(de) {
            Ok(v) => Ok(AppJson(v)),
            Err(e) => Err(json_error(&e)),
        }
    }
}

/// Turns a serde error into a field error: unknown fields, wrong types, bad enum values.
fn json_error(e: &serde_path_to_error::Error<serde_json::Error>) -> ApiError {
    let inner = e.inner();
    let msg = inner.to_string();
    let path = e.path().to_string();
    let mut field = (path != ".").then(|| path.clone());
    let code = if inner.is_syntax() || inner.is_eof() {
        field = None;
        "request.malformed_json"
    } else if let Some(rest) = msg.strip_prefix("unknown field `") {
        let name = rest.split('`').next().unwrap_or_default();
        // serde_path_to_error already ends the path with the unknown key.
        field = Some(if path == "." {
            name.to_owned()
        } else {
            path.clone()
        });
        "request.unknown_field"
    } else if let Some(rest) = msg.strip_prefix("missing field `") {
        let name = rest.split('`').next().unwrap_or_default();
        field = Some(if path == "." {
            name.to_owned()
        } else {
            format!("{path}.{name}")
        });
        "validation.required"
    } else if msg.starts_with("unknown variant") {
        "request.unknown_value"
    } else {
        "request.wrong_type"
    };
    // serde's line/column suffix says nothing useful to an API client.
    let message = msg.split(" at line ").next().unwrap_or(&msg).to_owned();
    ApiError::Invalid {
        code: code.into(),
        message,
        field,
    }
}

impl From<JsonRejection> for ApiError {
    fn from(e: JsonRejection) -> Self {
        ApiError::Invalid {
            code: "request.malformed_json".into(),
            message: e.body_text(),
            field: None,
        }
    }
}

/// `Path` whose rejection is a 404 (a malformed id names nothing that exists).
pub struct AppPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for AppPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(AppPath(v)),
            Err(PathRejection::FailedToDeserializePathParams(_)) => Err(ApiError::NotFound),
            Err(e) => Err(ApiError::Internal(e.body_text())),
        }
    }
}

/// `Query` with the API's error shape, like a JSON body: a parameter the endpoint does not
/// declare is refused (`request.unknown_parameter`, its name as the field; query structs are
/// `deny_unknown_fields`), a value of the wrong type or outside an enum names its parameter
/// (`request.wrong_type`, `request.unknown_value`).
pub struct AppQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for AppQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parse_query(parts.uri.query().unwrap_or("")).map(AppQuery)
    }
}

/// A list's query with custom-field filters: `cf.<key>=<value>` pairs come apart (in the order
/// given), everything else is `T` as with `AppQuery`.
pub struct AppFilterQuery<T>(pub T, pub Vec<(String, String)>);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for AppFilterQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let raw = parts.uri.query().unwrap_or("");
        if !raw.contains("cf.") {
            return Ok(AppFilterQuery(parse_query(raw)?, Vec::new()));
        }
        let (custom, rest): (Vec<_>, Vec<_>) = form_urlencoded::parse(raw.as_bytes())
            .partition(|(k, _)| k.strip_prefix("cf.").is_some_and(|key| !key.is_empty()));
        let custom = custom
            .into_iter()
            .map(|(k, v)| (k["cf.".len()..].to_owned(), v.into_owned()))
            .collect();
        let rest = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(rest)
            .finish();
        Ok(AppFilterQuery(parse_query(&rest)?, custom))
    }
}

fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|e| {
        let msg = e.inner().to_string();
        let path = e.path().to_string();
        let mut field = (path != ".").then(|| path.clone());
        let code = if let Some(rest) = msg.strip_prefix("unknown field `") {
            field = Some(rest.split('`').next().unwrap_or_default().to_owned());
            "request.unknown_parameter"
        } else if msg.starts_with("unknown variant") {
            "request.unknown_value"
        } else {
            "request.wrong_type"
        };
        let message = match code {
            "request.unknown_parameter" => format!(
                "unknown query parameter \"{}\"",
                field.as_deref().unwrap_or_default()
            ),
            _ => msg,
        };
        ApiError::Invalid {
            code: code.into(),
            message,
            field,
        }
    })
}

//! Records edited by PATCH with field-level optimistic concurrency (accounts, campaigns, content
//! items, and every capability after them). An entity declares its editable fields once, with
//! `versioned!`; that declaration is what "which fields does this patch name", "apply it" and
//! "which fields changed" are computed from, and the store's one update path does the rest.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::Fields;

/// A partial edit: `Some` for each field it sets, and the version it was based on.
pub trait Patch {
    /// The version of the record the client last saw.
    fn base_version(&self) -> i64;
    /// The fields this patch names, changed or not: what a stale write may conflict on.
    fn touched(&self) -> Vec<&'static str>;
    /// Takes the custom-field values out: they merge with the stored ones (see
    /// `custom_fields`), so they are not applied like the other fields.
    fn take_custom(&mut self) -> Option<Map<String, Value>>;
}

/// The writable fields of a record, as created and as edited.
pub trait Versioned: Clone + Serialize + Sized {
    type Patch: Patch;
    /// Copies each field the patch sets; validate the result before storing it.
    fn apply(&mut self, patch: Self::Patch);
    /// The names of the fields whose value differs between two drafts.
    fn diff(&self, other: &Self) -> Vec<&'static str>;
    /// The entity's own validation (trimming, bounds, normalisation).
    fn validated(self) -> Fields<Self>;
    fn custom(&self) -> &Map<String, Value>;
    fn set_custom(&mut self, values: Map<String, Value>);
}

/// One declaration per entity: `versioned!(Record => Draft, Patch { editable fields } + { fields
/// set only on create })`. Every editable field is an `Option` in the patch; `custom` is always
/// there and is handled by the update path. It also gives the record its `draft()`.
macro_rules! versioned {
    ($record:ty => $draft:ident, $patch:ident { $($f:ident),* $(,)? } $(+ { $($c:ident),* $(,)? })?) => {
        impl $crate::versioned::Patch for $patch {
            fn base_version(&self) -> i64 {
                self.version
            }
            fn touched(&self) -> Vec<&'static str> {
                let mut out: Vec<&'static str> = Vec::new();
                $( if self.$f.is_some() { out.push(stringify!($f)); } )*
                if self.custom.is_some() {
                    out.push("custom");
                }
                out
            }
            fn take_custom(&mut self) -> Option<serde_json::Map<String, serde_json::Value>> {
                self.custom.take()
            }
        }

        impl $crate::versioned::Versioned for $draft {
            type Patch = $patch;
            fn apply(&mut self, patch: $patch) {
                $( if let Some(v) = patch.$f { self.$f = v; } )*
                if let Some(v) = patch.custom {
                    self.custom = v;
                }
            }
            fn diff(&self, other: &Self) -> Vec<&'static str> {
                let mut out: Vec<&'static str> = Vec::new();
                $( if self.$f != other.$f { out.push(stringify!($f)); } )*
                if self.custom != other.custom {
                    out.push("custom");
                }
                out
            }
            fn validated(self) -> $crate::Fields<Self> {
                $draft::validate(self)
            }
            fn custom(&self) -> &serde_json::Map<String, serde_json::Value> {
                &self.custom
            }
            fn set_custom(&mut self, values: serde_json::Map<String, serde_json::Value>) {
                self.custom = values;
            }
        }

        impl $record {
            /// The record's writable fields.
            pub fn draft(&self) -> $draft {
                $draft {
                    $( $f: self.$f.clone(), )*
                    $($( $c: self.$c.clone(), )*)?
                    custom: self.custom.clone(),
                }
            }
        }
    };
}

pub(crate) use versioned;

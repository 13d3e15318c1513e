//! Partial edits: one macro set shared by every entity with PATCH semantics, so that
//! "which fields does this patch name" and "which fields changed" are written once.

/// Copies each `Some` field of a patch onto the target.
macro_rules! apply {
    ($target:expr, $patch:expr; $($f:ident),*) => {{
        let patch = $patch;
        $( if let Some(v) = patch.$f { $target.$f = v; } )*
    }};
}

/// The names of the fields that differ between two values of one type.
macro_rules! diff {
    ($a:expr, $b:expr; $($f:ident),*) => {{
        let mut out: Vec<&'static str> = Vec::new();
        $( if $a.$f != $b.$f { out.push(stringify!($f)); } )*
        out
    }};
}

/// The names of the fields a patch sets.
macro_rules! touched {
    ($patch:expr; $($f:ident),*) => {{
        let mut out: Vec<&'static str> = Vec::new();
        $( if $patch.$f.is_some() { out.push(stringify!($f)); } )*
        out
    }};
}

pub(crate) use {apply, diff, touched};

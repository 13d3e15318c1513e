//! Points the embedded UI at `web/dist` when it has been built, or at a placeholder page that
//! says how to build it — so `cargo build` works without Node.

use std::path::PathBuf;

fn main() {
    let manifest =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let dist = manifest.join("../../web/dist");
    println!("cargo:rerun-if-changed={}", dist.display());
    let dir = if dist.join("index.html").exists() {
        dist.canonicalize().expect("web/dist is readable")
    } else {
        let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
            .join("ui-placeholder");
        std::fs::create_dir_all(&out).expect("OUT_DIR is writable");
        std::fs::write(
            out.join("index.html"),
            "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>KOX</title>\
             <body style=\"font-family:sans-serif;max-width:40em;margin:4em auto\">\
             <h1>KOX</h1><p>界面尚未构建。请运行 <code>make run</code>（或 <code>cd web &amp;&amp; npm ci &amp;&amp; npm run build</code>，再重新编译）。</p>\
             <p>The web UI has not been built. Run <code>make run</code> (or build <code>web/</code> with npm and rebuild).</p>\
             <p>API: <a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a></p></body></html>",
        )
        .expect("OUT_DIR is writable");
        out
    };
    println!("cargo:rustc-env=KOX_UI_DIR={}", dir.display());
}

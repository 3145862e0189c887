//! The browser code under `/web/` (the built `web/dist`): how long a browser may keep each file,
//! and the build's manifest of MediaPipe's content-hashed file names, which the camera page needs.
//!
//! MediaPipe's runtime is about 15 MB (wasm, models, packed data). `web/build.mjs` writes each
//! of those files under a name that carries a hash of its content, so a name always means the
//! same bytes: those files are cached for a year and never revalidated (`immutable`). Every
//! other file keeps its plain name and is revalidated on each use (`no-cache` with
//! `Last-Modified`), so a new build is picked up at once.

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
};

use axum::{
    Router,
    extract::Request,
    http::{HeaderValue, StatusCode, header},
    middleware::{self, Next},
    response::Response,
};

/// Where the build writes the manifest, relative to the web folder.
pub(crate) const MEDIAPIPE_MANIFEST: &str = "mediapipe/manifest.json";
/// The URL prefix of MediaPipe's files.
pub(crate) const MEDIAPIPE_URL: &str = "/web/mediapipe/";

/// For files whose name carries their content's hash: a year, shared caches too, and no
/// revalidation while fresh (the bytes behind a name never change).
pub(crate) const CACHE_IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// For everything else under `/web/`: keep a copy, but ask the server (a cheap 304) each time.
pub(crate) const CACHE_REVALIDATE: &str = "no-cache";

/// `/web/…`: the files of `web_dir`, with the cache policy above.
pub(crate) fn router<S: Clone + Send + Sync + 'static>(web_dir: &Path) -> Router<S> {
    Router::new()
        .fallback_service(tower_http::services::ServeDir::new(web_dir))
        .layer(middleware::from_fn(cache_policy))
}

/// Sets `Cache-Control` on the files served (errors keep the site-wide `no-store`).
async fn cache_policy(req: Request, next: Next) -> Response {
    // Inside the nested router the path no longer has its `/web` prefix.
    let hashed = is_content_hashed(req.uri().path());
    let mut res = next.run(req).await;
    let status = res.status();
    if status.is_success() || status == StatusCode::NOT_MODIFIED {
        let value = if hashed { CACHE_IMMUTABLE } else { CACHE_REVALIDATE };
        res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    res
}

/// Whether the last segment of `path` is named `<stem>.<8 hex digits>.<extension>`, the form
/// `web/build.mjs` gives content-hashed files (and no other file of the build has).
pub(crate) fn is_content_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let mut parts = name.rsplit('.');
    let (Some(ext), Some(hash), Some(stem)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    !ext.is_empty()
        && !stem.is_empty()
        && hash.len() == 8
        && hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Why the manifest could not be used: the web folder was not built (or not by this build).
#[derive(Debug, thiserror::Error)]
pub(crate) enum ManifestError {
    #[error("reading {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path} is not a JSON object of file names: {source}")]
    Parse { path: PathBuf, source: serde_json::Error },
    #[error("{path} does not name {file}")]
    Missing { path: PathBuf, file: &'static str },
    #[error("{path} maps {original} to {hashed}, which is not a plain hashed file name")]
    BadName { path: PathBuf, original: String, hashed: String },
}

/// MediaPipe's file names as the build wrote them: original name → content-hashed name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MediapipeManifest {
    files: BTreeMap<String, String>,
}

impl MediapipeManifest {
    /// Reads `web_dir/mediapipe/manifest.json`. Read on each camera page (it is under 1 KB), so
    /// that a rebuild while the server runs is used at once, like the rest of `web/dist`.
    pub(crate) async fn read(web_dir: &Path) -> Result<Self, ManifestError> {
        let path = web_dir.join(MEDIAPIPE_MANIFEST);
        let text = tokio::fs::read(&path)
            .await
            .map_err(|source| ManifestError::Read { path: path.clone(), source })?;
        Self::parse(&text, &path)
    }

    fn parse(text: &[u8], path: &Path) -> Result<Self, ManifestError> {
        let files: BTreeMap<String, String> = serde_json::from_slice(text)
            .map_err(|source| ManifestError::Parse { path: path.to_owned(), source })?;
        for (original, hashed) in &files {
            // The names end up in a URL and a script's `src`: plain file names only.
            let plain = !hashed.is_empty()
                && hashed.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
            if !plain || !is_content_hashed(hashed) {
                return Err(ManifestError::BadName {
                    path: path.to_owned(),
                    original: original.clone(),
                    hashed: hashed.clone(),
                });
            }
        }
        if !files.contains_key("pose.js") {
            return Err(ManifestError::Missing { path: path.to_owned(), file: "pose.js" });
        }
        Ok(Self { files })
    }

    /// The URL of pose.js, the script that defines `window.Pose`.
    pub(crate) fn pose_js_url(&self) -> String {
        let name = self.files.get("pose.js").map_or("pose.js", String::as_str);
        format!("{MEDIAPIPE_URL}{name}")
    }

    /// The mapping as JSON, for the page's `data-mediapipe-files` (its `locateFile` reads it).
    pub(crate) fn to_json(&self) -> String {
        serde_json::to_string(&self.files).unwrap_or_else(|_| "{}".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_are_recognised_and_plain_names_are_not() {
        assert!(is_content_hashed("/mediapipe/pose_solution_simd_wasm_bin.195a9294.wasm"));
        assert!(is_content_hashed("/mediapipe/pose.fcb703af.js"));
        assert!(is_content_hashed("pose_web.dc8efd1c.binarypb"));
        assert!(!is_content_hashed("/live.js"));
        assert!(!is_content_hashed("/live.js.map"));
        assert!(!is_content_hashed("/mediapipe/manifest.json"));
        assert!(!is_content_hashed("/mediapipe/pose.FCB703AF.js"), "the build writes lower case");
        assert!(!is_content_hashed("/mediapipe/pose.fcb703a.js"), "seven digits");
        assert!(!is_content_hashed("/mediapipe/.fcb703af.js"), "no stem");
        assert!(!is_content_hashed("/mediapipe/x.fcb703af."), "no extension");
    }

    #[test]
    fn the_manifest_gives_the_hashed_pose_js_and_refuses_names_that_are_not_plain() {
        let path = Path::new("dist/mediapipe/manifest.json");
        let m = MediapipeManifest::parse(
            br#"{"pose.js":"pose.fcb703af.js","pose_web.binarypb":"pose_web.dc8efd1c.binarypb"}"#,
            path,
        )
        .expect("a manifest of the build");
        assert_eq!(m.pose_js_url(), "/web/mediapipe/pose.fcb703af.js");
        assert_eq!(
            m.to_json(),
            r#"{"pose.js":"pose.fcb703af.js","pose_web.binarypb":"pose_web.dc8efd1c.binarypb"}"#
        );

        let bad = MediapipeManifest::parse(br#"{"pose.js":"../x.fcb703af.js"}"#, path);
        assert!(matches!(bad, Err(ManifestError::BadName { .. })), "{bad:?}");
        let unhashed = MediapipeManifest::parse(br#"{"pose.js":"pose.js"}"#, path);
        assert!(matches!(unhashed, Err(ManifestError::BadName { .. })), "{unhashed:?}");
        let no_pose = MediapipeManifest::parse(br#"{}"#, path);
        assert!(matches!(no_pose, Err(ManifestError::Missing { .. })), "{no_pose:?}");
        let not_json = MediapipeManifest::parse(b"[1]", path);
        assert!(matches!(not_json, Err(ManifestError::Parse { .. })), "{not_json:?}");
    }
}

//! Shared settings in a link: the configuration JSON (SPEC §8, never the
//! data) travels in the URL fragment, which browsers never send to a
//! server:
//!
//! `https://host/path/#/segments?settings=<base64url of the compact JSON>`
//!
//! base64url (RFC 4648 §5) without padding, so the text needs no escaping
//! in a URL. Opening such a link applies the settings (checked by core like
//! a settings file) and then drops them from the address, so a reload does
//! not apply them again over later changes.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

/// The query key that carries the settings.
pub const SETTINGS_KEY: &str = "settings";

/// The page a settings link opens.
pub const LINK_PAGE: &str = "#/segments";

/// A link that opens segscope at `base` (the address without its
/// fragment) with the configuration `json`, made compact first.
pub fn settings_link(base: &str, json: &str) -> String {
    let compact = serde_json::from_str::<serde_json::Value>(json)
        .map(|v| v.to_string())
        .unwrap_or_else(|_| json.to_owned());
    format!("{base}{LINK_PAGE}?{SETTINGS_KEY}={}", URL_SAFE_NO_PAD.encode(compact))
}

/// The settings a fragment carries: `None` when it carries none, the JSON
/// text when it does, or what is wrong with it (the JSON itself is checked
/// by core on the worker).
pub fn settings_in_fragment(fragment: &str) -> Option<Result<String, String>> {
    let (_, query) = fragment.split_once('?')?;
    let value =
        query.split('&').find_map(|pair| pair.strip_prefix(SETTINGS_KEY)?.strip_prefix('='))?;
    let decoded = URL_SAFE_NO_PAD
        .decode(value.trim_end_matches('='))
        .map_err(|e| {
            format!("the settings in the link are damaged ({e}); copy the whole link again")
        })
        .and_then(|bytes| {
            String::from_utf8(bytes).map_err(|_| {
                "the settings in the link are not text; copy the whole link again".into()
            })
        });
    Some(decoded)
}

/// The fragment without its query (`#/segments?settings=…` → `#/segments`).
pub fn without_query(fragment: &str) -> &str {
    fragment.split_once('?').map_or(fragment, |(page, _)| page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_carries_the_settings_there_and_back() {
        let json = "{\n  \"abc\": { \"a_cut\": 0.7 },\n  \"note\": \"Größe ü\"\n}";
        let link = settings_link("http://127.0.0.1:8080/", json);
        assert!(link.starts_with("http://127.0.0.1:8080/#/segments?settings="), "{link}");
        let fragment = &link[link.find('#').unwrap()..];
        let encoded = &fragment["#/segments?settings=".len()..];
        assert!(!encoded.contains(['+', '/', '=']), "{encoded}");
        let back = settings_in_fragment(fragment).unwrap().unwrap();
        assert_eq!(back, r#"{"abc":{"a_cut":0.7},"note":"Größe ü"}"#);
        assert_eq!(without_query(fragment), "#/segments");
    }

    #[test]
    fn fragments_without_settings_carry_none() {
        for f in ["", "#/segments", "#/segments?", "#/export?other=1"] {
            assert_eq!(settings_in_fragment(f), None, "{f}");
        }
        assert_eq!(without_query("#/data"), "#/data");
    }

    #[test]
    fn a_damaged_link_says_so() {
        let err = settings_in_fragment("#/segments?settings=%%%").unwrap().unwrap_err();
        assert!(err.contains("damaged"), "{err}");
        // Valid base64url of bytes that are not UTF-8.
        let not_text = URL_SAFE_NO_PAD.encode([0xFF, 0xFE, 0x00]);
        let err = settings_in_fragment(&format!("#/x?settings={not_text}")).unwrap().unwrap_err();
        assert!(err.contains("not text"), "{err}");
    }
}

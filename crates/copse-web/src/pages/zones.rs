//! The time-zone picker: the IANA zones grouped by region as `<option>`s, the current choice
//! selected. A list instead of free text, so that "Europe/Berln" cannot happen and a person
//! finds their city under their region.

use std::sync::LazyLock;

/// The regions of the tz database, in the order the picker shows them.
const REGIONS: [&str; 9] = [
    "Africa",
    "America",
    "Antarctica",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
];

/// (region, its zones sorted by name).
static GROUPS: LazyLock<Vec<(&'static str, Vec<&'static str>)>> = LazyLock::new(|| {
    REGIONS
        .iter()
        .map(|region| {
            let mut zones: Vec<&'static str> = chrono_tz::TZ_VARIANTS
                .iter()
                .map(|tz| tz.name())
                .filter(|name| name.split('/').next() == Some(region) && name.contains('/'))
                .collect();
            zones.sort_unstable();
            (*region, zones)
        })
        .collect()
});

/// The zone a viewer's forms start from: their profile's, or UTC.
pub fn of_viewer(viewer: &crate::auth::Viewer) -> String {
    viewer
        .account
        .as_ref()
        .and_then(|a| a.profile.time_zone.clone())
        .filter(|z| !z.is_empty())
        .unwrap_or_else(|| "UTC".into())
}

/// The `<option>`s (with `<optgroup>`s) of a picker whose value is `selected`. A value the
/// list does not hold (an old alias such as `US/Eastern`) comes first, selected, so that
/// saving the form keeps it.
pub fn options(selected: &str) -> String {
    let known = selected == "UTC" || GROUPS.iter().any(|(_, zones)| zones.contains(&selected));
    let mut html = String::with_capacity(24 * 1024);
    if !known && !selected.is_empty() {
        push_option(&mut html, selected, selected, true);
    }
    push_option(&mut html, "UTC", "UTC", selected == "UTC");
    for (region, zones) in GROUPS.iter() {
        html.push_str(&format!("<optgroup label=\"{region}\">"));
        for zone in zones {
            let city = zone[region.len() + 1..].replace('_', " ");
            push_option(&mut html, zone, &city, *zone == selected);
        }
        html.push_str("</optgroup>");
    }
    html
}

fn push_option(html: &mut String, value: &str, label: &str, selected: bool) {
    let value = escape(value);
    let label = escape(label);
    let mark = if selected { " selected" } else { "" };
    html.push_str(&format!("<option value=\"{value}\"{mark}>{label}</option>"));
}

/// Zone names are ASCII letters, digits, `/`, `_`, `-` and `+`; anything else a stored value
/// might hold is escaped all the same.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The template filter: `{{ f.time_zone|zone_options|safe }}` inside a `<select>`. A page
/// module brings it in with `use super::zones::filters;`.
pub mod filters {
    #[askama::filter_fn]
    pub fn zone_options(
        selected: impl std::fmt::Display,
        _: &dyn askama::Values,
    ) -> askama::Result<String> {
        Ok(crate::pages::zones::options(&selected.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::options;

    #[test]
    fn the_picker_groups_zones_and_keeps_an_unknown_value() {
        let html = options("Europe/Berlin");
        assert!(html.contains("<optgroup label=\"Europe\">"));
        assert!(html.contains("<option value=\"Europe/Berlin\" selected>Berlin</option>"));
        assert!(html.contains("<option value=\"America/New_York\">New York</option>"));
        assert_eq!(html.matches(" selected").count(), 1);
        let old = options("US/Eastern");
        assert!(old.starts_with("<option value=\"US/Eastern\" selected>US/Eastern</option>"));
        assert!(options("\"><script>").contains("&quot;&gt;&lt;script&gt;"));
    }
}

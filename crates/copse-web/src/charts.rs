//! Charts drawn on the server as SVG: readable without JavaScript, each with a title and a text
//! alternative (and the numbers in a table next to it on the page). Labels are escaped.

/// Escapes text for SVG.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A vertical bar chart of `(label, value)`; every `label_every`-th label is printed.
pub fn bars(title: &str, summary: &str, data: &[(String, f64)], label_every: usize) -> String {
    let (w, h, pad) = (640.0, 200.0, 24.0);
    let max = data.iter().map(|d| d.1).fold(0.0_f64, f64::max).max(1.0);
    let n = data.len().max(1) as f64;
    let bw = (w - 2.0 * pad) / n;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {}\" role=\"img\" aria-label=\"{}\" class=\"chart\">\
         <title>{}</title><desc>{}</desc>",
        h + 30.0,
        esc(&format!("{title}. {summary}")),
        esc(title),
        esc(summary)
    );
    for (i, (label, v)) in data.iter().enumerate() {
        let bh = (v / max) * (h - pad);
        let x = pad + i as f64 * bw;
        out.push_str(&format!(
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{bh:.1}\" fill=\"#2f6f4f\"><title>{}: {}</title></rect>",
            h - bh,
            (bw - 1.0).max(1.0),
            esc(label),
            v
        ));
        if label_every > 0 && i % label_every == 0 {
            out.push_str(&format!(
                "<text x=\"{x:.1}\" y=\"{}\" font-size=\"10\" fill=\"#333\">{}</text>",
                h + 14.0,
                esc(label)
            ));
        }
    }
    out.push_str(&format!(
        "<text x=\"{pad}\" y=\"12\" font-size=\"10\" fill=\"#333\">max {max}</text></svg>"
    ));
    out
}

/// One horizontal bar per row split into coloured parts, e.g. levels now against the reference.
pub fn stacked(title: &str, summary: &str, rows: &[(String, Vec<(String, f64)>)]) -> String {
    let colors = ["#1f4e3d", "#3f8f6b", "#9cc9b0", "#d9d9d9"];
    let (w, row_h) = (640.0, 34.0);
    let label_w = 150.0;
    let h = rows.len() as f64 * row_h + 30.0;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{}\" class=\"chart\">\
         <title>{}</title><desc>{}</desc>",
        esc(&format!("{title}. {summary}")),
        esc(title),
        esc(summary)
    );
    for (r, (label, parts)) in rows.iter().enumerate() {
        let y = r as f64 * row_h + 4.0;
        out.push_str(&format!(
            "<text x=\"0\" y=\"{}\" font-size=\"12\" fill=\"#333\">{}</text>",
            y + 17.0,
            esc(label)
        ));
        let total: f64 = parts.iter().map(|p| p.1).sum::<f64>().max(1e-9);
        let mut x = label_w;
        for (i, (name, v)) in parts.iter().enumerate() {
            let pw = v / total * (w - label_w);
            out.push_str(&format!(
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{pw:.1}\" height=\"24\" fill=\"{}\"><title>{}: {:.0} %</title></rect>",
                colors[i % colors.len()],
                esc(name),
                v / total * 100.0
            ));
            x += pw;
        }
    }
    let mut x = label_w;
    if let Some((_, parts)) = rows.first() {
        for (i, (name, _)) in parts.iter().enumerate() {
            out.push_str(&format!(
                "<rect x=\"{x:.1}\" y=\"{}\" width=\"10\" height=\"10\" fill=\"{}\"/><text x=\"{:.1}\" y=\"{}\" font-size=\"11\" fill=\"#333\">{}</text>",
                h - 18.0,
                colors[i % colors.len()],
                x + 14.0,
                h - 9.0,
                esc(name)
            ));
            x += 110.0;
        }
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_are_svg_with_text_alternatives_and_escaped_labels() {
        let svg = bars(
            "Weekly activity",
            "12 weeks",
            &[("<w1>".into(), 3.0), ("w2".into(), 0.0)],
            1,
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("role=\"img\"") && svg.contains("<title>Weekly activity</title>"));
        assert!(svg.contains("&lt;w1&gt;") && !svg.contains("<w1>"));
        let s = stacked(
            "Levels",
            "now",
            &[(
                "Now".into(),
                vec![("core".into(), 1.0), ("active".into(), 3.0)],
            )],
        );
        assert!(s.contains("core: 25 %") && s.contains("active: 75 %"));
    }
}

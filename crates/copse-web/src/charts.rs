//! Charts drawn on the server as SVG: readable without JavaScript, each with a title and a text
//! alternative (and the numbers in a table next to it on the page). Labels are escaped.
//!
//! Every chart is 400 units wide, so its 12-unit text is about 11 px on a phone and about 16 px
//! at its widest on a desktop (the stylesheet caps `svg.chart` at 34rem). Colours come from
//! classes the stylesheet fills (`bar`, `out`, `zero`, `grid`, `part-N`), so dark mode
//! recolours them. Values are written on the chart: on each bar when there are few, on the
//! axis otherwise; a zero is a visible stub, not a gap.

const WIDTH: f64 = 400.0;
/// Bars up to this many get their value written above them.
const VALUES_ON_BARS: usize = 16;

/// Escapes text for SVG.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A number as a chart writes it: no ".0" on whole numbers.
fn num(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

fn open(title: &str, summary: &str, height: f64) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height:.0}\" role=\"img\" \
         aria-label=\"{}\" class=\"chart\"><title>{}</title><desc>{}</desc>",
        esc(&format!("{title}. {summary}")),
        esc(title),
        esc(summary)
    )
}

/// A vertical bar chart of `(label, value)` over time; every `label_every`-th label is printed
/// under the axis. The axis is marked at 0, half and the largest value.
pub fn bars(title: &str, summary: &str, data: &[(String, f64)], label_every: usize) -> String {
    let (left, top, plot_h) = (30.0, 18.0, 150.0);
    let base = top + plot_h;
    let max = data.iter().map(|d| d.1).fold(0.0_f64, f64::max);
    let scale = max.max(1.0);
    let bw = (WIDTH - left) / data.len().max(1) as f64;
    let mut out = open(title, summary, base + 22.0);
    // Whole numbers on the axis: 0, the middle rounded, and the top.
    let marks: &[f64] = if scale >= 2.0 {
        &[0.0, (scale / 2.0).round(), scale]
    } else {
        &[0.0, scale]
    };
    // Every label printed gets the room its text needs (about 6.2 units a character at 11 px).
    let widest = widest_label(data.iter().map(|d| d.0.as_str()));
    let label_every = label_every.max((widest / bw).ceil() as usize);
    for &mark in marks {
        let y = base - mark / scale * plot_h;
        out.push_str(&format!(
            "<line class=\"grid\" x1=\"{left}\" x2=\"{WIDTH}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/>\
             <text class=\"axis\" x=\"{:.0}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            left - 4.0,
            y + 4.0,
            num(mark)
        ));
    }
    for (i, (label, v)) in data.iter().enumerate() {
        let x = left + i as f64 * bw;
        out.push_str(&bar(x, bw, base, v / scale * plot_h, label, *v));
        if data.len() <= VALUES_ON_BARS {
            let y = base - v / scale * plot_h - 4.0;
            out.push_str(&format!(
                "<text x=\"{:.1}\" y=\"{y:.1}\" text-anchor=\"middle\">{}</text>",
                x + bw / 2.0,
                num(*v)
            ));
        }
        if label_every > 0 && i % label_every == 0 {
            // A label that would run off the right edge ends there instead.
            let (x, anchor) = if x + widest > WIDTH {
                (WIDTH, "end")
            } else {
                (x, "start")
            };
            out.push_str(&format!(
                "<text class=\"axis\" x=\"{x:.1}\" y=\"{:.0}\" text-anchor=\"{anchor}\">{}</text>",
                base + 16.0,
                esc(label)
            ));
        }
    }
    out.push_str("</svg>");
    out
}

/// The width, in chart units, of the longest label at 11 px (about 6.2 a character) plus a gap.
fn widest_label<'a>(labels: impl Iterator<Item = &'a str>) -> f64 {
    labels.map(|l| l.chars().count()).max().unwrap_or(0) as f64 * 6.2 + 6.0
}

/// One bar standing on `base`; a zero is a 2-unit stub so that it shows.
fn bar(x: f64, bw: f64, base: f64, height: f64, label: &str, v: f64) -> String {
    let (class, height) = if v == 0.0 {
        ("zero", 2.0)
    } else {
        ("bar", height.max(2.0))
    };
    format!(
        "<rect class=\"{class}\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{height:.1}\">\
         <title>{}: {}</title></rect>",
        x + 1.0,
        base - height,
        (bw - 2.0).max(1.0),
        esc(label),
        num(v)
    )
}

/// A horizontal bar list: one row per `(label, value)`, the label above its bar and the value
/// at the bar's end, so long names (organisations, health parts) never overlap.
pub fn rows(title: &str, summary: &str, data: &[(String, f64)]) -> String {
    let row_h = 36.0;
    let max = data.iter().map(|d| d.1).fold(0.0_f64, f64::max).max(1.0);
    let track = WIDTH - 40.0;
    let mut out = open(title, summary, data.len().max(1) as f64 * row_h + 4.0);
    for (i, (label, v)) in data.iter().enumerate() {
        let y = i as f64 * row_h;
        let w = if *v == 0.0 {
            2.0
        } else {
            (v / max * track).max(2.0)
        };
        let class = if *v == 0.0 { "zero" } else { "bar" };
        out.push_str(&format!(
            "<text x=\"0\" y=\"{:.0}\">{}</text>\
             <rect class=\"{class}\" x=\"0\" y=\"{:.0}\" width=\"{w:.1}\" height=\"14\"><title>{}: {}</title></rect>\
             <text x=\"{:.1}\" y=\"{:.0}\">{}</text>",
            y + 13.0,
            esc(&shortened(label, 60)),
            y + 18.0,
            esc(label),
            num(*v),
            w + 4.0,
            y + 30.0,
            num(*v)
        ));
    }
    out.push_str("</svg>");
    out
}

/// At most `chars` characters, with an ellipsis when cut (the full label is in the bar's title).
fn shortened(label: &str, chars: usize) -> String {
    if label.chars().count() <= chars {
        return label.to_string();
    }
    let mut cut: String = label.chars().take(chars - 1).collect();
    cut.push('…');
    cut
}

/// Two directions per period, e.g. moves inwards (up) and outwards (down) from a zero line;
/// `(label, up, down)`, with both names in a legend.
pub fn up_down(
    title: &str,
    summary: &str,
    data: &[(String, f64, f64)],
    [up_name, down_name]: [&str; 2],
) -> String {
    let (left, half) = (30.0, 70.0);
    let zero = 24.0 + half;
    let max = data
        .iter()
        .map(|d| d.1.max(d.2))
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let bw = (WIDTH - left) / data.len().max(1) as f64;
    let label_every = (widest_label(data.iter().map(|d| d.0.as_str())) / bw).ceil() as usize;
    let mut out = open(title, summary, zero + half + 22.0);
    out.push_str(&format!(
        "<rect class=\"bar\" x=\"{left}\" y=\"4\" width=\"10\" height=\"10\"/><text x=\"{}\" y=\"13\">{}</text>\
         <rect class=\"bar out\" x=\"{}\" y=\"4\" width=\"10\" height=\"10\"/><text x=\"{}\" y=\"13\">{}</text>\
         <line class=\"grid\" x1=\"{left}\" x2=\"{WIDTH}\" y1=\"{zero}\" y2=\"{zero}\"/>\
         <text class=\"axis\" x=\"{}\" y=\"{}\" text-anchor=\"end\">0</text>",
        left + 14.0,
        esc(up_name),
        left + 150.0,
        left + 164.0,
        esc(down_name),
        left - 4.0,
        zero + 4.0
    ));
    for (i, (label, up, down)) in data.iter().enumerate() {
        let x = left + i as f64 * bw;
        out.push_str(&bar(
            x,
            bw,
            zero,
            up / max * half,
            &format!("{label}, {up_name}"),
            *up,
        ));
        let h = if *down == 0.0 {
            2.0
        } else {
            (down / max * half).max(2.0)
        };
        let class = if *down == 0.0 { "zero" } else { "bar out" };
        out.push_str(&format!(
            "<rect class=\"{class}\" x=\"{:.1}\" y=\"{zero}\" width=\"{:.1}\" height=\"{h:.1}\"><title>{}, {}: {}</title></rect>\
",
            x + 1.0,
            (bw - 2.0).max(1.0),
            esc(label),
            esc(down_name),
            num(*down),
        ));
        if i % label_every.max(1) == 0 {
            out.push_str(&format!(
                "<text class=\"axis\" x=\"{x:.1}\" y=\"{:.0}\">{}</text>",
                zero + half + 16.0,
                esc(label)
            ));
        }
    }
    out.push_str("</svg>");
    out
}

/// One horizontal bar per row split into parts, e.g. levels now against the reference; the
/// legend sits under the rows, two names to a line.
pub fn stacked(title: &str, summary: &str, rows: &[(String, Vec<(String, f64)>)]) -> String {
    let row_h = 44.0;
    let names: Vec<&str> = rows
        .first()
        .map(|(_, parts)| parts.iter().map(|p| p.0.as_str()).collect())
        .unwrap_or_default();
    let legend_top = rows.len() as f64 * row_h + 6.0;
    let h = legend_top + names.len().div_ceil(2) as f64 * 18.0;
    let mut out = open(title, summary, h);
    for (r, (label, parts)) in rows.iter().enumerate() {
        let y = r as f64 * row_h;
        out.push_str(&format!(
            "<text x=\"0\" y=\"{:.0}\">{}</text>",
            y + 13.0,
            esc(label)
        ));
        let total: f64 = parts.iter().map(|p| p.1).sum::<f64>().max(1e-9);
        let mut x = 0.0;
        for (i, (name, v)) in parts.iter().enumerate() {
            let pw = v / total * WIDTH;
            out.push_str(&format!(
                "<rect class=\"part-{}\" x=\"{x:.1}\" y=\"{:.0}\" width=\"{pw:.1}\" height=\"20\"><title>{}: {:.0} %</title></rect>",
                i % 4,
                y + 18.0,
                esc(name),
                v / total * 100.0
            ));
            x += pw;
        }
    }
    for (i, name) in names.iter().enumerate() {
        let (x, y) = ((i % 2) as f64 * 200.0, legend_top + (i / 2) as f64 * 18.0);
        out.push_str(&format!(
            "<rect class=\"part-{}\" x=\"{x:.0}\" y=\"{y:.0}\" width=\"10\" height=\"10\"/>\
             <text x=\"{:.0}\" y=\"{:.0}\">{}</text>",
            i % 4,
            x + 14.0,
            y + 9.0,
            esc(name)
        ));
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests;

use super::*;

/// The y of every `<text x="0" …>` (a row's label), in order.
fn label_rows(svg: &str) -> Vec<f64> {
    svg.split("<text x=\"0\" y=\"")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].parse().unwrap())
        .collect()
}

#[test]
fn bars_have_an_axis_values_and_a_visible_zero() {
    let svg = bars(
        "Weekly activity",
        "2 weeks",
        &[("<w1>".into(), 3.0), ("w2".into(), 0.0)],
        1,
    );
    assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    assert!(svg.contains("role=\"img\"") && svg.contains("<title>Weekly activity</title>"));
    assert!(svg.contains("&lt;w1&gt;") && !svg.contains("<w1>"));
    assert!(
        svg.contains(">0</text>") && svg.contains(">3</text>"),
        "axis and values: {svg}"
    );
    assert!(
        svg.contains("class=\"zero\"") && svg.contains("<title>w2: 0</title>"),
        "a zero shows as a stub: {svg}"
    );
    let many: Vec<(String, f64)> = (0..30).map(|i| (format!("d{i}"), f64::from(i))).collect();
    let long = bars("Days", "30 days", &many, 10);
    assert!(!long.contains(">17</text>"), "no value on each of 30 bars");
    assert!(long.contains(">29</text>"), "the axis names the largest");
}

#[test]
fn rows_give_every_label_its_own_line() {
    let names = [
        "Northfield General Hospital",
        "Riverside University Hospital",
        "St Anne's",
    ];
    let data: Vec<(String, f64)> = names.iter().map(|n| (n.to_string(), 4.0)).collect();
    let svg = rows("Members per organisation", "", &data);
    let ys = label_rows(&svg);
    assert_eq!(ys.len(), 3);
    assert!(ys.windows(2).all(|w| w[1] - w[0] >= 30.0), "{ys:?}");
    assert!(svg.contains("St Anne&#39;s") || svg.contains("St Anne's"));
    let long = rows("x", "", &[("a".repeat(90), 0.0)]);
    assert!(long.contains('…') && long.contains("class=\"zero\""));
}

#[test]
fn up_down_draws_both_directions() {
    let svg = up_down(
        "Moves between levels",
        "",
        &[("2026-10".into(), 3.0, 2.0), ("2026-11".into(), 0.0, 1.0)],
        ["inwards", "outwards"],
    );
    assert!(svg.contains("<title>2026-10, inwards: 3</title>"), "{svg}");
    assert!(svg.contains("<title>2026-10, outwards: 2</title>"));
    assert!(svg.contains("<title>2026-11, outwards: 1</title>"));
    assert!(
        svg.contains(">inwards</text>") && svg.contains(">outwards</text>"),
        "legend"
    );
}

#[test]
fn stacked_parts_are_shares_with_a_legend() {
    let s = stacked(
        "Levels",
        "now",
        &[(
            "Now".into(),
            vec![("core".into(), 1.0), ("active".into(), 3.0)],
        )],
    );
    assert!(s.contains("core: 25 %") && s.contains("active: 75 %"));
    assert!(s.contains(">core</text>") && s.contains(">active</text>"));
}

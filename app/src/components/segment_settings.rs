//! The segmentation settings: criterion, cuts, bucket, half-life, capping,
//! clustering and rules. The form checks what it can on the spot (cuts in
//! order, numbers that are numbers) and never sends settings it knows to
//! be invalid; the engine checks everything again with core's validation,
//! including the rules' JSON, and its message is shown here.

use crate::client::EngineClient;
use crate::state::AppState;
use crate::worker_api::{Request, SegmentSettings};
use leptos::prelude::*;
use segscope_core::config::{Bucket, Criterion, Feature};

/// Every clustering feature, in the order the form lists them.
pub const FEATURES: [Feature; 8] = [
    Feature::LogRevenue,
    Feature::LogMargin,
    Feature::LogQuantity,
    Feature::LogOrderLines,
    Feature::MarginRate,
    Feature::Cv,
    Feature::Cv2,
    Feature::Adi,
];

/// The form's fields as typed.
#[derive(Clone, Debug, PartialEq)]
pub struct SettingsDraft {
    /// ABC criterion.
    pub criterion: Criterion,
    /// A cut in percent, as typed.
    pub a_cut: String,
    /// B cut in percent, as typed.
    pub b_cut: String,
    /// Demand bucket.
    pub bucket: Bucket,
    /// Half-life in buckets; empty for none.
    pub half_life: String,
    /// Cap outliers.
    pub cap_outliers: bool,
    /// Clustering on.
    pub cluster: bool,
    /// `None` = choose k automatically.
    pub k: Option<usize>,
    /// Clustering features chosen.
    pub features: Vec<Feature>,
    /// The rules' JSON text.
    pub rules: String,
}

/// A field of the form with a problem.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// The A cut.
    ACut,
    /// The B cut.
    BCut,
    /// The half-life.
    HalfLife,
    /// The clustering features.
    Features,
}

/// A percentage as written: `80`, `80.5`, `80,5`, `80 %`.
fn parse_percent(text: &str) -> Option<f64> {
    let t = text.trim().trim_end_matches('%').trim().replace(',', ".");
    t.parse::<f64>().ok().filter(|v| v.is_finite()).map(|v| v / 100.0)
}

/// A number for a field: `0.8` → `80`, without float noise.
fn percent_text(share: f64) -> String {
    let s = format!("{:.4}", share * 100.0);
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

impl SettingsDraft {
    /// The form filled from settings and the rules' text.
    pub fn from_settings(c: &SegmentSettings, rules: &str) -> SettingsDraft {
        SettingsDraft {
            criterion: c.criterion,
            a_cut: percent_text(c.a_cut),
            b_cut: percent_text(c.b_cut),
            bucket: c.bucket,
            half_life: c.half_life.map(|h| h.to_string()).unwrap_or_default(),
            cap_outliers: c.cap_outliers,
            cluster: c.cluster,
            k: c.k,
            features: c.features.clone(),
            rules: rules.to_owned(),
        }
    }

    /// The settings these fields make from `base` (which keeps what the
    /// form does not show), or the problems, one per field.
    pub fn to_settings(
        &self,
        base: &SegmentSettings,
    ) -> Result<SegmentSettings, Vec<(Field, String)>> {
        let mut problems = Vec::new();
        let a = parse_percent(&self.a_cut);
        let b = parse_percent(&self.b_cut);
        match a {
            None => {
                problems.push((Field::ACut, "Enter the A cut as a percentage, e.g. 80.".into()))
            }
            Some(a) if a <= 0.0 => {
                problems.push((Field::ACut, "The A cut must be above 0 %.".into()))
            }
            _ => {}
        }
        match (a, b) {
            (_, None) => {
                problems.push((Field::BCut, "Enter the B cut as a percentage, e.g. 95.".into()))
            }
            (_, Some(b)) if b > 1.0 => {
                problems.push((Field::BCut, "The B cut can be at most 100 %.".into()))
            }
            (Some(a), Some(b)) if a > b && a > 0.0 => {
                problems.push((Field::ACut, "The A cut must not be above the B cut.".into()))
            }
            _ => {}
        }
        let half_life = match self.half_life.trim() {
            "" => None,
            t => match t.replace(',', ".").parse::<f64>() {
                Ok(h) if h > 0.0 && h.is_finite() => Some(h),
                _ => {
                    problems.push((
                        Field::HalfLife,
                        "The half-life is a positive number of buckets, or empty for none.".into(),
                    ));
                    None
                }
            },
        };
        if self.cluster && self.features.is_empty() {
            problems.push((Field::Features, "Choose at least one feature to cluster on.".into()));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut c = base.clone();
        c.criterion = self.criterion;
        c.a_cut = a.unwrap_or(c.a_cut);
        c.b_cut = b.unwrap_or(c.b_cut);
        c.bucket = self.bucket;
        c.half_life = half_life;
        c.cap_outliers = self.cap_outliers;
        c.cluster = self.cluster;
        c.k = self.k;
        if !self.features.is_empty() {
            c.features = self.features.clone();
        }
        Ok(c)
    }
}

fn criterion_id(c: Criterion) -> &'static str {
    match c {
        Criterion::Revenue => "revenue",
        Criterion::Margin => "margin",
        Criterion::Quantity => "quantity",
        Criterion::OrderLines => "order_lines",
    }
}

const CRITERIA: [(Criterion, &str); 4] = [
    (Criterion::Revenue, "Net revenue"),
    (Criterion::Margin, "Net margin"),
    (Criterion::Quantity, "Units"),
    (Criterion::OrderLines, "Order lines"),
];
const BUCKETS: [(Bucket, &str); 3] =
    [(Bucket::Day, "Day"), (Bucket::Week, "Week"), (Bucket::Month, "Month")];

/// The settings panel.
#[component]
pub fn SegmentSettings() -> impl IntoView {
    let state = expect_context::<AppState>();
    let client = expect_context::<EngineClient>();
    let draft = RwSignal::new(None::<SettingsDraft>);
    let tried = RwSignal::new(false);
    // A new analysis resets the form to the settings it followed.
    Effect::new(move |_| {
        let fresh = state
            .segments
            .with(|s| s.as_ref().map(|s| SettingsDraft::from_settings(&s.settings, &s.rules_json)));
        draft.set(fresh);
        tried.set(false);
    });
    let base =
        move || state.segments.with(|s| s.as_ref().map(|s| s.settings.clone())).unwrap_or_default();
    let checked: Checked =
        Memo::new(move |_| draft.with(|d| d.as_ref().map(|d| d.to_settings(&base()))));
    let edit = move |f: &dyn Fn(&mut SettingsDraft)| {
        draft.update(|d| {
            if let Some(d) = d.as_mut() {
                f(d)
            }
        })
    };
    let changed = move || {
        let current = state
            .segments
            .with(|s| s.as_ref().map(|s| SettingsDraft::from_settings(&s.settings, &s.rules_json)));
        draft.with(|d| d.is_some() && *d != current)
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        tried.set(true);
        let Some(Ok(settings)) = checked.get_untracked() else { return };
        let rules =
            draft.with_untracked(|d| d.as_ref().map(|d| d.rules.clone())).unwrap_or_default();
        client.send(Request::Analyze { settings, rules });
    };
    let reset = move |_| {
        let defaults = state.segments.with_untracked(|s| {
            s.as_ref().map(|s| SettingsDraft::from_settings(&s.defaults, "[]"))
        });
        draft.set(defaults);
    };
    // Margin features are offered to the roles that see margins.
    let features = move || {
        let margin = segscope_core::roles::can_see(
            state.role.get(),
            segscope_core::roles::TableKind::Skus,
            "margin",
        );
        FEATURES
        .iter()
        .filter(move |f| margin || !matches!(f, Feature::LogMargin | Feature::MarginRate))
        .map(|&f| {
            let on = move || draft.with(|d| d.as_ref().is_some_and(|d| d.features.contains(&f)));
            view! {
                <label class="check">
                    <input
                        type="checkbox"
                        prop:checked=on
                        prop:disabled=move || !draft.with(|d| d.as_ref().is_some_and(|d| d.cluster))
                        on:change=move |ev| {
                            let wanted = event_target_checked(&ev);
                            edit(&|d| {
                                d.features.retain(|x| *x != f);
                                if wanted {
                                    d.features.push(f);
                                    d.features.sort_unstable_by_key(|x| FEATURES.iter().position(|y| y == x));
                                }
                            })
                        }
                    />
                    {f.original_name()}
                </label>
            }
        })
        .collect_view()
    };
    view! {
        <section class="card settings" aria-labelledby="settings-heading">
            <h2 id="settings-heading">"Settings"</h2>
            <form on:submit=on_submit novalidate>
                <div class="fields">
                    <label>
                        <span>"Rank by"</span>
                        <select
                            data-testid="setting-criterion"
                            on:change=move |ev| {
                                let v = event_target_value(&ev);
                                if let Some((c, _)) = CRITERIA.iter().find(|(c, _)| criterion_id(*c) == v) {
                                    edit(&|d| d.criterion = *c);
                                }
                            }
                        >
                            // Ranking by margin is offered to the roles that see margins.
                            {move || {
                                let margin = segscope_core::roles::can_see(state.role.get(), segscope_core::roles::TableKind::Skus, "margin");
                                CRITERIA.iter().filter(|(c, _)| margin || *c != Criterion::Margin).map(|&(c, name)| view! {
                                    <option value=criterion_id(c) prop:selected=move || draft.with(|d| d.as_ref().is_some_and(|d| d.criterion == c))>{name}</option>
                                }).collect_view()
                            }}
                        </select>
                    </label>
                    <TextSetting label="A cut (%)" testid="setting-a-cut" field=Field::ACut draft=draft checked=checked get=|d| &d.a_cut set=|d, v| d.a_cut = v />
                    <TextSetting label="B cut (%)" testid="setting-b-cut" field=Field::BCut draft=draft checked=checked get=|d| &d.b_cut set=|d, v| d.b_cut = v />
                    <label>
                        <span>"Time bucket"</span>
                        <select
                            data-testid="setting-bucket"
                            on:change=move |ev| {
                                let v = event_target_value(&ev);
                                if let Some((b, _)) = BUCKETS.iter().find(|(b, _)| b.name() == v) {
                                    edit(&|d| d.bucket = *b);
                                }
                            }
                        >
                            {BUCKETS.iter().map(|&(b, name)| view! {
                                <option value=b.name() prop:selected=move || draft.with(|d| d.as_ref().is_some_and(|d| d.bucket == b))>{name}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <TextSetting label="Half-life (buckets)" testid="setting-half-life" placeholder="none" field=Field::HalfLife draft=draft checked=checked get=|d| &d.half_life set=|d, v| d.half_life = v />
                    <CheckSetting label="Cap outliers (and leave promotions out of XYZ)" testid="setting-capping" draft=draft get=|d| d.cap_outliers set=|d, v| d.cap_outliers = v />
                </div>
                <FieldError field=Field::ACut id="setting-a-cut-error" checked=checked />
                <FieldError field=Field::BCut id="setting-b-cut-error" checked=checked />
                <FieldError field=Field::HalfLife id="setting-half-life-error" checked=checked />
                <fieldset class="clustering">
                    <legend>
                        <CheckSetting label="Cluster SKUs (k-means)" testid="setting-cluster" draft=draft get=|d| d.cluster set=|d, v| d.cluster = v />
                    </legend>
                    <label>
                        <span>"Clusters k"</span>
                        <select
                            data-testid="setting-k"
                            prop:disabled=move || !draft.with(|d| d.as_ref().is_some_and(|d| d.cluster))
                            on:change=move |ev| {
                                let k = event_target_value(&ev).parse::<usize>().ok();
                                edit(&|d| d.k = k)
                            }
                        >
                            <option value="auto" prop:selected=move || draft.with(|d| d.as_ref().is_some_and(|d| d.k.is_none()))>"auto (best silhouette)"</option>
                            {(2..=8usize).map(|k| view! {
                                <option value=k.to_string() prop:selected=move || draft.with(|d| d.as_ref().is_some_and(|d| d.k == Some(k)))>{k}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <div class="features" role="group" aria-label="Features to cluster on">{features}</div>
                    <FieldError field=Field::Features id="features-error" checked=checked />
                </fieldset>
                <details class="rules">
                    <summary>"Business rules (JSON)"</summary>
                    <p class="help">
                        "A list of rules applied after classification, e.g. "
                        <code>{r#"[{"name": "strategic", "when": {"strategic": true}, "abc_at_least": "A"}]"#}</code>
                    </p>
                    <textarea
                        rows="6"
                        spellcheck="false"
                        aria-label="Business rules as JSON"
                        data-testid="setting-rules"
                        prop:value=move || draft.with(|d| d.as_ref().map(|d| d.rules.clone()).unwrap_or_default())
                        on:input=move |ev| { let v = event_target_value(&ev); edit(&|d| d.rules = v.clone()) }
                    ></textarea>
                </details>
                {move || state.settings_error.get().map(|m| view! {
                    <p class="field-error" role="alert" data-testid="settings-error">{m}</p>
                })}
                <div class="actions">
                    <button
                        type="submit"
                        class="primary"
                        data-testid="apply-settings"
                        prop:disabled=move || state.busy()
                    >
                        "Apply settings"
                    </button>
                    <button type="button" class="link" on:click=reset>"Back to defaults"</button>
                    <span class="help" aria-live="polite">
                        {move || if state.segments_waiting.get() {
                            "Recomputing…"
                        } else if state.busy() {
                            // The segments shown are final; the worker is
                            // still on the policy and cost stages.
                            "Segments done; finishing policies and cost to serve…"
                        } else if tried.get() && checked.with(|c| matches!(c, Some(Err(_)))) {
                            "Fix the fields marked above; nothing was sent."
                        } else if changed() {
                            "Changed: apply to recompute."
                        } else {
                            ""
                        }}
                    </span>
                </div>
            </form>
        </section>
    }
}

/// The form's state, shared by its fields.
type Draft = RwSignal<Option<SettingsDraft>>;
/// The form checked: the settings, or the problems per field.
type Checked = Memo<Option<Result<SegmentSettings, Vec<(Field, String)>>>>;

fn problem_of(checked: Checked, field: Field) -> Option<String> {
    checked.with(|c| match c {
        Some(Err(problems)) => problems.iter().find(|(f, _)| *f == field).map(|(_, m)| m.clone()),
        _ => None,
    })
}

/// A text field of the form with its inline error.
#[component]
fn TextSetting(
    label: &'static str,
    testid: &'static str,
    #[prop(optional)] placeholder: &'static str,
    field: Field,
    draft: Draft,
    checked: Checked,
    get: fn(&SettingsDraft) -> &String,
    set: fn(&mut SettingsDraft, String),
) -> impl IntoView {
    let error_id = format!("{testid}-error");
    view! {
        <label>
            <span>{label}</span>
            <input
                type="text"
                inputmode="decimal"
                placeholder=placeholder
                data-testid=testid
                aria-describedby=error_id
                aria-invalid=move || problem_of(checked, field).is_some().to_string()
                prop:value=move || draft.with(|d| d.as_ref().map(|d| get(d).clone()).unwrap_or_default())
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    draft.update(|d| if let Some(d) = d.as_mut() { set(d, v) });
                }
            />
        </label>
    }
}

/// A checkbox of the form.
#[component]
fn CheckSetting(
    label: &'static str,
    testid: &'static str,
    draft: Draft,
    get: fn(&SettingsDraft) -> bool,
    set: fn(&mut SettingsDraft, bool),
) -> impl IntoView {
    view! {
        <label class="check">
            <input
                type="checkbox"
                data-testid=testid
                prop:checked=move || draft.with(|d| d.as_ref().is_some_and(get))
                on:change=move |ev| {
                    let v = event_target_checked(&ev);
                    draft.update(|d| if let Some(d) = d.as_mut() { set(d, v) });
                }
            />
            {label}
        </label>
    }
}

/// The inline error of a field, if it has one.
#[component]
fn FieldError(field: Field, id: &'static str, checked: Checked) -> impl IntoView {
    move || {
        problem_of(checked, field)
            .map(|m| view! { <p class="field-error" id=id role="alert">{m}</p> })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use segscope_core::Config;

    fn defaults() -> SegmentSettings {
        SegmentSettings::of(&Config::default())
    }

    fn draft() -> SettingsDraft {
        SettingsDraft::from_settings(&defaults(), "[]")
    }

    #[test]
    fn the_default_settings_round_trip() {
        let d = draft();
        assert_eq!((d.a_cut.as_str(), d.b_cut.as_str(), d.half_life.as_str()), ("80", "95", ""));
        assert_eq!(d.to_settings(&defaults()), Ok(defaults()));
    }

    #[test]
    fn fields_are_read_as_percentages_and_buckets() {
        let d = SettingsDraft {
            a_cut: "60,5 %".into(),
            half_life: "26".into(),
            bucket: Bucket::Month,
            ..draft()
        };
        let c = d.to_settings(&defaults()).unwrap();
        assert!((c.a_cut - 0.605).abs() < 1e-12);
        assert_eq!((c.half_life, c.bucket), (Some(26.0), Bucket::Month));
    }

    #[test]
    fn invalid_fields_are_named_and_nothing_is_built() {
        let check = |d: SettingsDraft, field: Field| {
            let problems = d.to_settings(&defaults()).unwrap_err();
            assert!(problems.iter().any(|(f, _)| *f == field), "{problems:?}");
        };
        check(SettingsDraft { a_cut: "0".into(), ..draft() }, Field::ACut);
        check(SettingsDraft { a_cut: "eighty".into(), ..draft() }, Field::ACut);
        check(SettingsDraft { a_cut: "96".into(), ..draft() }, Field::ACut);
        check(SettingsDraft { b_cut: "101".into(), ..draft() }, Field::BCut);
        check(SettingsDraft { half_life: "-2".into(), ..draft() }, Field::HalfLife);
        check(SettingsDraft { cluster: true, features: vec![], ..draft() }, Field::Features);
        // Equal cuts are allowed (0 < a ≤ b ≤ 1).
        assert!(SettingsDraft { a_cut: "90".into(), b_cut: "90".into(), ..draft() }
            .to_settings(&defaults())
            .is_ok());
    }
}

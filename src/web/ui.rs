//! The banner and the preferences dialog, in an open Shadow DOM under `#akkoord`.
//!
//! Stable hooks (public, see docs/internals.md): `[data-akkoord-action]` buttons,
//! `input[data-akkoord-purpose]` toggles, `[data-akkoord-layer]` sections with
//! `role="dialog"` and an accessible name. Styles come from `www/akkoord.css`, embedded at
//! build time and adopted as a constructed stylesheet: no extra request, no inline `style=`,
//! and it works under a strict CSP.

use js_sys::{Array, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, HtmlInputElement, ShadowRoot};

use crate::config::{Config, Theme};
use crate::consent::NECESSARY;
use crate::dom::{add, el, open_shadow, query, query_all, set, unset};
use crate::texts::Texts;

// Minified by build.rs.
const CSS: &str = include_str!(concat!(env!("OUT_DIR"), "/akkoord.css"));

/// The mounted UI.
pub struct Ui {
    /// Its open shadow root.
    pub root: ShadowRoot,
    /// First layer.
    pub banner: Element,
    /// Preferences dialog (inside its backdrop).
    pub prefs: Element,
    /// Backdrop of the preferences dialog.
    pub backdrop: Element,
}

fn adopt_styles(doc: &Document, root: &ShadowRoot, nonce: Option<&str>) {
    // Constructed stylesheets are not subject to CSP style-src; fall back to <style nonce>.
    let constructed = (|| -> Result<(), JsValue> {
        let ctor = Reflect::get(&js_sys::global(), &"CSSStyleSheet".into())?
            .dyn_into::<js_sys::Function>()?;
        let sheet = Reflect::construct(&ctor, &Array::new())?;
        let replace =
            Reflect::get(&sheet, &"replaceSync".into())?.dyn_into::<js_sys::Function>()?;
        replace.call1(&sheet, &CSS.into())?;
        Reflect::set(root, &"adoptedStyleSheets".into(), &Array::of1(&sheet))?;
        Ok(())
    })();
    if constructed.is_err() {
        let style = el(doc, "style", &[], Some(CSS));
        if let Some(n) = nonce {
            set(&style, "nonce", n);
        }
        add(root, &style);
    }
}

fn button(doc: &Document, action: &str, label: &str, class: &str) -> Element {
    el(
        doc,
        "button",
        &[
            ("type", "button"),
            ("class", class),
            ("data-akkoord-action", action),
        ],
        Some(label),
    )
}

fn link(doc: &Document, href: &str, label: &str) -> Element {
    el(
        doc,
        "a",
        &[("href", href), ("class", "ak-link")],
        Some(label),
    )
}

/// Build the banner and preferences (both hidden) and attach them to the page.
pub fn mount(
    doc: &Document,
    config: &Config,
    t: &Texts<'_>,
    gpc: bool,
    nonce: Option<&str>,
) -> Result<Ui, JsValue> {
    let host = el(doc, "div", &[("id", "akkoord")], None);
    let root = open_shadow(&host);
    adopt_styles(doc, &root, nonce);

    let theme = match config.theme {
        Theme::Auto => "auto",
        Theme::Light => "light",
        Theme::Dark => "dark",
    };
    let wrap = el(
        doc,
        "div",
        &[("class", "ak"), ("data-theme", theme), ("lang", t.lang())],
        None,
    );
    add(&root, &wrap);

    // First layer: who, what for, how to withdraw, and three equal buttons (C-05..C-10).
    let banner = el(
        doc,
        "section",
        &[
            ("class", "ak-banner"),
            ("data-akkoord-layer", "banner"),
            ("role", "dialog"),
            ("aria-modal", "false"),
            ("aria-labelledby", "ak-title"),
            ("aria-describedby", "ak-text"),
            ("tabindex", "-1"),
            ("hidden", ""),
        ],
        None,
    );
    add(
        &banner,
        &el(
            doc,
            "h2",
            &[("id", "ak-title"), ("class", "ak-title")],
            Some(t.get("banner.title")),
        ),
    );
    let body = el(doc, "div", &[("id", "ak-text"), ("class", "ak-text")], None);
    add(&body, &el(doc, "p", &[], Some(&t.banner_text())));
    if let Some(p) = t.providers_text() {
        add(&body, &el(doc, "p", &[], Some(&p)));
    }
    if gpc {
        add(
            &body,
            &el(
                doc,
                "p",
                &[("class", "ak-gpc"), ("data-akkoord-gpc", "")],
                Some(t.get("banner.gpc")),
            ),
        );
    }
    add(&body, &el(doc, "p", &[], Some(t.get("banner.withdraw"))));
    add(&banner, &body);
    let links = el(doc, "p", &[("class", "ak-links")], None);
    if let Some(href) = &config.cookie_statement {
        add(&links, &link(doc, href, t.get("link.statement")));
    }
    if let Some(href) = &config.privacy_policy {
        add(&links, &link(doc, href, t.get("link.privacy")));
    }
    if links.child_element_count() > 0 {
        add(&banner, &links);
    }
    let buttons = el(doc, "div", &[("class", "ak-buttons")], None);
    add(
        &buttons,
        &button(doc, "accept-all", t.get("button.accept_all"), "ak-btn"),
    );
    add(
        &buttons,
        &button(doc, "reject-all", t.get("button.reject_all"), "ak-btn"),
    );
    add(
        &buttons,
        &button(doc, "preferences", t.get("button.preferences"), "ak-btn"),
    );
    add(&banner, &buttons);
    add(&wrap, &banner);

    // Second layer: per-purpose toggles, services in detail (C-13, C-14, C-16, C-17).
    let backdrop = el(
        doc,
        "div",
        &[("class", "ak-backdrop"), ("hidden", "")],
        None,
    );
    let prefs = el(
        doc,
        "section",
        &[
            ("class", "ak-prefs"),
            ("data-akkoord-layer", "preferences"),
            ("role", "dialog"),
            ("aria-modal", "true"),
            ("aria-labelledby", "ak-prefs-title"),
            ("tabindex", "-1"),
        ],
        None,
    );
    let head = el(doc, "div", &[("class", "ak-head")], None);
    add(
        &head,
        &el(
            doc,
            "h2",
            &[("id", "ak-prefs-title"), ("class", "ak-title")],
            Some(t.get("prefs.title")),
        ),
    );
    let close = el(
        doc,
        "button",
        &[
            ("type", "button"),
            ("class", "ak-close"),
            ("data-akkoord-action", "close"),
            ("aria-label", t.get("button.close")),
        ],
        Some("×"),
    );
    add(&head, &close);
    add(&prefs, &head);
    add(
        &prefs,
        &el(doc, "p", &[("class", "ak-text")], Some(t.get("prefs.text"))),
    );
    if gpc {
        add(
            &prefs,
            &el(doc, "p", &[("class", "ak-gpc")], Some(t.get("banner.gpc"))),
        );
    }
    let list = el(doc, "ul", &[("class", "ak-purposes")], None);
    for purpose in &config.purposes {
        add(&list, &purpose_item(doc, config, t, purpose));
    }
    add(&prefs, &list);
    let buttons = el(doc, "div", &[("class", "ak-buttons")], None);
    add(
        &buttons,
        &button(doc, "save", t.get("button.save"), "ak-btn"),
    );
    add(
        &buttons,
        &button(doc, "reject-all", t.get("button.reject_all"), "ak-btn"),
    );
    add(
        &buttons,
        &button(doc, "accept-all", t.get("button.accept_all"), "ak-btn"),
    );
    add(&prefs, &buttons);
    add(&backdrop, &prefs);
    add(&wrap, &backdrop);

    let parent: Element = match doc.body() {
        Some(b) => b.into(),
        None => doc
            .document_element()
            .ok_or_else(|| JsValue::from_str("no document element"))?,
    };
    add(&parent, &host);
    Ok(Ui {
        root,
        banner,
        prefs,
        backdrop,
    })
}

fn purpose_item(doc: &Document, config: &Config, t: &Texts<'_>, purpose: &str) -> Element {
    let item = el(doc, "li", &[("class", "ak-purpose")], None);
    let input_id = ["ak-p-", purpose].concat();
    let desc_id = ["ak-d-", purpose].concat();
    let row = el(doc, "div", &[("class", "ak-row")], None);
    let label = el(
        doc,
        "label",
        &[("for", &input_id), ("class", "ak-label")],
        Some(&t.purpose_title(purpose)),
    );
    let input = el(
        doc,
        "input",
        &[
            ("type", "checkbox"),
            ("id", &input_id),
            ("class", "ak-toggle"),
            ("data-akkoord-purpose", purpose),
            ("aria-describedby", &desc_id),
        ],
        None,
    );
    if purpose == NECESSARY {
        set(&input, "checked", "");
        set(&input, "disabled", "");
    }
    add(&row, &input);
    add(&row, &label);
    if purpose == NECESSARY {
        add(
            &row,
            &el(
                doc,
                "span",
                &[("class", "ak-always")],
                Some(t.get("prefs.always_on")),
            ),
        );
    }
    add(&item, &row);
    add(
        &item,
        &el(
            doc,
            "p",
            &[("id", &desc_id), ("class", "ak-desc")],
            Some(&t.purpose_description(purpose)),
        ),
    );

    for service in config.services.iter().filter(|s| s.purpose == purpose) {
        let details = el(
            doc,
            "details",
            &[
                ("class", "ak-service"),
                ("data-akkoord-service", &service.id),
            ],
            None,
        );
        add(&details, &el(doc, "summary", &[], Some(&service.name)));
        // Granular consent per service ("only YouTube, not all marketing").
        let toggle_id = ["ak-s-", &service.id].concat();
        let srow = el(doc, "div", &[("class", "ak-row")], None);
        add(
            &srow,
            &el(
                doc,
                "input",
                &[
                    ("type", "checkbox"),
                    ("id", &toggle_id),
                    ("class", "ak-toggle"),
                    ("data-akkoord-service", &service.id),
                    ("data-akkoord-of", purpose),
                ],
                None,
            ),
        );
        add(
            &srow,
            &el(
                doc,
                "label",
                &[("for", &toggle_id), ("class", "ak-label")],
                Some(&t.get("prefs.service").replace("{service}", &service.name)),
            ),
        );
        add(&details, &srow);
        let dl = el(doc, "dl", &[], None);
        let pair = |term: &str, value: &str| {
            add(&dl, &el(doc, "dt", &[], Some(term)));
            add(&dl, &el(doc, "dd", &[], Some(value)));
        };
        pair(t.get("service.provider"), &service.provider);
        let cookies: Vec<String> = service
            .cookies
            .iter()
            .map(|c| {
                let party = if c.first_party {
                    t.get("service.first_party")
                } else {
                    t.get("service.third_party")
                };
                [c.name.as_str(), " (", &t.days(c.days), ", ", party, ")"].concat()
            })
            .collect();
        if !cookies.is_empty() {
            pair(t.get("service.cookies"), &cookies.join("; "));
        }
        pair(
            t.get("service.third_country"),
            if service.third_country {
                t.get("service.yes")
            } else {
                t.get("service.no")
            },
        );
        add(&details, &dl);
        if let Some(url) = &service.policy_url {
            add(&details, &link(doc, url, t.get("service.policy")));
        }
        add(&item, &details);
    }
    item
}

impl Ui {
    /// Show the first layer and move focus into it (C-12).
    pub fn show_banner(&self) {
        unset(&self.banner, "hidden");
        focus_first(&self.banner);
    }

    /// Hide the first layer.
    pub fn hide_banner(&self) {
        set(&self.banner, "hidden", "");
    }

    /// Open the preferences with the toggles set (C-13 / C-19) and focus inside.
    pub fn show_prefs(&self, toggles: &[(String, bool)]) {
        for (purpose, on) in toggles {
            if let Some(input) = self.toggle(purpose) {
                if purpose != NECESSARY {
                    input.set_checked(*on);
                }
            }
        }
        unset(&self.backdrop, "hidden");
        focus_first(&self.prefs);
    }

    /// Close the preferences.
    pub fn hide_prefs(&self) {
        set(&self.backdrop, "hidden", "");
    }

    /// Whether the preferences are open.
    pub fn prefs_visible(&self) -> bool {
        !self.backdrop.has_attribute("hidden")
    }

    fn toggle(&self, name: &str) -> Option<HtmlInputElement> {
        let find = |attr: &str| {
            let selector = ["input[", attr, "=\"", name, "\"]"].concat();
            query(&self.prefs, &selector)?
                .dyn_into::<HtmlInputElement>()
                .ok()
        };
        find("data-akkoord-purpose").or_else(|| find("data-akkoord-service"))
    }

    /// Keep purpose and service toggles consistent after `changed` was clicked: a purpose
    /// switches its services with it; switching one service off switches its purpose off
    /// (the others stay on, each on its own).
    pub fn sync_toggles(&self, changed: &Element) {
        let list = query_all(&self.prefs, "input[data-akkoord-of]");
        let inputs: Vec<HtmlInputElement> = (0..list.length())
            .filter_map(|i| list.item(i)?.dyn_into::<HtmlInputElement>().ok())
            .collect();
        if let Some(purpose) = changed.get_attribute("data-akkoord-purpose") {
            let on = self.toggle(&purpose).is_some_and(|i| i.checked());
            for input in inputs
                .iter()
                .filter(|i| i.get_attribute("data-akkoord-of").as_deref() == Some(purpose.as_str()))
            {
                input.set_checked(on);
            }
        } else if let (Some(purpose), Ok(input)) = (
            changed.get_attribute("data-akkoord-of"),
            changed.clone().dyn_into::<HtmlInputElement>(),
        ) {
            if !input.checked() {
                if let Some(p) = self.toggle(&purpose) {
                    p.set_checked(false);
                }
            }
        }
    }

    /// The toggles' current states, for purposes and then service ids.
    pub fn read_toggles(&self, names: &[String]) -> Vec<(String, bool)> {
        names
            .iter()
            .map(|p| (p.clone(), self.toggle(p).is_some_and(|i| i.checked())))
            .collect()
    }

    /// Keep Tab inside the open preferences dialog (C-12).
    pub fn trap_tab(&self, backwards: bool) -> bool {
        let focusables = focusable(&self.prefs);
        let (Some(first), Some(last)) = (focusables.first(), focusables.last()) else {
            return false;
        };
        let active = self.root.active_element();
        let at = |e: &HtmlElement| {
            active
                .as_ref()
                .is_some_and(|a| a == e.unchecked_ref::<Element>())
        };
        if backwards && (at(first) || active.is_none() || active.as_ref() == Some(&self.prefs)) {
            let _ = last.focus();
            true
        } else if !backwards && at(last) {
            let _ = first.focus();
            true
        } else {
            false
        }
    }
}

fn focusable(container: &Element) -> Vec<HtmlElement> {
    let mut out = Vec::new();
    let list = query_all(
        container,
        "button:not([disabled]), input:not([disabled]), a[href], summary",
    );
    for i in 0..list.length() {
        if let Some(e) = list.item(i).and_then(|n| n.dyn_into::<HtmlElement>().ok()) {
            out.push(e);
        }
    }
    out
}

fn focus_first(container: &Element) {
    if let Some(first) = query(container, "button[data-akkoord-action]")
        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
    {
        let _ = first.focus();
    }
}

//! The cookie statement, rendered live into every `<div data-akkoord-statement>` from the
//! same [`crate::statement::Statement`] that `akkoord statement` prints, so the page and the
//! CLI cannot drift (C-25). Rendered in the light DOM so the site's own typography applies;
//! classes `akkoord-statement__*` are there for styling.
//!
//! This is a module of its own (`dist/akkoord-statement.wasm`, feature `statement-page`): a
//! site shows its statement on one page, and keeping the renderer and the statement's
//! wording in four languages out of the banner saves every other page 5.2 KB brotli. The
//! banner asks the loader for it when the parsed page has `[data-akkoord-statement]` and the
//! config is valid, and hands over the config text it booted with and the language it chose.

use wasm_bindgen::prelude::*;
use web_sys::{Document, Element};

use crate::config::Config;
use crate::dom::{self, add, set};
use crate::statement::{is_linkable, Basis, Statement};

/// `render(configText, lang)`, the module's one export. The banner has validated the same
/// text already; an error here can only mean the loader passed something else, and it is
/// reported rather than rendered.
#[wasm_bindgen(js_name = render)]
pub fn render_page(config: &str, lang: &str) {
    match Config::from_json(config) {
        Ok(config) => render_all(&config, lang),
        Err(errors) => {
            let first = errors.first().map(ToString::to_string).unwrap_or_default();
            web_sys::console::error_1(
                &[
                    "akkoord: cookie statement not rendered: invalid config: ",
                    &first,
                ]
                .concat()
                .into(),
            );
        }
    }
}

fn el(doc: &Document, tag: &str, class: &str, text: Option<&str>) -> Element {
    let e = dom::el(doc, tag, &[], text);
    if !class.is_empty() {
        set(&e, "class", class);
    }
    e
}

/// Fill every statement placeholder on the page.
fn render_all(config: &Config, lang: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let list = dom::query_all(&doc, "[data-akkoord-statement]");
    if list.length() == 0 {
        return;
    }
    let Ok(statement) = Statement::build(config, lang) else {
        return;
    };
    for i in 0..list.length() {
        let Some(target) = list
            .item(i)
            .and_then(|n| wasm_bindgen::JsCast::dyn_into::<Element>(n).ok())
        else {
            continue;
        };
        let body = render(&doc, &statement);
        target.set_text_content(None);
        add(&target, &body);
    }
}

fn render(doc: &Document, s: &Statement) -> Element {
    let w = s.wording;
    let root = el(doc, "div", "akkoord-statement", None);
    set(&root, "lang", &s.lang);
    add(
        &root,
        &el(doc, "p", "akkoord-statement__intro", Some(&s.intro)),
    );
    for p in &s.purposes {
        let section = el(doc, "section", "akkoord-statement__purpose", None);
        set(&section, "data-akkoord-purpose-section", &p.id);
        add(&section, &el(doc, "h2", "", Some(&p.title)));
        add(&section, &el(doc, "p", "", Some(&p.description)));
        let basis = match p.basis {
            Basis::Consent => w.consent,
            Basis::Exempt => w.exempt,
        };
        add(
            &section,
            &el(
                doc,
                "p",
                "akkoord-statement__basis",
                Some(&[w.legal_basis, ": ", basis].concat()),
            ),
        );
        if p.services.is_empty() {
            add(&section, &el(doc, "p", "", Some(w.no_services)));
        }
        for svc in &p.services {
            let block = el(doc, "div", "akkoord-statement__service", None);
            add(&block, &el(doc, "h3", "", Some(&svc.name)));
            let facts = el(doc, "dl", "", None);
            let fact = |term: &str, value: &str| {
                add(&facts, &el(doc, "dt", "", Some(term)));
                add(&facts, &el(doc, "dd", "", Some(value)));
            };
            fact(w.provider, &svc.provider);
            if let Some(d) = &svc.description {
                fact(w.purpose, d);
            }
            fact(
                w.third_country,
                if svc.third_country { w.yes } else { w.no },
            );
            if svc.matching {
                fact(w.matching, w.matching_value);
            }
            add(&block, &facts);
            if svc.cookies.is_empty() {
                add(&block, &el(doc, "p", "", Some(w.no_cookies)));
            } else {
                let table = el(doc, "table", "akkoord-statement__cookies", None);
                let head = el(doc, "tr", "", None);
                for h in [w.cookie, w.duration, w.party] {
                    let th = el(doc, "th", "", Some(h));
                    set(&th, "scope", "col");
                    add(&head, &th);
                }
                add(&table, &head);
                for c in &svc.cookies {
                    let row = el(doc, "tr", "", None);
                    add(&row, &el(doc, "td", "", Some(&c.name)));
                    add(&row, &el(doc, "td", "", Some(&c.duration)));
                    add(
                        &row,
                        &el(
                            doc,
                            "td",
                            "",
                            Some(if c.first_party {
                                w.first_party
                            } else {
                                w.third_party
                            }),
                        ),
                    );
                    add(&table, &row);
                }
                add(&block, &table);
            }
            if let Some(url) = svc.policy_url.as_deref().filter(|u| is_linkable(u)) {
                let a = el(doc, "a", "", Some(w.policy));
                set(&a, "href", url);
                add(&block, &a);
            }
            add(&section, &block);
        }
        add(&root, &section);
    }
    let withdraw = el(doc, "section", "akkoord-statement__withdraw", None);
    add(&withdraw, &el(doc, "h2", "", Some(w.withdraw_heading)));
    for p in &s.withdraw {
        add(&withdraw, &el(doc, "p", "", Some(p)));
    }
    let button = el(
        doc,
        "button",
        "akkoord-statement__open",
        Some(&s.settings_label),
    );
    set(&button, "type", "button");
    set(&button, "data-akkoord-open", "");
    add(&withdraw, &button);
    add(&root, &withdraw);
    root
}

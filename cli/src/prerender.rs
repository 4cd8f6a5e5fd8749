//! `akkoord prerender`: a page with the banner in its HTML, as `akkoord serve` sends it to a
//! visitor who has to be asked (server/src/prerender.rs). For servers and edge functions that
//! pick the page by the consent cookie themselves: serve this version only to visitors
//! without a valid choice, the page as it is to everyone else. With `--static`, one page for
//! every visitor, for a host that cannot look at cookies.

use std::path::PathBuf;
use std::process::ExitCode;

use akkoord_server::prerender::{csp_hash, insert, insert_static, Visitor};

/// `akkoord prerender`
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The HTML page that loads the banner.
    pub page: PathBuf,
    /// The banner config the page names in `data-config` (or holds inline).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// The banner's stylesheet.
    #[arg(long, default_value = "dist/akkoord.css")]
    pub css: PathBuf,
    /// Write the page to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// One page for every visitor (a static host): an inline script keeps the banner out of
    /// the first paint of a visitor with a stored choice.
    #[arg(long = "static")]
    pub static_host: bool,
}

fn read(path: &PathBuf, what: &str) -> Result<String, String> {
    std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the {what} {}: {e}", path.display()))
}

/// Exit 0 with the page written, 1 when this page gets no banner (no loader, no `<body>`, an
/// invalid config, a banner rendered already), 2 when a file cannot be read or written.
pub fn run(args: Args) -> ExitCode {
    let inputs = (|| {
        let html = read(&args.page, "page")?;
        let config = match &args.config {
            Some(path) => read(path, "config")?,
            None => akkoord_server::prerender::inline_config(&html)
                .map(str::to_string)
                .ok_or_else(|| {
                    format!(
                        "{} has no inline #akkoord-config: name the config with --config",
                        args.page.display()
                    )
                })?,
        };
        let css = read(&args.css, "stylesheet")?;
        Ok::<_, String>((html, config, css))
    })();
    let (html, config, css) = match inputs {
        Ok(inputs) => inputs,
        Err(message) => {
            eprintln!("akkoord prerender: {message}");
            return ExitCode::from(2);
        }
    };
    // A build that runs this on its own output would otherwise get "no banner" and a reason
    // that does not apply.
    if html.contains(akkoord::markup::MARKUP_ATTR) {
        eprintln!(
            "akkoord prerender: {} already has a rendered banner (data-akkoord-markup); run this on the page without it",
            args.page.display()
        );
        return ExitCode::from(1);
    }
    let now = akkoord_server::timestamp::now_secs();
    let page = if args.static_host {
        insert_static(&html, &config, &css, now).map(|page| {
            if !page.language_settled {
                eprintln!(
                    "akkoord prerender: {} has no <html lang> in the config's languages: a browser in another language gets the module's banner a moment later instead of the page's; set <html lang> (or the config's \"language\") so that every browser gets the page's",
                    args.page.display()
                );
            }
            eprintln!(
                "akkoord prerender: the page has an inline script and style; a Content-Security-Policy without 'unsafe-inline' (and without the loader's nonce on the page) needs script-src {} and style-src {}",
                csp_hash(&page.script),
                csp_hash(&page.style)
            );
            page.html
        })
    } else {
        insert(
            &html,
            &config,
            &css,
            &Visitor {
                now,
                ..Visitor::default()
            },
        )
    };
    let Some(page) = page else {
        eprintln!(
            "akkoord prerender: {} gets no banner: it needs the loader (a <script> whose src ends in /akkoord.js), a <body> tag and a valid config (akkoord check)",
            args.page.display()
        );
        return ExitCode::from(1);
    };
    match &args.output {
        Some(path) => match std::fs::write(path, page) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("akkoord prerender: cannot write {}: {e}", path.display());
                ExitCode::from(2)
            }
        },
        None => {
            print!("{page}");
            ExitCode::SUCCESS
        }
    }
}

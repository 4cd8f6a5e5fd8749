//! The objection list store (CA-04) and the removal file (CA-08), through the library and the
//! command.

use std::fs;
use std::process::Command;

use akkoord_audience::calendar::Day;
use akkoord_audience::hashing::{is_lower_hex64, sha256, to_hex};
use akkoord_audience::normalize::Country;
use akkoord_audience::objections::{hashes_of, import_list, ObjectionSet, Store};
use akkoord_audience::removals::write_removals;
use akkoord_audience::Platform;

fn day(s: &str) -> Day {
    Day::parse(s).unwrap()
}

#[test]
fn ca04_store_holds_hashes_and_dates_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("objections.txt");
    let mut store = Store::load_or_empty(&path).unwrap();
    let nl = Country::parse("NL");
    store.add(
        &hashes_of("Jan.Jansen@Example.com", nl).unwrap(),
        day("2026-11-01"),
    );
    store.add(&hashes_of("06-12345678", nl).unwrap(), day("2026-11-20"));
    store.save(&path).unwrap();

    let text = fs::read_to_string(&path).unwrap();
    assert!(!text.to_lowercase().contains("jansen") && !text.contains("12345678"));
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let parts: Vec<&str> = line.split(' ').collect();
        assert_eq!(parts.len(), 3, "{line}");
        assert!(is_lower_hex64(parts[0]));
        assert!(Day::parse(parts[1]).is_some());
    }

    let loaded = Store::load(&path).unwrap();
    assert_eq!(loaded.entries.len(), 3, "one e-mail form, two phone forms");
    assert_eq!(loaded.fingerprint(), store.fingerprint());
    let set = ObjectionSet::load(&path, None).unwrap();
    assert!(set.contains(&sha256(b"jan.jansen@example.com")));
    assert!(set.contains(&sha256(b"31612345678")));
    assert!(set.contains(&sha256(b"+31612345678")));
    assert_eq!(set.fingerprint, loaded.fingerprint());

    // Adding again keeps the first date; removing takes every form away.
    let mut again = loaded;
    assert_eq!(
        again.add(
            &hashes_of("jan.jansen@example.com", nl).unwrap(),
            day("2026-11-23")
        ),
        0
    );
    assert_eq!(again.since(day("2026-11-02")).len(), 2);
    assert_eq!(again.remove(&hashes_of("06 12345678", nl).unwrap()), 2);
    assert_eq!(again.entries.len(), 1);
}

#[test]
fn store_with_plaintext_is_refused_without_echoing_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("objections.txt");
    let h = to_hex(&sha256(b"x"));
    fs::write(&path, format!("# akkoord objection list v1\n{h} 2026-11-01 email\nsomeone@example.com 2026-11-02 email\n")).unwrap();
    let e = Store::load(&path).unwrap_err().to_string();
    assert!(
        e.ends_with("objections.txt:3: expected `<64 hex> <YYYY-MM-DD> [email|phone|hash]`"),
        "{e}"
    );
    assert!(!e.contains("someone"));
}

#[test]
fn ca04_import_plaintext_hashed_and_headerless_lists() {
    let dir = tempfile::tempdir().unwrap();
    let nl = Country::parse("NL");
    let csv = dir.path().join("bezwaar.csv");
    fs::write(
        &csv,
        "\u{feff}Naam;E-mailadres;Telefoon\nJan;jan@example.com;06-12345678\nPiet;geen;\n",
    )
    .unwrap();
    let imported = import_list(&csv, nl).unwrap();
    assert_eq!(imported.values, 2);
    assert_eq!(imported.unreadable_lines, vec![3]);

    let hashed = dir.path().join("hashed.txt");
    let h = to_hex(&sha256(b"jan@example.com")).to_uppercase();
    fs::write(&hashed, format!("{h}\n")).unwrap();
    let imported = import_list(&hashed, None).unwrap();
    assert_eq!(imported.hashes.len(), 1);
    assert_eq!(imported.hashes[0].0, sha256(b"jan@example.com"));

    let plain = dir.path().join("plain.txt");
    fs::write(&plain, "a@example.com\nb@example.com\n+31612345678\n").unwrap();
    assert_eq!(import_list(&plain, None).unwrap().values, 3);
}

#[test]
fn ca08_removals_since_date_per_platform() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("objections.txt");
    let nl = Country::parse("NL");
    let mut store = Store::default();
    store.add(
        &hashes_of("old@example.com", nl).unwrap(),
        day("2026-10-01"),
    );
    store.add(
        &hashes_of("new@example.com", nl).unwrap(),
        day("2026-11-20"),
    );
    store.add(&hashes_of("06-12345678", nl).unwrap(), day("2026-11-21"));
    store.save(&path).unwrap();

    let out = dir.path().join("meta-remove.csv");
    let s = write_removals(&path, day("2026-11-15"), Platform::Meta, &out).unwrap();
    assert_eq!((s.entries, s.rows, s.skipped_phone), (3, 3, 0));
    let text = fs::read_to_string(&out).unwrap();
    let new = to_hex(&sha256(b"new@example.com"));
    let phone = to_hex(&sha256(b"31612345678"));
    assert!(text.starts_with("email,phone\n"));
    assert!(text.contains(&format!("{new},\n")));
    assert!(text.contains(&format!(",{phone}\n")));
    assert!(!text.contains(&to_hex(&sha256(b"old@example.com"))));

    let out = dir.path().join("x-remove.csv");
    let s = write_removals(&path, day("2026-11-15"), Platform::X, &out).unwrap();
    assert_eq!((s.rows, s.skipped_phone), (1, 2));
    assert_eq!(fs::read_to_string(&out).unwrap(), format!("{new}\n"));
}

#[test]
fn objections_commands_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let bin = env!("CARGO_BIN_EXE_akkoord-audience");
    let run = |args: &[&str]| {
        let o = Command::new(bin)
            .current_dir(d)
            .args(args)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8(o.stdout).unwrap()
    };
    fs::write(d.join("list.csv"), "email\nweg@example.com\n").unwrap();
    run(&["objections", "import", "list.csv", "--date", "2026-11-01"]);
    run(&[
        "objections",
        "add",
        "later@example.com",
        "--date",
        "2026-11-22",
    ]);
    let listed = run(&["objections", "list"]);
    assert_eq!(listed.lines().count(), 2);
    assert!(!listed.contains("example.com"));

    fs::write(
        d.join("customers.csv"),
        "email;optin\nweg@example.com;ja\nlater@example.com;ja\nblijft@example.com;ja\n",
    )
    .unwrap();
    let summary = run(&[
        "build",
        "--platform",
        "meta",
        "--input",
        "customers.csv",
        "--objections",
        "objections.txt",
        "--out",
        "up.csv",
        "--report",
        "report.json",
    ]);
    assert!(summary.contains("suppressed           2"), "{summary}");
    let up = fs::read_to_string(d.join("up.csv")).unwrap();
    assert_eq!(up.lines().count(), 2);

    run(&[
        "removals",
        "--since",
        "2026-11-15",
        "--platform",
        "meta",
        "--out",
        "remove.csv",
    ]);
    let remove = fs::read_to_string(d.join("remove.csv")).unwrap();
    assert_eq!(
        remove,
        format!("email,phone\n{},\n", to_hex(&sha256(b"later@example.com")))
    );

    run(&["objections", "remove", "later@example.com"]);
    assert_eq!(run(&["objections", "list"]).lines().count(), 1);
}

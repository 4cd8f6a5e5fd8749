#!/usr/bin/env python3
"""Plain-Python baseline for scripts/bench-audience.sh: the same work as
`akkoord audience build --platform meta --country NL` (trim + lowercase e-mail, phone to digits
with country code, SHA-256 hex, objection-list suppression, opt-in check, dedupe), with only
the standard library's csv and hashlib. Usage: baseline.py customers.csv objections.csv out.csv
"""
import csv
import hashlib
import re
import sys

EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)*\.[^@\s.]{2,}$")
NON_DIGIT = re.compile(r"\D")
TRUTHY = {"true", "yes", "ja", "1", "y", "j", "waar"}
CUSTOMER = {"customer", "klant", "client", "bestaande klant"}


def sha(s):
    return hashlib.sha256(s.encode("utf-8")).hexdigest()


def email_norm(raw):
    e = raw.strip().lower()
    return e if EMAIL.match(e) else None


def phone_norm(raw, cc="31"):
    raw = raw.strip()
    if not raw:
        return None
    digits = NON_DIGIT.sub("", raw)
    if raw.startswith("+"):
        d = digits
    elif digits.startswith("00"):
        d = digits[2:]
    elif digits.startswith("0"):
        d = cc + digits.lstrip("0")
    elif digits.startswith(cc) and len(digits) > 9:
        d = digits
    else:
        d = cc + digits
    return d if 8 <= len(d) <= 15 and not d.startswith("0") else None


def main():
    customers, objections, out = sys.argv[1:4]
    with open(objections, newline="", encoding="utf-8-sig") as f:
        rows = csv.reader(f)
        next(rows, None)
        suppress = {sha(e) for e in (email_norm(r[0]) for r in rows if r) if e}

    counts = dict(input=0, invalid=0, suppressed=0, ineligible=0, duplicates=0, output=0)
    seen = set()
    with open(customers, newline="", encoding="utf-8-sig") as f, open(out, "w", newline="") as o:
        rows = csv.reader(f)
        header = [h.strip().lower() for h in next(rows)]
        ie, ip, is_, io = (header.index(n) for n in ("email", "phone", "status", "optin"))
        w = csv.writer(o, lineterminator="\n")
        w.writerow(["email", "phone"])
        for r in rows:
            counts["input"] += 1
            e = email_norm(r[ie])
            if e is None:
                counts["invalid"] += 1
                continue
            he = sha(e)
            p = phone_norm(r[ip])
            hp = sha(p) if p else ""
            if he in suppress or (hp and hp in suppress):
                counts["suppressed"] += 1
                continue
            customer = r[is_].strip().lower() in CUSTOMER
            if r[io].strip().lower() not in TRUTHY:
                counts["ineligible"] += 1
                continue
            if he in seen:
                counts["duplicates"] += 1
                continue
            seen.add(he)
            counts["output"] += 1
            w.writerow([he, hp])
    print(" ".join(f"{k}={v}" for k, v in counts.items()), file=sys.stderr)


if __name__ == "__main__":
    main()

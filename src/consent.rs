//! The visitor's decision as plain data.

/// How the visitor reached a decision; recorded with it (C-23).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// "Accept all" on either layer.
    AcceptAll,
    /// "Reject all" on either layer.
    RejectAll,
    /// "Save choices" with per-purpose toggles.
    Custom,
    /// Saved while Global Privacy Control held marketing denied (S-01).
    Gpc,
}

impl Method {
    /// The name used in receipts and the JS API.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::AcceptAll => "accept-all",
            Method::RejectAll => "reject-all",
            Method::Custom => "custom",
            Method::Gpc => "gpc",
        }
    }

    /// The one-letter code stored in the cookie.
    pub fn code(self) -> char {
        match self {
            Method::AcceptAll => 'a',
            Method::RejectAll => 'r',
            Method::Custom => 'c',
            Method::Gpc => 'g',
        }
    }

    /// Inverse of [`Method::code`].
    pub fn from_code(code: &str) -> Option<Method> {
        match code {
            "a" => Some(Method::AcceptAll),
            "r" => Some(Method::RejectAll),
            "c" => Some(Method::Custom),
            "g" => Some(Method::Gpc),
            _ => None,
        }
    }
}

/// The purpose that is always on and never stored.
pub const NECESSARY: &str = "necessary";

/// One decision: what the consent cookie holds, nothing more (C-23, C-24).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consent {
    /// The config `revision` the visitor decided on; a bump re-prompts.
    pub revision: u32,
    /// Decision time, unix seconds.
    pub decided_at: u64,
    /// How the decision was made.
    pub method: Method,
    /// Random id of this decision, to find its receipt.
    pub id: String,
    /// Purposes granted (never `necessary`).
    pub granted: Vec<String>,
    /// Purposes denied (never `necessary`).
    pub denied: Vec<String>,
}

impl Consent {
    /// Whether `purpose` may run. `necessary` always may; anything not explicitly
    /// granted may not (fail closed).
    pub fn allows(&self, purpose: &str) -> bool {
        purpose == NECESSARY || self.granted.iter().any(|p| p == purpose)
    }
}

//! Ed25519 signatures over stored receipts, so a receipt exported years later can be checked
//! by anyone holding the public key (GDPR art. 7(1), REFERENCE.md C-23: consent must be
//! demonstrable, and a signed record is harder to dispute than a row anyone could have edited).

use std::io::Write;
use std::path::Path;

use base64::Engine;
use ed25519_dalek::{Signature, Signer as _, SigningKey, Verifier, VerifyingKey};
use sha2::{Digest, Sha256};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

#[derive(Clone)]
pub struct Signer {
    key: SigningKey,
    key_id: String,
    public_b64: String,
}

impl std::fmt::Debug for Signer {
    // Never print the secret half, not even in a debug log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

/// First 16 hex characters of SHA-256 over the raw public key: short, stable, and enough to
/// tell keys apart after a rotation.
pub fn key_id(public: &VerifyingKey) -> String {
    let digest = Sha256::digest(public.as_bytes());
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

fn hex_decode(s: &str) -> Option<[u8; 32]> {
    let s = s.trim();
    if s.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

impl Signer {
    pub fn from_seed(seed: [u8; 32]) -> Signer {
        let key = SigningKey::from_bytes(&seed);
        let public = key.verifying_key();
        Signer {
            key_id: key_id(&public),
            public_b64: B64.encode(public.as_bytes()),
            key,
        }
    }

    /// Load the key kept beside the database, or make one on first start.
    ///
    /// The file holds the 32-byte seed in hex, mode 0600. Two servers starting at once on a new
    /// database end up with the same key (see the link below).
    pub fn load_or_create(path: &Path) -> Result<(Signer, bool), String> {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let seed = hex_decode(&text).ok_or_else(|| {
                    format!(
                        "{}: not an Ed25519 seed (64 hex characters)",
                        path.display()
                    )
                })?;
                Ok((Signer::from_seed(seed), false))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut seed = [0u8; 32];
                getrandom::getrandom(&mut seed)
                    .map_err(|e| format!("no randomness for a signing key: {e}"))?;
                // Written to a private temporary file first and then linked into place: the
                // link either appears complete or fails because another process (a second
                // server started at the same moment) linked its key first, in which case that
                // key is used. Nobody ever reads a half-written key.
                // Named by fresh random bytes (never by the seed) so concurrent starts in one
                // process or many never share a temporary file.
                let mut tag = [0u8; 8];
                getrandom::getrandom(&mut tag)
                    .map_err(|e| format!("no randomness for a signing key: {e}"))?;
                let tmp = {
                    let mut name = path.as_os_str().to_owned();
                    name.push(".tmp-");
                    name.push(tag.iter().map(|b| format!("{b:02x}")).collect::<String>());
                    std::path::PathBuf::from(name)
                };
                let mut options = std::fs::OpenOptions::new();
                options.write(true).create(true).truncate(true);
                #[cfg(unix)]
                {
                    use std::os::unix::fs::OpenOptionsExt;
                    options.mode(0o600);
                }
                let hex: String = seed.iter().map(|b| format!("{b:02x}")).collect();
                let written = options.open(&tmp).and_then(|mut file| {
                    file.write_all(format!("{hex}\n").as_bytes())?;
                    file.sync_all()
                });
                if let Err(e) = written {
                    let _ = std::fs::remove_file(&tmp);
                    return Err(format!("{}: {e}", tmp.display()));
                }
                let linked = std::fs::hard_link(&tmp, path);
                let _ = std::fs::remove_file(&tmp);
                match linked {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                        return Signer::load_or_create(path);
                    }
                    Err(e) => return Err(format!("{}: {e}", path.display())),
                }
                Ok((Signer::from_seed(seed), true))
            }
            Err(e) => Err(format!("{}: {e}", path.display())),
        }
    }

    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The raw 32-byte public key, base64.
    pub fn public_key_b64(&self) -> &str {
        &self.public_b64
    }

    /// Base64 of the 64-byte signature over `payload`.
    pub fn sign(&self, payload: &[u8]) -> String {
        B64.encode(self.key.sign(payload).to_bytes())
    }
}

/// Check a base64 signature over `payload` with a base64 public key.
pub fn verify(public_key_b64: &str, payload: &[u8], signature_b64: &str) -> bool {
    let Ok(public) = B64.decode(public_key_b64) else {
        return false;
    };
    let Ok(public) = <[u8; 32]>::try_from(public.as_slice()) else {
        return false;
    };
    let Ok(public) = VerifyingKey::from_bytes(&public) else {
        return false;
    };
    let Ok(signature) = B64.decode(signature_b64) else {
        return false;
    };
    let Ok(signature) = Signature::from_slice(&signature) else {
        return false;
    };
    public.verify(payload, &signature).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_and_verifies() {
        let signer = Signer::from_seed([7; 32]);
        let sig = signer.sign(b"receipt");
        assert!(verify(signer.public_key_b64(), b"receipt", &sig));
        assert!(!verify(signer.public_key_b64(), b"receipT", &sig));
        assert_eq!(signer.key_id().len(), 16);
    }

    #[test]
    fn servers_starting_together_share_one_key() {
        let dir = std::env::temp_dir().join(format!("akkoord-race-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("k.key");
        let _ = std::fs::remove_file(&path);
        let keys: Vec<String> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..8)
                .map(|_| scope.spawn(|| Signer::load_or_create(&path).unwrap().0))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap().public_key_b64().to_string())
                .collect()
        });
        assert!(keys.iter().all(|k| *k == keys[0]));
        assert_eq!(
            std::fs::read_dir(&dir).unwrap().count(),
            1,
            "temporary files left"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn key_is_created_once_and_reused() {
        let dir = std::env::temp_dir().join(format!("akkoord-key-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("k.key");
        let _ = std::fs::remove_file(&path);
        let (a, created) = Signer::load_or_create(&path).unwrap();
        assert!(created);
        let (b, created) = Signer::load_or_create(&path).unwrap();
        assert!(!created);
        assert_eq!(a.public_key_b64(), b.public_key_b64());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(&path, "nonsense").unwrap();
        assert!(Signer::load_or_create(&path).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}

//! A quarter of a million generated inputs through each parser that reads outside text (Key
//! URIs, Google Authenticator export payloads, Aegis vaults, push enrollment links), and some
//! sixty thousand through the other apps' exports: every one returns Ok or a typed error,
//! none panics. Inputs are mutations of real examples plus plain noise, from a seeded
//! generator, so a failure names the seed and the input and can be replayed.

use std::panic::{AssertUnwindSafe, catch_unwind};

use base64::Engine;
use pocket_core::otp::{parse_migration, parse_uri};
use pocket_core::push::parse_enrollment;
use pocket_core::transfer::read_backup;

/// At a million each, unoptimised, these tests alone took two and a half minutes of every
/// `make test`.
const INPUTS_PER_PARSER: usize = 250_000;
const THREADS: usize = 2;

/// xorshift64*: fast, seedable, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Pieces that matter to these grammars: separators, escapes, numbers at the edges,
/// non-ASCII, base32 and base64 alphabets.
const PIECES: &[&str] = &[
    "%",
    "%3A",
    "%3a",
    "%25",
    "%00",
    "%FF",
    "%E2%82%AC",
    ":",
    "/",
    "//",
    "?",
    "&",
    "=",
    "#",
    "+",
    " ",
    "\t",
    "\n",
    "@",
    "secret=",
    "issuer=",
    "digits=",
    "period=",
    "counter=",
    "algorithm=",
    "SHA1",
    "sha512",
    "MD5",
    "0",
    "-1",
    "7",
    "9",
    "99999999999999999999",
    "4294967296",
    "18446744073709551616",
    "otpauth://",
    "totp",
    "hotp",
    "steam",
    "pipush",
    "data=",
    "JBSWY3DP",
    "====",
    "é",
    "€",
    "😀",
    "\u{202e}",
    "\u{0}",
    "[::1]",
    "127.0.0.1:0",
    "url=",
    "ttl=",
    "v=",
    "serial=",
    "enrollment_credential=",
    "sslverify=0",
    "https://",
];

fn mutate(rng: &mut Rng, seed: &str) -> String {
    let mut text: Vec<char> = seed.chars().collect();
    for _ in 0..=rng.below(4) {
        let at = rng.below(text.len() + 1);
        match rng.below(7) {
            0 => {
                let end = (at + rng.below(8)).min(text.len());
                text.drain(at..end);
            }
            1 => {
                let piece: Vec<char> = rng.pick(PIECES).chars().collect();
                text.splice(at..at, piece);
            }
            2 if !text.is_empty() => {
                let i = rng.below(text.len());
                text[i] = char::from_u32(rng.below(0x250) as u32).unwrap_or('x');
            }
            3 => text.truncate(at),
            4 => {
                let end = (at + rng.below(16)).min(text.len());
                let copy: Vec<char> = text[at..end].to_vec();
                text.splice(at..at, copy);
            }
            5 if !text.is_empty() => {
                let i = rng.below(text.len());
                text[i] = text[i].to_ascii_uppercase();
            }
            _ => {
                let noise: String = (0..rng.below(12))
                    .map(|_| char::from(32 + rng.below(95) as u8))
                    .collect();
                text.splice(at..at, noise.chars());
            }
        }
    }
    text.into_iter().collect()
}

/// Runs `parse` on `count` inputs from `make`, over a few threads; panics name the input.
/// Both outcomes must be common, or the generator is not reaching the parser's depths.
fn hammer(name: &str, count: usize, make: fn(&mut Rng) -> String, parse: fn(&str) -> bool) {
    let share = hammer_any(name, count, make, |text: &String| parse(text));
    assert!(
        (0.01..0.99).contains(&share),
        "{name}: a share of {share} accepted"
    );
}

/// `hammer` for any kind of input; the share of inputs accepted.
fn hammer_any<T: std::fmt::Debug>(
    name: &str,
    count: usize,
    make: impl Fn(&mut Rng) -> T + Sync,
    parse: impl Fn(&T) -> bool + Sync,
) -> f64 {
    let (make, parse) = (&make, &parse);
    let accepted: usize = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..THREADS)
            .map(|thread| {
                scope.spawn(move || {
                    let seed = 0x9E37_79B9_7F4A_7C15 ^ (thread as u64 + 1);
                    let mut rng = Rng(seed);
                    let mut accepted = 0;
                    for n in 0..count / THREADS {
                        let input = make(&mut rng);
                        match catch_unwind(AssertUnwindSafe(|| parse(&input))) {
                            Ok(ok) => accepted += usize::from(ok),
                            Err(_) => {
                                panic!("{name} panicked on input {n} of thread {thread}: {input:?}")
                            }
                        }
                    }
                    accepted
                })
            })
            .collect();
        // A worker's panic is the test's failure: passed on, never counted as zero.
        workers
            .into_iter()
            .map(|w| {
                w.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .sum()
    });
    accepted as f64 / count as f64
}

fn key_uri(rng: &mut Rng) -> String {
    const SEEDS: &[&str] = &[
        "otpauth://totp/ACME%20Co:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=ACME%20Co&algorithm=SHA256&digits=8&period=60",
        "otpauth://hotp/Example:bob?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=42&digits=7",
        "otpauth://totp/Steam:carol?secret=JBSWY3DPEHPK3PXP&issuer=Steam&encoder=steam",
        "otpauth://totp/alice?secret=jbsw%20y3dp%20ehpk%203pxp%3D%3D%3D%3D&period=15",
    ];
    if rng.below(10) == 0 {
        return (0..rng.below(80))
            .map(|_| char::from(rng.below(128) as u8))
            .collect();
    }
    let seed = *rng.pick(SEEDS);
    mutate(rng, seed)
}

fn enrollment(rng: &mut Rng) -> String {
    const SEEDS: &[&str] = &[
        "otpauth://pipush/PIPU0001?url=https%3A%2F%2Fpi.example.com%2Fttype%2Fpush&ttl=10&issuer=privacyIDEA&enrollment_credential=abc123&v=1&serial=PIPU0001&sslverify=1&poll_only=True",
        "otpauth://pipush/alice@example.com?url=http%3A%2F%2F127.0.0.1%3A8087%2Fttype%2Fpush&ttl=2&issuer=Pocket+reference&enrollment_credential=d28f&v=1&serial=PKT61EC&sslverify=1",
        "pia://pipush/PIPU0002?url=https://pi.example.com/ttype/push&serial=PIPU0002&v=1",
    ];
    let seed = *rng.pick(SEEDS);
    mutate(rng, seed)
}

/// A protobuf field key, then a varint.
fn varint_field(out: &mut Vec<u8>, field: u8, value: u64) {
    out.push(field << 3);
    varint(out, value);
}

fn varint(out: &mut Vec<u8>, mut value: u64) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn bytes_field(out: &mut Vec<u8>, field: u8, bytes: &[u8]) {
    out.push(field << 3 | 2);
    varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

/// A well-formed export payload with a few accounts, then byte-level damage.
fn migration(rng: &mut Rng) -> String {
    let mut payload = Vec::new();
    for _ in 0..=rng.below(3) {
        let mut account = Vec::new();
        let secret: Vec<u8> = (0..[10, 16, 20, 32][rng.below(4)])
            .map(|_| rng.next() as u8)
            .collect();
        bytes_field(&mut account, 1, &secret);
        bytes_field(&mut account, 2, b"alice@example.com");
        bytes_field(&mut account, 3, b"ACME");
        varint_field(&mut account, 4, rng.below(6) as u64);
        varint_field(&mut account, 5, rng.below(4) as u64);
        varint_field(&mut account, 6, rng.below(4) as u64);
        if rng.below(2) == 0 {
            varint_field(&mut account, 7, rng.next() >> rng.below(64));
        }
        bytes_field(&mut payload, 1, &account);
    }
    varint_field(&mut payload, 2, 1);
    varint_field(&mut payload, 3, rng.below(5) as u64);
    varint_field(&mut payload, 4, rng.below(5) as u64);
    varint_field(&mut payload, 5, rng.next() >> 33);
    for _ in 0..rng.below(6) {
        let at = rng.below(payload.len() + 1);
        match rng.below(4) {
            0 if at < payload.len() => payload[at] = rng.next() as u8,
            1 => payload.truncate(at),
            2 => payload.insert(at, rng.next() as u8),
            _ => payload
                .splice(at..at, [0xff, 0xff, 0xff, 0xff, 0x0f])
                .for_each(drop),
        }
    }
    let data = base64::engine::general_purpose::STANDARD.encode(&payload);
    let data: String = url::form_urlencoded::byte_serialize(data.as_bytes()).collect();
    let uri = format!("otpauth-migration://offline?data={data}");
    if rng.below(8) == 0 {
        mutate(rng, &uri)
    } else {
        uri
    }
}

const PLAIN_VAULT: &str = r#"{"version": 1, "header": {"slots": null, "params": null}, "db": {"version": 3, "entries": [
 {"type": "totp", "uuid": "a", "name": "alice", "issuer": "ACME", "icon": null, "info": {"secret": "JBSWY3DPEHPK3PXP", "algo": "SHA256", "digits": 8, "period": 30}},
 {"type": "hotp", "uuid": "b", "name": "bob", "issuer": "", "info": {"secret": "JBSWY3DPEHPK3PXP", "algo": "SHA1", "digits": 6, "counter": 3}},
 {"type": "steam", "uuid": "c", "name": "carol", "issuer": "Steam", "info": {"secret": "JBSWY3DPEHPK3PXP", "algo": "SHA1", "digits": 5, "period": 30}}],
 "groups": []}}"#;

/// An encrypted vault whose scrypt cost is cut to nothing, so many of them can be tried:
/// the decryption paths run, and fail, without minutes of key derivation.
const CHEAP_ENCRYPTED_VAULT: &str = r#"{"version": 1, "header": {"slots": [
 {"type": 1, "uuid": "s", "key": "8a1d4ec1b3f0a9e2c35f6b7a0d9e8c7b6a5f4e3d2c1b0a99887766554433221100ffeeddccbbaa99", "key_params": {"nonce": "00112233445566778899aabb", "tag": "00112233445566778899aabbccddeeff"}, "n": 2, "r": 1, "p": 1, "salt": "a1b2c3d4"},
 {"type": 2, "uuid": "t", "key": "00", "key_params": {"nonce": "00", "tag": "00"}}],
 "params": {"nonce": "00112233445566778899aabb", "tag": "00112233445566778899aabbccddeeff"}},
 "db": "3q2+7wAAAAA="}"#;

fn aegis(rng: &mut Rng) -> String {
    let seed = if rng.below(3) == 0 {
        CHEAP_ENCRYPTED_VAULT
    } else {
        PLAIN_VAULT
    };
    mutate(rng, seed)
}

#[test]
fn aegis_vaults_and_link_lists_never_panic() {
    hammer("read_backup", INPUTS_PER_PARSER, aegis, |text| {
        read_backup(text.as_bytes(), Some("password")).is_ok()
    });
}

/// One small export of each other app, plain, and encrypted where the file names a key
/// derivation that can be made cheap: the readers' every branch, without seconds per input.
const OTHER_APPS: &[&str] = &[
    r#"{"services":[{"name":"GitHub","secret":"JBSWY3DPEHPK3PXP","otp":{"account":"a","digits":6,"period":30,"algorithm":"SHA1","tokenType":"TOTP","counter":0}},{"name":"H","secret":"JBSWY3DP","otp":{"label":"H:h","tokenType":"HOTP","counter":3}}],"groups":[],"schemaVersion":4}"#,
    r#"[{"secret":"JBSWY3DPEHPK3PXP","issuer":"A","label":"a","digits":6,"type":"TOTP","algorithm":"SHA1","period":30},{"secret":"JBSWY3DP","issuer":"","label":"B:b","digits":5,"type":"STEAM","algorithm":"SHA1"}]"#,
    r#"{"encrypted":false,"items":[{"type":1,"name":"A","login":{"username":"a","totp":"otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP"}},{"type":1,"name":"S","login":{"totp":"steam://JBSWY3DP"}},{"type":1,"name":"K","login":{"username":"k","totp":"jbsw y3dp"}}]}"#,
    "folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\n,,login,A,\"x,y\",,0,,a,p,JBSWY3DPEHPK3PXP\n",
    "otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP&issuer=A&codeDisplay=%7B%22trashed%22%3Afalse%7D\n\"otpauth://steam/S:s?secret=JBSWY3DP\"\n",
    r#"{"version":1,"entries":[{"id":"1","content":{"uri":"otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP","entry_type":"Totp","name":"a"}},{"id":"2","content":{"uri":"steam://JBSWY3DP","entry_type":"Steam","name":"s"}}]}"#,
    r#"{"tokenOrder":["A:a"],"tokens":[{"algo":"SHA1","counter":0,"digits":6,"issuerExt":"A","label":"a","period":30,"secret":[1,-2,3,-4,5],"type":"TOTP"}]}"#,
    r#"{"Authenticators":[{"Type":2,"Issuer":"A","Username":"a","Secret":"JBSWY3DPEHPK3PXP","Algorithm":0,"Digits":6,"Period":30},{"Type":1,"Issuer":"H","Secret":"JBSWY3DP","Counter":4}]}"#,
    // Bitwarden protected with one PBKDF2 iteration; Ente with Argon2's least memory.
    r#"{"encrypted":true,"passwordProtected":true,"salt":"c2FsdA==","kdfType":0,"kdfIterations":1,"encKeyValidation_DO_NOT_EDIT":"2.AAAAAAAAAAAAAAAAAAAAAA==|AAAAAAAAAAAAAAAAAAAAAA==|AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","data":"2.AAAAAAAAAAAAAAAAAAAAAA==|AAAAAAAAAAAAAAAAAAAAAA==|AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}"#,
    r#"{"version":1,"kdfParams":{"memLimit":8192,"opsLimit":1,"salt":"AAAAAAAAAAAAAAAAAAAAAA=="},"encryptedData":"AAAAAAAAAAAAAAAAAAAAAAAA","encryptionNonce":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}"#,
    // The second wave: LastPass, FreeOTP 1, a Steam maFile, Proton Pass unzipped, 2FAS's
    // first schema, a TOTP Authenticator backup.
    r#"{"version":3,"accounts":[{"issuerName":"A","originalIssuerName":"A","userName":"","originalUserName":"a","secret":"JBSWY3DPEHPK3PXP","timeStep":30,"digits":6,"algorithm":"SHA1","folderData":{"folderId":1,"position":0}}],"folders":[]}"#,
    "<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n<map>\n<string name=\"A:a\">{&quot;algo&quot;:&quot;SHA1&quot;,&quot;counter&quot;:3,&quot;digits&quot;:6,&quot;issuerExt&quot;:&quot;A&quot;,&quot;label&quot;:&quot;a&quot;,&quot;secret&quot;:[1,-2,3,-4,5,6,7,8,9,10],&quot;type&quot;:&quot;HOTP&quot;}</string>\n<string name=\"tokenOrder\">[&quot;A:a&quot;]</string>\n</map>\n",
    r#"{"shared_secret":"AAECAwQFBgcICQoLDA0ODxAREhM=","account_name":"gamer","serial_number":"1"}"#,
    r#"{"encrypted":false,"vaults":{"s":{"name":"P","items":[{"state":1,"data":{"metadata":{"name":"A"},"type":"login","content":{"itemEmail":"a@b","totpUri":"otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP"},"extraFields":[{"fieldName":"x","type":"totp","data":{"totpUri":"JBSWY3DP"}}]}}]}}}"#,
    r#"{"schemaVersion":1,"services":[{"name":"A","secret":"JBSWY3DPEHPK3PXP","otp":{"account":"a","issuer":"A"}}]}"#,
    "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODkrLw==",
    // Raivo, Duo, Battle.net.
    r#"[{"issuer":"A","account":"a","secret":"JBSWY3DPEHPK3PXP","algorithm":"SHA1","digits":"6","kind":"HOTP","timer":"30","counter":"4"}]"#,
    r#"[{"accountType":"OtpAccount","name":"A","pkey":"p","otpGenerator":{"otpSecret":"JBSWY3DPEHPK3PXP","counter":2}},{"accountType":"DuoAccount","name":"B","pkey":"q"}]"#,
    "<map><string name=\"com.blizzard.bma.AUTH_STORE.HASH\">09ec179861450806035080d113c5f05e62f67316110eec1bd495a9cdb65a3cb3f93b1f80b80b4507f0c8894e25fb5d494b31692d76b8bc5fac</string></map>",
];

fn other_app(rng: &mut Rng) -> String {
    let seed = *rng.pick(OTHER_APPS);
    mutate(rng, seed)
}

#[test]
fn other_apps_exports_never_panic() {
    hammer("read_backup", INPUTS_PER_PARSER / 4, other_app, |text| {
        read_backup(text.as_bytes(), Some("password")).is_ok()
    });
}

/// The harness itself: a parser that panics on some inputs fails the test.
#[test]
#[should_panic(expected = "panicked on input")]
fn the_harness_fails_when_a_parser_panics() {
    hammer("a parser that panics", 10_000, key_uri, |text| {
        assert!(!text.contains('%'), "found a percent sign");
        text.len() % 2 == 0
    });
}

#[test]
fn key_uris_never_panic() {
    hammer("parse_uri", INPUTS_PER_PARSER, key_uri, |text| {
        parse_uri(text).is_ok()
    });
}

#[test]
fn export_payloads_never_panic() {
    hammer("parse_migration", INPUTS_PER_PARSER, migration, |text| {
        parse_migration(text).is_ok()
    });
}

#[test]
fn push_enrollment_links_never_panic() {
    hammer("parse_enrollment", INPUTS_PER_PARSER, enrollment, |text| {
        parse_enrollment(text).is_ok()
    });
}

mod binary;

//! How a server is reached, when that itself is the problem: an error the user may accept.

/// What is wrong with how a server is reached. Either lets anyone on the network between the
/// phone and the server read and change what passes, and so answer logins in the user's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportRisk {
    /// `http://` to another machine: nothing is encrypted.
    PlainHttp,
    /// `https://` with `sslverify=0`: encrypted, but to whoever answers.
    CertificateUnchecked,
}

impl TransportRisk {
    /// The kind of error the UI explains and asks the user to accept.
    pub fn kind(self) -> super::ErrorKind {
        match self {
            TransportRisk::PlainHttp => super::ErrorKind::InsecureServer,
            TransportRisk::CertificateUnchecked => super::ErrorKind::CertificateUnchecked,
        }
    }

    pub fn code(self) -> &'static str {
        self.kind().code()
    }

    /// Finishes "{host} is reached …" for logs and the command line.
    pub fn explain(self) -> &'static str {
        match self {
            TransportRisk::PlainHttp => {
                "over plain HTTP: anyone on the network can read and change what passes, and answer logins in your name"
            }
            TransportRisk::CertificateUnchecked => {
                "without checking its certificate (sslverify=0): anyone on the network can pose as it, read and change what passes, and answer logins in your name"
            }
        }
    }
}

//! The pages' words in English and Dutch, chosen from the browser's Accept-Language.

use axum::http::HeaderMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Nl,
}

impl Lang {
    /// The first of the browser's languages that we have; English otherwise.
    pub fn from_headers(headers: &HeaderMap) -> Lang {
        let accepted = headers
            .get("accept-language")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        for part in accepted.split(',') {
            let tag = part
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            match tag.split('-').next() {
                Some("nl") => return Lang::Nl,
                Some("en") => return Lang::En,
                _ => {}
            }
        }
        Lang::En
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Nl => "nl",
        }
    }

    pub fn t(self, key: Key) -> &'static str {
        use Key::*;
        match (self, key) {
            (Lang::En, LoginTitle) => "Log in",
            (Lang::Nl, LoginTitle) => "Inloggen",
            (Lang::En, Email) => "E-mail address",
            (Lang::Nl, Email) => "E-mailadres",
            (Lang::En, Password) => "Password",
            (Lang::Nl, Password) => "Wachtwoord",
            (Lang::En, LogIn) => "Log in",
            (Lang::Nl, LogIn) => "Inloggen",
            (Lang::En, WrongPassword) => "The e-mail address or the password is not right.",
            (Lang::Nl, WrongPassword) => "Het e-mailadres of het wachtwoord klopt niet.",
            (Lang::En, TooManyAttempts) => {
                "Too many wrong attempts. Wait a few minutes and try again."
            }
            (Lang::Nl, TooManyAttempts) => {
                "Te veel mislukte pogingen. Wacht een paar minuten en probeer het opnieuw."
            }
            (Lang::En, FormExpired) => "This form has expired. Reload the page and try again.",
            (Lang::Nl, FormExpired) => {
                "Dit formulier is verlopen. Laad de pagina opnieuw en probeer het nog eens."
            }
            (Lang::En, SignedInAs) => "You are logged in as",
            (Lang::Nl, SignedInAs) => "Je bent ingelogd als",
            (Lang::En, LogOut) => "Log out",
            (Lang::Nl, LogOut) => "Uitloggen",
            (Lang::En, ServiceName) => "Pocket reference service",
            (Lang::Nl, ServiceName) => "Pocket-referentiedienst",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    LoginTitle,
    Email,
    Password,
    LogIn,
    WrongPassword,
    TooManyAttempts,
    FormExpired,
    SignedInAs,
    LogOut,
    ServiceName,
}

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

    /// "2 minutes", "20 seconds": a duration as the pages say it.
    pub fn duration(self, seconds: i64) -> String {
        if seconds >= 60 && seconds % 60 == 0 {
            self.t(Key::Minutes)
                .replace("{n}", &(seconds / 60).to_string())
        } else {
            self.t(Key::Seconds).replace("{n}", &seconds.to_string())
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
            (Lang::En, TooManyAttempts) => "Too many wrong attempts. Try again in {time}.",
            (Lang::Nl, TooManyAttempts) => {
                "Te veel mislukte pogingen. Probeer het over {time} opnieuw."
            }
            (Lang::En, ConfirmPassword) => {
                "Pocket is on for your account already. To switch to a new phone, enter your password."
            }
            (Lang::Nl, ConfirmPassword) => {
                "Pocket staat al aan voor je account. Voer je wachtwoord in om over te stappen op een nieuwe telefoon."
            }
            (Lang::En, SendTestRequest) => "Send a test request to my phone",
            (Lang::Nl, SendTestRequest) => "Stuur een testverzoek naar mijn telefoon",
            (Lang::En, TestRequestQuestion) => {
                "A test from the security page: nothing logs in, whatever you answer."
            }
            (Lang::Nl, TestRequestQuestion) => {
                "Een test vanaf de beveiligingspagina: er logt niets in, wat je ook antwoordt."
            }
            (Lang::En, TestWoken) => {
                "Sent, and handed to your phone's push service: Pocket shows it even while closed."
            }
            (Lang::Nl, TestWoken) => {
                "Verstuurd en afgegeven aan de pushdienst van je telefoon: Pocket toont het ook als het dicht is."
            }
            (Lang::En, TestPolled) => {
                "Sent. Your phone is not woken (it has no UnifiedPush distributor): Pocket shows the request while it is open."
            }
            (Lang::Nl, TestPolled) => {
                "Verstuurd. Je telefoon wordt niet gewekt (hij heeft geen UnifiedPush-distributor): Pocket toont het verzoek zolang het open is."
            }
            (Lang::En, TestRetrying) => {
                "Sent; your phone's push service is busy and is tried again."
            }
            (Lang::Nl, TestRetrying) => {
                "Verstuurd; de pushdienst van je telefoon is bezet en wordt opnieuw geprobeerd."
            }
            (Lang::En, TestFailed) => {
                "Sent, but the wake-up did not reach your phone's push service ({reason}): Pocket shows the request while it is open."
            }
            (Lang::Nl, TestFailed) => {
                "Verstuurd, maar de wekker bereikte de pushdienst van je telefoon niet ({reason}): Pocket toont het verzoek zolang het open is."
            }
            (Lang::En, TestNotNow) => {
                "Not sent: answer the requests already waiting on your phone first."
            }
            (Lang::Nl, TestNotNow) => {
                "Niet verstuurd: beantwoord eerst de verzoeken die al op je telefoon wachten."
            }
            (Lang::En, SwitchToNewPhone) => "Switch to a new phone",
            (Lang::Nl, SwitchToNewPhone) => "Overstappen op een nieuwe telefoon",
            (Lang::En, FormExpired) => "This form has expired. Reload the page and try again.",
            (Lang::Nl, FormExpired) => {
                "Dit formulier is verlopen. Laad de pagina opnieuw en probeer het nog eens."
            }
            (Lang::En, SignedInAs) => "You are logged in as",
            (Lang::Nl, SignedInAs) => "Je bent ingelogd als",
            (Lang::En, LogOut) => "Log out",
            (Lang::Nl, LogOut) => "Uitloggen",
            (Lang::En, SecurityTitle) => "Security",
            (Lang::Nl, SecurityTitle) => "Beveiliging",
            (Lang::En, SwitchToPocket) => "Switch to Pocket",
            (Lang::Nl, SwitchToPocket) => "Overstappen op Pocket",
            (Lang::En, SwitchExplain) => {
                "Logins will ask for your approval in the Pocket app. One scan sets up both the one-tap approval and a 6-digit code to type when no request arrives."
            }
            (Lang::Nl, SwitchExplain) => {
                "Inloggen vraagt dan om je goedkeuring in de Pocket-app. Eén scan stelt zowel de goedkeuring met één tik in als een code van 6 cijfers om in te typen als er geen verzoek binnenkomt."
            }
            (Lang::En, ScanThis) => {
                "Scan this code with Pocket within {time}. On a computer, Pocket can scan it from the screen, or paste this link:"
            }
            (Lang::Nl, ScanThis) => {
                "Scan deze code binnen {time} met Pocket. Op een computer kan Pocket hem van het scherm scannen, of plak deze link:"
            }
            (Lang::En, Minutes) => "{n} minutes",
            (Lang::Nl, Minutes) => "{n} minuten",
            (Lang::En, Seconds) => "{n} seconds",
            (Lang::Nl, Seconds) => "{n} seconden",
            (Lang::En, Paired) => "Pocket is on for your account.",
            (Lang::Nl, Paired) => "Pocket staat aan voor je account.",
            (Lang::En, CodeExpired) => "This code has expired.",
            (Lang::Nl, CodeExpired) => "Deze code is verlopen.",
            (Lang::En, ShowNewCode) => "Show a new code",
            (Lang::Nl, ShowNewCode) => "Toon een nieuwe code",
            (Lang::En, AcceptInPocket) => "Accept the request in Pocket on your phone.",
            (Lang::Nl, AcceptInPocket) => "Accepteer het verzoek in Pocket op je telefoon.",
            (Lang::En, NoNotification) => "No notification? Type the code from Pocket",
            (Lang::Nl, NoNotification) => "Geen melding? Typ de code uit Pocket",
            (Lang::En, Code) => "6-digit code",
            (Lang::Nl, Code) => "Code van 6 cijfers",
            (Lang::En, Verify) => "Verify",
            (Lang::Nl, Verify) => "Controleren",
            (Lang::En, WrongCode) => "That code is not right, or it was used already.",
            (Lang::Nl, WrongCode) => "Die code klopt niet, of is al gebruikt.",
            (Lang::En, Rejected) => "The login was rejected in Pocket.",
            (Lang::Nl, Rejected) => "Het inloggen is geweigerd in Pocket.",
            (Lang::En, RequestExpired) => "The request expired. Log in again.",
            (Lang::Nl, RequestExpired) => "Het verzoek is verlopen. Log opnieuw in.",
            (Lang::En, LoginQuestion) => "Log in to the Pocket reference service?",
            (Lang::Nl, LoginQuestion) => "Inloggen bij de Pocket-referentiedienst?",
            (Lang::En, PickNumber) => "In Pocket, pick this number:",
            (Lang::Nl, PickNumber) => "Kies in Pocket dit getal:",
            (Lang::En, TooManyOpenRequests) => {
                "Pocket already has login requests waiting. Answer one of them, or type the code from Pocket here."
            }
            (Lang::Nl, TooManyOpenRequests) => {
                "Er wachten al inlogverzoeken in Pocket. Beantwoord er een, of typ hier de code uit Pocket."
            }
            (Lang::En, PushPaused) => {
                "Several requests were rejected in Pocket, so requests are paused for 10 minutes. If that was you, type the code from Pocket here. If not, someone else may know your password."
            }
            (Lang::Nl, PushPaused) => {
                "Er zijn meerdere verzoeken geweigerd in Pocket, dus verzoeken zijn 10 minuten gepauzeerd. Was jij dat, typ dan hier de code uit Pocket. Zo niet, dan kent iemand anders misschien je wachtwoord."
            }
            (Lang::En, AccountTitle) => "Your account",
            (Lang::Nl, AccountTitle) => "Je account",
            (Lang::En, BackToAccount) => "Back to your account",
            (Lang::Nl, BackToAccount) => "Terug naar je account",
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
    ConfirmPassword,
    SwitchToNewPhone,
    SendTestRequest,
    TestRequestQuestion,
    TestWoken,
    TestPolled,
    TestRetrying,
    TestFailed,
    TestNotNow,
    FormExpired,
    SignedInAs,
    LogOut,
    ServiceName,
    SecurityTitle,
    SwitchToPocket,
    SwitchExplain,
    ScanThis,
    Minutes,
    Seconds,
    Paired,
    CodeExpired,
    ShowNewCode,
    AcceptInPocket,
    NoNotification,
    Code,
    Verify,
    WrongCode,
    Rejected,
    RequestExpired,
    LoginQuestion,
    PickNumber,
    AccountTitle,
    BackToAccount,
    TooManyOpenRequests,
    PushPaused,
}

//! The QA tool's tests, one module each: its commands as users run them (`cli_*`), the test
//! corpus, and the reference login service (`push_*`, `web_*`). One binary, so the workspace
//! links one test program here instead of one per file.

mod cli_hostile;
mod cli_import;
mod cli_inspect;
mod common;
mod corpus;
mod push_limits;
mod push_service;
mod videos;
mod wakeups;
mod web_attacks;
mod web_limits;
mod web_login;
mod web_pairing;

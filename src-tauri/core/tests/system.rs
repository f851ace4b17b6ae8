//! pocket-core's tests from outside the crate, one module each: privacyIDEA's captured
//! replies, a hostile push server, the modules' floors, parsers fed garbage, and the URI
//! table. One binary, so the workspace links one test program here instead of one per file.

mod golden_privacyidea;
mod hostile_push_server;
mod layers;
mod parsers_never_panic;
mod support;
mod uri_table;

//! pocket-relay's tests, one module each: delivery through the gateway to local stand-ins of
//! the push services, and the binary as operators run it. One binary, so the workspace links
//! one test program here instead of one per file.

mod binary;
mod delivery;
mod interop;

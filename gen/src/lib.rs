//! pocket-gen's library: what its commands and its benchmarks share.

pub mod corpus;
pub mod device;
pub mod qr;
pub mod service;
pub mod video;

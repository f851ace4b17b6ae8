//! How Pocket's window starts, apart from the domain: which way WebKit draws, and the report
//! of where start-up time goes that `make bench` reads. The app, the benchmark's blank-window
//! peer and the benchmark share it.

pub mod report;
pub mod webview;

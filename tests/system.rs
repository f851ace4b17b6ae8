//! Pocket's system tests, one module each: the real app window (`e2e_*`), a real privacyIDEA
//! (`interop_*`), independent implementations (`peers_*`), crash safety, TLS, and the
//! harness's own deadlines (`harness`). One binary, so the workspace links one test program
//! here instead of one per file; `tests/README.md` says how to run one.

mod crash_vault;
mod e2e_accounts;
mod e2e_app_web;
mod e2e_backups;
mod e2e_camera;
mod e2e_clock;
mod e2e_containers;
mod e2e_icons;
mod e2e_keyboard;
mod e2e_layout;
mod e2e_lock;
mod e2e_push;
mod e2e_reorder;
mod e2e_scan;
mod e2e_screen_reader;
mod e2e_screen_reader_screens;
mod e2e_transfer;
mod e2e_wakeup;
mod e2e_web;
mod harness;
mod interop_containers;
mod interop_gen_device;
mod interop_privacyidea;
mod peers_aegis;
mod peers_formats;
mod peers_migration;
mod peers_otp;
mod tls_company_ca;

//! How the desktop webview draws. WebKitGTK draws pages with Skia on the GPU by default. On a
//! Linux machine without a GPU (no DRM render node: a virtual machine, a container, a CI
//! runner) that "GPU" is Mesa's llvmpipe, which compiles each new shader with LLVM on the
//! CPU: there the first frame of Pocket's home screen took some 150 ms to draw, and some 40 ms
//! drawn by Skia on the CPU (`make bench`). So without a render node Pocket has WebKit draw on
//! the CPU, unless the user's environment says otherwise.

use std::ffi::OsStr;
use std::path::Path;

/// WebKitGTK's switch to Skia's CPU drawing.
pub const CPU_DRAWING_VARIABLE: &str = "WEBKIT_SKIA_ENABLE_CPU_RENDERING";

/// Where the kernel lists the GPUs' device nodes.
const DRI_DIR: &str = "/dev/dri";

/// Whether WebKit should draw on the CPU: the user set nothing, and `dri_dir` has no render
/// node (`renderD128` and on), so any GL there is a software one.
fn draws_on_cpu(dri_dir: &Path, chosen: Option<&OsStr>) -> bool {
    if chosen.is_some() {
        return false;
    }
    let has_render_node = std::fs::read_dir(dri_dir).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|entry| entry.file_name().to_string_lossy().starts_with("renderD"))
    });
    !has_render_node
}

/// Chooses how the webview draws on this machine (on Linux desktops; elsewhere nothing).
///
/// # Safety
///
/// It may set an environment variable: call it before any other thread starts, as the first
/// thing in `main`, when nothing can read the environment at the same time.
pub unsafe fn choose_drawing() {
    if cfg!(all(target_os = "linux", not(target_os = "android")))
        && draws_on_cpu(
            Path::new(DRI_DIR),
            std::env::var_os(CPU_DRAWING_VARIABLE).as_deref(),
        )
    {
        // SAFETY: the caller promises no other thread runs yet.
        unsafe { std::env::set_var(CPU_DRAWING_VARIABLE, "1") };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_machine_without_a_render_node_draws_on_the_cpu() {
        let dri = tempfile::tempdir().unwrap();
        assert!(draws_on_cpu(dri.path(), None), "an empty /dev/dri");
        assert!(
            draws_on_cpu(&dri.path().join("absent"), None),
            "no /dev/dri at all"
        );
        std::fs::write(dri.path().join("card0"), "").unwrap();
        assert!(
            draws_on_cpu(dri.path(), None),
            "a display node draws nothing itself"
        );
        std::fs::write(dri.path().join("renderD128"), "").unwrap();
        assert!(!draws_on_cpu(dri.path(), None), "a GPU");
    }

    #[test]
    fn the_users_own_choice_stays() {
        let dri = tempfile::tempdir().unwrap();
        assert!(!draws_on_cpu(dri.path(), Some(OsStr::new("0"))));
        assert!(!draws_on_cpu(dri.path(), Some(OsStr::new("1"))));
    }
}

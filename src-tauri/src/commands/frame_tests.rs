//! Camera frames through the IPC as each platform's webview sends them: raw bytes with their
//! size in headers (desktop), base64 text (Android); the first code is reported as any scan.

use serde_json::json;
use tauri::http::{HeaderMap, HeaderValue};
use tauri::ipc::InvokeBody;

use super::tests::{app, invoke_with_headers};

const URI: &str = "otpauth://totp/ACME:alice?secret=JBSWY3DPEHPK3PXP&issuer=ACME";

/// A 320 × 240 grey frame with the QR code of `URI` in the middle.
fn frame_with_code() -> Vec<u8> {
    let code = qrcode::QrCode::new(URI).unwrap();
    let picture = code
        .render::<image::Luma<u8>>()
        .module_dimensions(3, 3)
        .build();
    let mut frame = vec![128u8; 320 * 240];
    let (x0, y0) = ((320 - picture.width()) / 2, (240 - picture.height()) / 2);
    for (x, y, pixel) in picture.enumerate_pixels() {
        frame[((y0 + y) * 320 + x0 + x) as usize] = pixel[0];
    }
    frame
}

fn size(width: &str, height: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("x-frame-width", HeaderValue::from_str(width).unwrap());
    headers.insert("x-frame-height", HeaderValue::from_str(height).unwrap());
    headers
}

#[test]
fn a_frame_comes_in_as_raw_bytes_or_as_androids_base64_and_its_code_is_reported() {
    use base64::Engine;
    let (_app, window, _dir) = app();
    let frame = frame_with_code();
    let text = base64::engine::general_purpose::STANDARD.encode(&frame);
    for body in [
        InvokeBody::Raw(frame.clone()),
        InvokeBody::Json(json!({ "frame": text })),
    ] {
        let report = invoke_with_headers(&window, "scan_frame", body, size("320", "240")).unwrap();
        assert_eq!(report["items"][0]["kind"], "account", "{report}");
        assert_eq!(report["items"][0]["issuer"], "ACME");
    }
    // No code in view: no report, and the camera goes on.
    let empty = InvokeBody::Raw(vec![128u8; 320 * 240]);
    assert_eq!(
        invoke_with_headers(&window, "scan_frame", empty, size("320", "240")),
        Ok(json!(null))
    );
}

#[test]
fn a_frame_without_its_size_or_with_the_wrong_one_is_refused() {
    let (_app, window, _dir) = app();
    let send = |body: InvokeBody, headers: HeaderMap| {
        invoke_with_headers(&window, "scan_frame", body, headers).unwrap_err()["code"].clone()
    };
    let frame = || InvokeBody::Raw(frame_with_code());
    assert_eq!(send(frame(), HeaderMap::new()), "image_unreadable");
    assert_eq!(send(frame(), size("320", "ten")), "image_unreadable");
    assert_eq!(send(frame(), size("321", "240")), "image_unreadable");
    assert_eq!(send(frame(), size("9000", "9000")), "image_too_large");
    // Android's JSON without base64 text, or text that is not base64.
    for body in [
        json!({ "frame": "%%%" }),
        json!([1, 2, 3]),
        json!({ "bytes": "AAAA" }),
    ] {
        assert_eq!(
            send(InvokeBody::Json(body), size("2", "2")),
            "image_unreadable"
        );
    }
}

#[test]
fn the_capabilities_carry_the_frame_plan_of_pocket_core() {
    let (_app, window, _dir) = app();
    let capabilities = invoke_with_headers(
        &window,
        "scan_capabilities",
        InvokeBody::Json(json!({})),
        HeaderMap::new(),
    )
    .unwrap();
    assert_eq!(
        capabilities,
        json!({
            "screen": true,
            "nativeCamera": false,
            "appSettings": false,
            "binaryFrames": true,
            "frames": {
                "maxSide": pocket_core::scan::FRAME_MAX_SIDE,
                "minIntervalMs": pocket_core::scan::FRAME_MIN_INTERVAL_MS,
                "guidePercent": pocket_core::scan::GUIDE_SHARE_PERCENT,
            },
        })
    );
}

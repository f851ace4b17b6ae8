//! The picture another app kept for an account: an image from an Aegis vault, or the
//! letters on a coloured disc that 2FAS draws. Pocket's own icons come from the issuer (the
//! UI's bundled set); these are kept only where an import brought one.
//!
//! An image is shown by the UI as an `<img>` from a `data:` URL, where an SVG runs no script
//! and loads nothing; still, only PNG, JPEG and SVG that look like what they claim are kept,
//! and none larger than [`MAX_ICON_BYTES`].

/// Larger pictures are dropped: Aegis' own icon packs are a few kilobytes each.
pub const MAX_ICON_BYTES: usize = 256 * 1024;
/// 2FAS labels hold two letters; a little room for other scripts.
const MAX_LABEL_CHARS: usize = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    Png,
    Jpeg,
    Svg,
}

impl ImageFormat {
    pub fn mime(self) -> &'static str {
        match self {
            ImageFormat::Png => "image/png",
            ImageFormat::Jpeg => "image/jpeg",
            ImageFormat::Svg => "image/svg+xml",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ImageFormat::Png => "png",
            ImageFormat::Jpeg => "jpeg",
            ImageFormat::Svg => "svg",
        }
    }

    pub fn parse(text: &str) -> Option<ImageFormat> {
        match text {
            "png" => Some(ImageFormat::Png),
            "jpeg" => Some(ImageFormat::Jpeg),
            "svg" => Some(ImageFormat::Svg),
            _ => None,
        }
    }

    /// From a MIME type as files state it.
    fn from_mime(mime: &str) -> Option<ImageFormat> {
        match mime.trim().to_ascii_lowercase().as_str() {
            "image/png" => Some(ImageFormat::Png),
            "image/jpeg" | "image/jpg" => Some(ImageFormat::Jpeg),
            "image/svg+xml" => Some(ImageFormat::Svg),
            _ => None,
        }
    }

    /// Whether `bytes` begin as this format's files do.
    fn matches(self, bytes: &[u8]) -> bool {
        match self {
            ImageFormat::Png => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
            ImageFormat::Jpeg => bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
            ImageFormat::Svg => std::str::from_utf8(bytes).is_ok_and(|text| {
                let text = text.trim_start_matches('\u{feff}').trim_start();
                text.starts_with('<') && text.contains("<svg")
            }),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountIcon {
    Image {
        format: ImageFormat,
        bytes: Vec<u8>,
    },
    /// A few letters on a disc of `colour` (`#rrggbb`).
    Label {
        text: String,
        colour: String,
    },
}

impl AccountIcon {
    /// An image as a file states it: `mime` and the bytes. None when it is not a PNG, JPEG
    /// or SVG that looks like one, or is too large.
    pub fn image(mime: &str, bytes: Vec<u8>) -> Option<AccountIcon> {
        let format = ImageFormat::from_mime(mime)?;
        (bytes.len() <= MAX_ICON_BYTES && format.matches(&bytes))
            .then_some(AccountIcon::Image { format, bytes })
    }

    /// Letters on a disc; None without letters, with too many, or with a colour that is not
    /// `#rrggbb`.
    pub fn label(text: &str, colour: &str) -> Option<AccountIcon> {
        let text = text.trim();
        let count = text.chars().count();
        let letters_only = text.chars().all(|c| c.is_alphanumeric());
        let colour_ok = colour.len() == 7
            && colour.starts_with('#')
            && colour[1..].bytes().all(|b| b.is_ascii_hexdigit());
        (count > 0 && count <= MAX_LABEL_CHARS && letters_only && colour_ok).then(|| {
            AccountIcon::Label {
                text: text.to_uppercase(),
                colour: colour.to_ascii_lowercase(),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

    #[test]
    fn keeps_images_that_are_what_they_claim() {
        assert!(AccountIcon::image("image/png", PNG.to_vec()).is_some());
        assert!(AccountIcon::image("IMAGE/JPEG", vec![0xFF, 0xD8, 0xFF, 0xE0]).is_some());
        let svg = "\u{feff}<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>";
        assert!(AccountIcon::image("image/svg+xml", svg.as_bytes().to_vec()).is_some());
    }

    #[test]
    fn drops_what_is_not_a_small_picture_of_its_kind() {
        // Another kind, a false claim, HTML posing as SVG, something too large.
        assert!(AccountIcon::image("image/gif", b"GIF89a".to_vec()).is_none());
        assert!(AccountIcon::image("image/png", vec![0xFF, 0xD8, 0xFF]).is_none());
        assert!(AccountIcon::image("image/svg+xml", b"<html><script>".to_vec()).is_none());
        assert!(AccountIcon::image("image/svg+xml", vec![0xC3, 0x28, b'<']).is_none());
        let mut huge = PNG.to_vec();
        huge.resize(MAX_ICON_BYTES + 1, 0);
        assert!(AccountIcon::image("image/png", huge).is_none());
    }

    #[test]
    fn labels_are_a_few_letters_on_a_hex_colour() {
        assert_eq!(
            AccountIcon::label(" gh ", "#3F51B5"),
            Some(AccountIcon::Label {
                text: "GH".into(),
                colour: "#3f51b5".into()
            })
        );
        assert!(AccountIcon::label("", "#3f51b5").is_none());
        assert!(AccountIcon::label("TOOLONG", "#3f51b5").is_none());
        assert!(AccountIcon::label("<b>", "#3f51b5").is_none());
        assert!(AccountIcon::label("GH", "red").is_none());
        assert!(AccountIcon::label("GH", "#3f51bz").is_none());
    }
}

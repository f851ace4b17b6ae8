//! YUV4MPEG2 (`.y4m`), the uncompressed video format Chromium plays as a fake camera: a text
//! header line, then frames, each a `FRAME` line and its planes. Only the luminance plane is
//! read; what is written carries neutral colour.

use std::io::{BufRead, Read, Write};

use anyhow::{Context, Result, bail, ensure};

/// Larger frames are not camera frames; a header claiming one is refused before any buffer.
const MAX_SIDE: u32 = 4096;
/// Header and frame lines are short; a longer one is not YUV4MPEG2.
const MAX_LINE: usize = 1024;

/// What the stream header says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    pub width: u32,
    pub height: u32,
    pub fps_num: u32,
    pub fps_den: u32,
    /// Bytes after the luminance plane in each frame (the two chroma planes).
    chroma_bytes: usize,
}

impl Header {
    /// A 4:2:0 stream, as Chromium wants it.
    pub fn new(width: u32, height: u32, fps: u32) -> Header {
        Header {
            width,
            height,
            fps_num: fps,
            fps_den: 1,
            chroma_bytes: 2 * (width.div_ceil(2) * height.div_ceil(2)) as usize,
        }
    }

    /// Milliseconds into the video at which frame `index` (from 0) shows.
    pub fn millis_at(&self, index: u64) -> u64 {
        let millis =
            u128::from(index) * 1000 * u128::from(self.fps_den) / u128::from(self.fps_num.max(1));
        u64::try_from(millis).unwrap_or(u64::MAX)
    }

    fn luma_bytes(&self) -> usize {
        self.width as usize * self.height as usize
    }
}

/// Reads frames one at a time, so a video of any length takes one frame's memory.
pub struct Reader<R> {
    input: R,
    pub header: Header,
}

impl<R: BufRead> Reader<R> {
    pub fn new(mut input: R) -> Result<Reader<R>> {
        let line = read_line(&mut input)?.context("empty file")?;
        let mut fields = line.split(' ');
        ensure!(fields.next() == Some("YUV4MPEG2"), "not a YUV4MPEG2 file");
        let (mut width, mut height, mut rate, mut colour) = (None, None, (30, 1), "420jpeg");
        for field in fields {
            // The tag is the field's first character, which need not be one byte.
            let (tag, value) = field.split_at(field.chars().next().map_or(0, char::len_utf8));
            match tag {
                "W" => width = Some(value.parse::<u32>().context("width")?),
                "H" => height = Some(value.parse::<u32>().context("height")?),
                "F" => {
                    let (num, den) = value.split_once(':').context("frame rate")?;
                    rate = (
                        num.parse().context("frame rate")?,
                        den.parse().context("frame rate")?,
                    );
                }
                "C" => colour = value,
                _ => {}
            }
        }
        let (width, height) = (width.context("no width")?, height.context("no height")?);
        ensure!(
            (1..=MAX_SIDE).contains(&width) && (1..=MAX_SIDE).contains(&height),
            "frames of {width}×{height} are not camera frames"
        );
        ensure!(
            rate.0 > 0 && rate.1 > 0,
            "a frame rate of {}:{}",
            rate.0,
            rate.1
        );
        let chroma_side = |w: u32, h: u32| (w * h) as usize;
        let chroma_bytes = match colour {
            // 8-bit samples only: `420p10` and the like have two bytes a sample.
            "420jpeg" | "420paldv" | "420mpeg2" | "420" => {
                2 * chroma_side(width.div_ceil(2), height.div_ceil(2))
            }
            "422" => 2 * chroma_side(width.div_ceil(2), height),
            "444" => 2 * chroma_side(width, height),
            "mono" => 0,
            other => bail!("colour space {other} is not read"),
        };
        Ok(Reader {
            input,
            header: Header {
                width,
                height,
                fps_num: rate.0,
                fps_den: rate.1,
                chroma_bytes,
            },
        })
    }

    /// The next frame's luminance plane, or `None` at the end of the video.
    pub fn next_luma(&mut self) -> Result<Option<Vec<u8>>> {
        let Some(line) = read_line(&mut self.input)? else {
            return Ok(None);
        };
        ensure!(
            line == "FRAME" || line.starts_with("FRAME "),
            "a frame does not start with FRAME"
        );
        let mut luma = vec![0u8; self.header.luma_bytes()];
        self.input
            .read_exact(&mut luma)
            .context("a frame is cut short")?;
        let skipped = std::io::copy(
            &mut (&mut self.input).take(self.header.chroma_bytes as u64),
            &mut std::io::sink(),
        )?;
        ensure!(
            skipped == self.header.chroma_bytes as u64,
            "a frame is cut short"
        );
        Ok(Some(luma))
    }
}

/// One line without its newline, or `None` at the end of the input.
fn read_line(input: &mut impl BufRead) -> Result<Option<String>> {
    let mut line = Vec::new();
    let read = input
        .take(MAX_LINE as u64 + 1)
        .read_until(b'\n', &mut line)?;
    if read == 0 {
        return Ok(None);
    }
    ensure!(
        line.pop() == Some(b'\n'),
        "a header line is too long or cut short"
    );
    Ok(Some(
        String::from_utf8(line).context("a header line is not text")?,
    ))
}

/// Writes a 4:2:0 stream frame by frame.
pub struct Writer<W> {
    output: W,
    header: Header,
}

impl<W: Write> Writer<W> {
    pub fn new(mut output: W, header: Header) -> Result<Writer<W>> {
        writeln!(
            output,
            "YUV4MPEG2 W{} H{} F{}:{} Ip A1:1 C420jpeg",
            header.width, header.height, header.fps_num, header.fps_den
        )?;
        Ok(Writer { output, header })
    }

    /// Appends a frame of `width` × `height` luminance values, in grey.
    pub fn frame(&mut self, luma: &[u8]) -> Result<()> {
        ensure!(
            luma.len() == self.header.luma_bytes(),
            "a frame of the wrong size"
        );
        self.output.write_all(b"FRAME\n")?;
        self.output.write_all(luma)?;
        self.output
            .write_all(&vec![128u8; self.header.chroma_bytes])?;
        Ok(())
    }

    pub fn finish(mut self) -> Result<W> {
        self.output.flush()?;
        Ok(self.output)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_written_reads_back_frame_by_frame() {
        let header = Header::new(5, 3, 15);
        let mut writer = Writer::new(Vec::new(), header).unwrap();
        writer.frame(&[1; 15]).unwrap();
        writer.frame(&[2; 15]).unwrap();
        let bytes = writer.finish().unwrap();
        // 15 luminance bytes and two 3×2 chroma planes per frame.
        assert_eq!(
            bytes.len(),
            "YUV4MPEG2 W5 H3 F15:1 Ip A1:1 C420jpeg\n".len() + 2 * (6 + 15 + 12)
        );
        let mut reader = Reader::new(bytes.as_slice()).unwrap();
        assert_eq!(reader.header, header);
        assert_eq!(reader.next_luma().unwrap(), Some(vec![1; 15]));
        assert_eq!(reader.next_luma().unwrap(), Some(vec![2; 15]));
        assert_eq!(reader.next_luma().unwrap(), None);
        assert_eq!(header.millis_at(15), 1000);
        let slow = Header {
            fps_den: u32::MAX,
            ..header
        };
        assert_eq!(slow.millis_at(u64::MAX), u64::MAX);
    }

    #[test]
    fn a_broken_file_is_refused_with_its_reason() {
        let error = |bytes: &[u8]| match Reader::new(bytes).and_then(|mut r| r.next_luma()) {
            Err(error) => error.to_string(),
            Ok(frame) => panic!("read {frame:?}"),
        };
        assert_eq!(error(b""), "empty file");
        assert_eq!(error(b"P5 2 2 255\n"), "not a YUV4MPEG2 file");
        assert_eq!(
            error(b"YUV4MPEG2 W9000 H9000\n"),
            "frames of 9000×9000 are not camera frames"
        );
        assert_eq!(
            error(b"YUV4MPEG2 W2 H2 Cmono\nFRAME\n\x01"),
            "a frame is cut short"
        );
        assert_eq!(
            error(b"YUV4MPEG2 W2 H2 Cmono\nFRAM\n"),
            "a frame does not start with FRAME"
        );
        assert_eq!(
            error(b"YUV4MPEG2 W2 H2 C411\n"),
            "colour space 411 is not read"
        );
        assert_eq!(
            error(b"YUV4MPEG2 W2 H2 C420p10\n"),
            "colour space 420p10 is not read"
        );
        // A field that starts with a character of several bytes is just an unknown field.
        assert_eq!(
            error("YUV4MPEG2 W2 H2 Cmono \u{e9}x\nFRAME\n\x01".as_bytes()),
            "a frame is cut short"
        );
        let long = [b"YUV4MPEG2 ".as_slice(), &[b'X'; 2000]].concat();
        assert_eq!(error(&long), "a header line is too long or cut short");
    }
}

//! The SQL of clock measurements.

use rusqlite::params;

use super::Db;
use crate::clock::ClockSample;
use crate::error::Result;

impl Db {
    pub fn save_clock_sample(&self, sample: &ClockSample) -> Result<()> {
        self.conn.execute(
            "INSERT INTO server_clocks (source, offset_ms, uncertainty_ms, measured_at)
             VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (source) DO UPDATE SET offset_ms = ?2, uncertainty_ms = ?3, measured_at = ?4",
            params![
                sample.source,
                sample.offset_ms,
                i64::try_from(sample.uncertainty_ms).unwrap_or(i64::MAX),
                i64::try_from(sample.measured_at).unwrap_or(i64::MAX),
            ],
        )?;
        Ok(())
    }

    pub fn clock_samples(&self) -> Result<Vec<ClockSample>> {
        let mut statement = self.conn.prepare(
            "SELECT source, offset_ms, uncertainty_ms, measured_at FROM server_clocks ORDER BY source",
        )?;
        let rows = statement.query_map([], |row| {
            Ok(ClockSample {
                source: row.get(0)?,
                offset_ms: row.get(1)?,
                uncertainty_ms: row.get::<_, i64>(2)?.max(0) as u64,
                measured_at: row.get::<_, i64>(3)?.max(0) as u64,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

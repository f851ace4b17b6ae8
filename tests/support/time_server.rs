//! A time server on loopback that tells the true time (this test process's clock, which
//! faketime does not touch): the second source that lets Pocket, run with its clock off,
//! move its codes by more than a code period.

use anyhow::Result;
use pocket_core::clock::{now_millis, sntp::ntp_timestamp};
use tokio::net::UdpSocket;
use tokio::task::JoinHandle;

/// SNTP's packet: 48 bytes.
const PACKET: usize = 48;

pub struct TimeServer {
    /// `127.0.0.1:port`, as Pocket's settings take it.
    pub address: String,
    task: JoinHandle<()>,
}

impl TimeServer {
    pub async fn start() -> Result<TimeServer> {
        let socket = UdpSocket::bind("127.0.0.1:0").await?;
        let address = socket.local_addr()?.to_string();
        let task = tokio::spawn(async move {
            let mut request = [0u8; 512];
            while let Ok((length, from)) = socket.recv_from(&mut request).await {
                if length < PACKET {
                    continue;
                }
                let mut reply = [0u8; PACKET];
                // No leap warning, version 4, mode 4 (server); stratum 2.
                reply[0] = 0x24;
                reply[1] = 2;
                // The client's own transmit time comes back as the origin time.
                reply[24..32].copy_from_slice(&request[40..48]);
                let now = ntp_timestamp(now_millis());
                reply[32..40].copy_from_slice(&now);
                reply[40..48].copy_from_slice(&now);
                if socket.send_to(&reply, from).await.is_err() {
                    break;
                }
            }
        });
        Ok(TimeServer { address, task })
    }
}

impl Drop for TimeServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

//! A company server whose certificate comes from the company's own CA works without
//! `sslverify=0`, once that CA is in the system's store: here a CA made for the test, a TLS
//! front (socat) for the reference service on 127.0.0.1, and the CA given to Pocket the way
//! Linux does it, `SSL_CERT_FILE`. Without the CA the certificate is refused.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, ensure};
use pocket_tests::gen_device::GenDevice;
use pocket_tests::process::{Guarded, free_port, listening, run};
use pocket_tests::reference::{ReferenceService, WebSession};

const HOST: &str = "mfa.corp.test";

/// A CA and a certificate it signed for `HOST` and 127.0.0.1, with openssl.
fn make_company_ca(dir: &Path) -> Result<()> {
    let openssl = |args: &[&str]| -> Result<()> {
        let mut command = Command::new("openssl");
        command.args(args).current_dir(dir);
        run(&mut command, Duration::from_secs(60))?.checked()?;
        Ok(())
    };
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=Pocket Test Company CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
    ])?;
    openssl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        &format!("/CN={HOST}"),
    ])?;
    std::fs::write(
        dir.join("server.ext"),
        format!(
            "subjectAltName=DNS:{HOST},IP:127.0.0.1\nbasicConstraints=CA:FALSE\n\
             keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n"
        ),
    )?;
    openssl(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        "2",
        "-extfile",
        "server.ext",
    ])
}

#[tokio::test]
async fn a_server_certified_by_the_company_ca_in_the_system_store_is_trusted() -> Result<()> {
    let dir = tempfile::tempdir()?;
    make_company_ca(dir.path())?;
    let tls_port = free_port()?;
    let public = format!("https://{HOST}:{tls_port}/");
    let service = ReferenceService::start(&["--public-url", &public])?;
    let _front = Guarded::spawn(
        "socat",
        Command::new("socat")
            .arg(format!(
                "OPENSSL-LISTEN:{tls_port},bind=127.0.0.1,reuseaddr,fork,verify=0,cert={},key={}",
                dir.path().join("server.pem").display(),
                dir.path().join("server.key").display()
            ))
            .arg(format!("TCP:{}", service.listening)),
    )?;
    listening("the TLS front", tls_port, Duration::from_secs(10)).await?;
    let resolve = format!("{HOST}=127.0.0.1:{tls_port}");

    // The user's browser trusts the company CA too, and pairs.
    let ca_pem = std::fs::read(dir.path().join("ca.pem"))?;
    let address = format!("127.0.0.1:{tls_port}").parse()?;
    let web = WebSession::with(&public, |b| {
        b.resolve(HOST, address)
            .tls_built_in_root_certs(false)
            .add_root_certificate(reqwest::Certificate::from_pem(&ca_pem).expect("the CA"))
    })?;
    web.log_in(&service.demo_email, &service.demo_password)
        .await?;
    let link = web.start_pairing().await?;
    ensure!(
        link.contains("sslverify=1") && link.contains(HOST),
        "{link}"
    );

    // Without the company CA, Pocket refuses the certificate and keeps nothing.
    let phone = GenDevice::new()?.resolving(&resolve);
    let refused = phone.trusting(None).fails(&["enroll", &link])?;
    ensure!(refused.contains("certificate"), "{refused}");

    // With it in the system store, the pairing goes through, and so do polls and answers.
    let ca = dir.path().join("ca.pem");
    let phone = phone.trusting(Some(&ca));
    phone.must(&["enroll", &link])?;
    let login = WebSession::with(&public, |b| {
        b.resolve(HOST, address)
            .add_root_certificate(reqwest::Certificate::from_pem(&ca_pem).expect("the CA"))
    })?;
    login
        .log_in(&service.demo_email, &service.demo_password)
        .await?;
    let requests = phone.must(&["poll", "--wait", "20"])?;
    let request: serde_json::Value = serde_json::from_str(
        requests
            .lines()
            .next()
            .context("no login request arrived over TLS")?,
    )?;
    let choices = request["presence_options"]
        .as_array()
        .context("number matching")?;
    ensure!(choices.len() == 3, "{request}");
    Ok(())
}

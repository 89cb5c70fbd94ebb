//! Mail over SMTP with lettre: the `[smtp]` section of the alerts file, and
//! sending one message. Credentials come from the environment
//! (`FEEDBACK_SMTP_USERNAME`, `FEEDBACK_SMTP_PASSWORD`), never from the file.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::{Deserialize, Serialize};

/// The environment variable holding the SMTP user name.
pub const USERNAME_ENV: &str = "FEEDBACK_SMTP_USERNAME";
/// The environment variable holding the SMTP password.
pub const PASSWORD_ENV: &str = "FEEDBACK_SMTP_PASSWORD";

/// How the connection to the mail server is protected.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    /// Plain SMTP upgraded with STARTTLS, which must succeed (port 587).
    #[default]
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a relay on the same host or network.
    None,
}

/// The `[smtp]` section.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpConfig {
    /// The server's host name.
    pub server: String,
    /// Its port; by default 587 for STARTTLS, 465 for TLS, 25 for none.
    pub port: Option<u16>,
    /// How the connection is protected.
    #[serde(default)]
    pub security: Security,
    /// The sender, for example `"Feedback <feedback@example.com>"`.
    pub from: String,
    /// Seconds a message may take to send.
    #[serde(default = "default_timeout")]
    pub timeout_seconds: f64,
    /// A PEM file of a certificate authority to trust besides the usual
    /// ones, for a mail server with a private certificate.
    #[serde(default)]
    pub root_certificate: Option<PathBuf>,
}

fn default_timeout() -> f64 {
    30.0
}

/// One message, as a delivery keeps it until it is sent.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct Mail {
    /// Recipients.
    pub to: Vec<String>,
    /// Subject line.
    pub subject: String,
    /// Plain text body.
    pub text: String,
    /// The same as simple HTML, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html: Option<String>,
}

/// An address such as `ana@example.com` or `Ana <ana@example.com>`, or why not.
pub fn mailbox(address: &str) -> anyhow::Result<Mailbox> {
    address
        .parse()
        .with_context(|| format!("{address:?} is not an email address"))
}

impl SmtpConfig {
    /// Checks the section.
    pub fn check(&self) -> anyhow::Result<()> {
        anyhow::ensure!(!self.server.is_empty(), "smtp.server is empty");
        mailbox(&self.from).context("smtp.from")?;
        self.tls_parameters().context("smtp.root_certificate")?;
        Ok(())
    }

    /// TLS trusting [`SmtpConfig::root_certificate`] too; `None` without one.
    fn tls_parameters(&self) -> anyhow::Result<Option<TlsParameters>> {
        let Some(path) = &self.root_certificate else {
            return Ok(None);
        };
        let pem = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        let certificate = Certificate::from_pem(&pem)
            .with_context(|| format!("{} is not a PEM certificate", path.display()))?;
        let parameters = TlsParameters::builder(self.server.clone())
            .add_root_certificate(certificate)
            .build_rustls()?;
        Ok(Some(parameters))
    }

    fn transport(&self) -> anyhow::Result<AsyncSmtpTransport<Tokio1Executor>> {
        type Smtp = AsyncSmtpTransport<Tokio1Executor>;
        let plain = || Smtp::builder_dangerous(&self.server);
        let builder = match (self.security, self.tls_parameters()?) {
            (Security::None, _) => plain(),
            (Security::Starttls, None) => Smtp::starttls_relay(&self.server)?,
            (Security::Tls, None) => Smtp::relay(&self.server)?,
            (Security::Starttls, Some(tls)) => plain().port(587).tls(Tls::Required(tls)),
            (Security::Tls, Some(tls)) => plain().port(465).tls(Tls::Wrapper(tls)),
        };
        let mut builder = builder.timeout(Some(Duration::from_secs_f64(self.timeout_seconds)));
        if let Some(port) = self.port {
            builder = builder.port(port);
        }
        match (std::env::var(USERNAME_ENV), std::env::var(PASSWORD_ENV)) {
            (Ok(user), Ok(password)) => {
                builder = builder.credentials(Credentials::new(user, password));
            }
            (Err(_), Err(_)) => {}
            _ => anyhow::bail!("set both {USERNAME_ENV} and {PASSWORD_ENV}, or neither"),
        }
        Ok(builder.build())
    }

    /// Sends `mail`; an error says why it was not accepted.
    pub async fn send(&self, mail: &Mail) -> anyhow::Result<()> {
        let mut message = Message::builder()
            .from(mailbox(&self.from)?)
            .subject(mail.subject.clone());
        for to in &mail.to {
            message = message.to(mailbox(to)?);
        }
        let text = SinglePart::plain(mail.text.clone());
        let message = match &mail.html {
            Some(html) => message.multipart(
                MultiPart::alternative()
                    .singlepart(text)
                    .singlepart(SinglePart::html(html.clone())),
            )?,
            None => message.singlepart(text)?,
        };
        self.transport()?
            .send(message)
            .await
            .context("the mail server did not take the message")?;
        Ok(())
    }
}

//! The connection beneath HTTP. hyper answers a request it cannot read (a URI over 64 KiB, a
//! head larger than its buffer, a malformed request line) by itself, before any of KOX runs:
//! a bare status line with `content-length: 0`. [`Answering`] recognises those automatic
//! answers on their way out and sends the API's error body and the security headers instead,
//! so a 400, 414 or 431 looks like every other refusal. Everything else passes untouched.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use axum::http::{HeaderMap, HeaderValue, StatusCode};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

/// A TCP listener whose connections are [`Answering`].
pub(crate) struct Listener(pub TcpListener);

impl axum::serve::Listener for Listener {
    type Io = Answering<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        let (io, addr) = axum::serve::Listener::accept(&mut self.0).await;
        (Answering::new(io), addr)
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.0.local_addr()
    }
}

/// A stream that rewrites hyper's automatic error answers (see the module docs).
pub(crate) struct Answering<T> {
    inner: T,
    /// A replacement answer still to be written, and how much of it has been.
    pending: Vec<u8>,
    written: usize,
}

impl<T> Answering<T> {
    pub(crate) fn new(inner: T) -> Self {
        Self {
            inner,
            pending: Vec::new(),
            written: 0,
        }
    }
}

/// hyper's automatic answers are a head alone, far shorter than this.
const AUTOMATIC_MAX: usize = 256;

/// The replacement for `head` if it is one of hyper's automatic error answers: a status line
/// of 400, 414 or 431 and `content-length: 0`, without the headers every answer of KOX's own
/// carries (`guard` adds `x-content-type-options` to all of them).
fn replacement(head: &[u8]) -> Option<Vec<u8>> {
    if head.len() > AUTOMATIC_MAX || !head.ends_with(b"\r\n\r\n") {
        return None;
    }
    let text = std::str::from_utf8(head).ok()?;
    let rest = text.strip_prefix("HTTP/1.1 ")?;
    let status = match rest.get(..3)? {
        "400" => StatusCode::BAD_REQUEST,
        "414" => StatusCode::URI_TOO_LONG,
        "431" => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
        _ => return None,
    };
    let lower = text.to_ascii_lowercase();
    if !lower.contains("\r\ncontent-length: 0\r\n") || lower.contains("x-content-type-options") {
        return None;
    }
    let date = text.split("\r\n").find_map(|l| {
        l.strip_prefix("date: ")
            .or_else(|| l.strip_prefix("Date: "))
    });
    let body = match status {
        StatusCode::URI_TOO_LONG => crate::error::ApiError::Invalid {
            code: "request.uri_too_long".into(),
            message: "the request URI is too long".into(),
            field: None,
        },
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => crate::error::ApiError::Invalid {
            code: "request.headers_too_large".into(),
            message: "the request headers are too large".into(),
            field: None,
        },
        _ => crate::error::ApiError::Invalid {
            code: "request.unreadable".into(),
            message: "the request could not be read as HTTP".into(),
            field: None,
        },
    }
    .body_json();
    let mut headers = HeaderMap::new();
    headers.insert("content-type", HeaderValue::from_static("application/json"));
    crate::security_headers(&mut headers, true);
    // hyper closes the connection after such an answer; say so.
    headers.insert("connection", HeaderValue::from_static("close"));
    let mut out = format!(
        "HTTP/1.1 {} {}\r\n",
        status.as_u16(),
        status.canonical_reason().unwrap_or("")
    )
    .into_bytes();
    for (name, value) in &headers {
        out.extend_from_slice(name.as_str().as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    if let Some(date) = date {
        out.extend_from_slice(format!("date: {date}\r\n").as_bytes());
    }
    out.extend_from_slice(format!("content-length: {}\r\n\r\n", body.len()).as_bytes());
    out.extend_from_slice(&body);
    Some(out)
}

impl<T: AsyncWrite + Unpin> Answering<T> {
    /// Writes what is left of a replacement answer.
    fn drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.written < self.pending.len() {
            let n =
                ready!(Pin::new(&mut self.inner).poll_write(cx, &self.pending[self.written..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.written += n;
        }
        Poll::Ready(Ok(()))
    }

    /// Takes `head` in place of hyper's automatic answer, if it is one.
    fn intercept(&mut self, cx: &mut Context<'_>, head: &[u8]) -> Option<Poll<io::Result<usize>>> {
        if !head.starts_with(b"HTTP/1.1 4") {
            return None;
        }
        let out = replacement(head)?;
        self.pending = out;
        self.written = 0;
        // hyper's bytes count as written; ours follow here or in the next flush.
        Some(match self.drain(cx) {
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            _ => Poll::Ready(Ok(head.len())),
        })
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Answering<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Answering<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        ready!(self.drain(cx))?;
        if let Some(done) = self.intercept(cx, buf) {
            return done;
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        ready!(self.drain(cx))?;
        // Cheap first: only a short write that starts as a 4xx status line can be one.
        let total: usize = bufs.iter().map(|b| b.len()).sum();
        if total <= AUTOMATIC_MAX && bufs.first().is_some_and(|b| b.starts_with(b"HTTP/1.1 4")) {
            let head: Vec<u8> = bufs.iter().flat_map(|b| b.iter().copied()).collect();
            if let Some(done) = self.intercept(cx, &head) {
                return done;
            }
        }
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.drain(cx))?;
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.drain(cx))?;
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_automatic_answers_are_replaced() {
        let auto = b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\ndate: Wed, 02 Dec 2026 15:00:00 GMT\r\n\r\n";
        let out = String::from_utf8(replacement(auto).unwrap()).unwrap();
        assert!(
            out.starts_with("HTTP/1.1 431 Request Header Fields Too Large\r\n"),
            "{out}"
        );
        assert!(out.contains("x-content-type-options: nosniff\r\n"), "{out}");
        assert!(
            out.contains("date: Wed, 02 Dec 2026 15:00:00 GMT\r\n"),
            "{out}"
        );
        let (head, body) = out.split_once("\r\n\r\n").unwrap();
        assert!(
            head.contains(&format!("content-length: {}", body.len())),
            "{out}"
        );
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(v["error"]["code"], "request.headers_too_large");

        // KOX's own answers (and anything not an automatic refusal) pass untouched.
        let own = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nx-content-type-options: nosniff\r\n\r\n";
        assert!(replacement(own).is_none());
        assert!(replacement(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n").is_none());
        assert!(replacement(b"HTTP/1.1 414 URI Too Long\r\ncontent-length: 5\r\n\r\n").is_none());
        assert!(replacement(b"HTTP/1.1 414 URI Too Long\r\ncontent-length: 0\r\n").is_none());
    }
}

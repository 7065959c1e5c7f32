//! The server's accept loop: HTTP/1.1 by hyper over each TCP connection, with the timeouts
//! that `axum::serve` does not set (it gives hyper no timer, so hyper's own header timeout
//! never runs, and 450 half-open connections were seen still open after 70 s).
//!
//! - **Header read** ([`Timeouts::header_read`]): the request line and headers must arrive
//!   within this time of the server starting to wait for them. hyper starts that wait as soon
//!   as a connection opens and again after each response, so it is also how long a kept-alive
//!   connection may sit idle between requests.
//! - **Idle** ([`Timeouts::idle`]): a connection on which no byte moves either way for this
//!   long is closed, whatever it is doing: a body that stopped arriving, a response the
//!   client stopped reading.
//!
//! Each request carries the peer's address as `ConnectInfo<SocketAddr>`, from which sign-in
//! limits are counted (see [`crate::throttle`]).

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::time::Instant;
use tower::{Service, ServiceExt};

/// How long the server waits on a connection.
#[derive(Clone, Copy, Debug)]
pub struct Timeouts {
    /// For a request's line and headers, from when the server is ready for them.
    pub header_read: Duration,
    /// For any byte to move, in either direction.
    pub idle: Duration,
}

impl Default for Timeouts {
    fn default() -> Timeouts {
        Timeouts {
            header_read: Duration::from_secs(10),
            idle: Duration::from_secs(60),
        }
    }
}

/// Serves `router` on `listener` until `shutdown` completes, then lets the requests in flight
/// finish (closing idle connections) and returns.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    timeouts: Timeouts,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let mut make_service = router.into_make_service_with_connect_info::<SocketAddr>();
    let (closing, closing_seen) = watch::channel(false);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors, or a connection reset before it was accepted:
                    // wait a moment rather than spin.
                    tracing::warn!(%error, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service = match ServiceExt::<SocketAddr>::ready(&mut make_service).await {
            Ok(ready) => ready.call(peer).await,
            Err(never) => match never {},
        };
        let Ok(service) = service;
        tokio::spawn(connection(stream, service, timeouts, closing_seen.clone()));
    }
    drop(listener);
    let _ = closing.send(true);
    drop(closing_seen);
    closing.closed().await;
    Ok(())
}

async fn connection<S>(
    stream: TcpStream,
    service: S,
    timeouts: Timeouts,
    mut closing: watch::Receiver<bool>,
) where
    S: Service<
            axum::http::Request<hyper::body::Incoming>,
            Response = axum::response::Response,
            Error = std::convert::Infallible,
        > + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
{
    let _ = stream.set_nodelay(true);
    let activity = Activity::new();
    let io = TokioIo::new(Watched {
        inner: stream,
        activity: activity.clone(),
    });
    let conn = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(timeouts.header_read)
        .serve_connection(io, TowerToHyperService::new(service));
    tokio::pin!(conn);
    let mut shutting_down = false;
    loop {
        tokio::select! {
            result = conn.as_mut() => {
                if let Err(error) = result {
                    tracing::debug!(%error, "connection ended with an error");
                }
                break;
            }
            () = tokio::time::sleep_until(activity.last() + timeouts.idle) => {
                if activity.last() + timeouts.idle <= Instant::now() {
                    tracing::debug!("closing an idle connection");
                    break;
                }
            }
            changed = closing.changed(), if !shutting_down => {
                shutting_down = true;
                if changed.is_ok() {
                    conn.as_mut().graceful_shutdown();
                }
            }
        }
    }
}

/// When bytes last moved on a connection.
#[derive(Clone, Debug)]
struct Activity {
    opened: Instant,
    /// Milliseconds after `opened`.
    last: Arc<AtomicU64>,
}

impl Activity {
    fn new() -> Activity {
        Activity {
            opened: Instant::now(),
            last: Arc::new(AtomicU64::new(0)),
        }
    }

    fn touch(&self) {
        let millis = self.opened.elapsed().as_millis();
        self.last
            .store(u64::try_from(millis).unwrap_or(u64::MAX), Ordering::Relaxed);
    }

    fn last(&self) -> Instant {
        self.opened + Duration::from_millis(self.last.load(Ordering::Relaxed))
    }
}

/// A stream that records in [`Activity`] whenever bytes move.
struct Watched {
    inner: TcpStream,
    activity: Activity,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.touch();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        polled
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

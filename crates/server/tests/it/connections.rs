//! The real accept loop over a loopback socket: 450 half-open connections were seen still
//! open after 70 s, because nothing ever timed a connection out.

use std::time::{Duration, Instant};

use organise_server::serve::{Timeouts, serve};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::support::TestApp;

const HEADER_READ: Duration = Duration::from_millis(300);
const IDLE: Duration = Duration::from_millis(800);

/// Serves `app` on a free loopback port with short timeouts until the returned sender is
/// dropped or fired.
async fn listen(
    app: &TestApp,
) -> (
    std::net::SocketAddr,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<()>,
) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let router = app.router.clone();
    let server = tokio::spawn(async move {
        serve(
            listener,
            router,
            Timeouts {
                header_read: HEADER_READ,
                idle: IDLE,
            },
            async {
                let _ = stopped.await;
            },
        )
        .await
        .unwrap();
    });
    (addr, stop, server)
}

/// Reads until the server closes the connection, returning what it sent and how long that
/// took; fails if it stays open for `limit`.
async fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> (String, Duration) {
    let started = Instant::now();
    let mut received = Vec::new();
    let read = tokio::time::timeout(limit, async {
        let mut buffer = [0u8; 4096];
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => received.extend_from_slice(&buffer[..n]),
            }
        }
    })
    .await;
    assert!(
        read.is_ok(),
        "the connection was still open after {limit:?}; it had sent {:?}",
        String::from_utf8_lossy(&received)
    );
    (
        String::from_utf8_lossy(&received).into_owned(),
        started.elapsed(),
    )
}

#[tokio::test]
async fn a_connection_that_never_finishes_its_headers_is_closed() {
    let app = TestApp::new().await;
    let (addr, stop, server) = listen(&app).await;

    let mut silent = TcpStream::connect(addr).await.unwrap();
    let (_, took) = read_until_closed(&mut silent, Duration::from_secs(5)).await;
    assert!(took >= HEADER_READ / 2, "closed too soon: {took:?}");

    let mut partial = TcpStream::connect(addr).await.unwrap();
    partial
        .write_all(b"GET /api/health HTTP/1.1\r\nHost: localhost\r\n")
        .await
        .unwrap();
    read_until_closed(&mut partial, Duration::from_secs(5)).await;

    let _ = stop.send(());
    server.await.unwrap();
    app.remove().await;
}

#[tokio::test]
async fn a_kept_alive_connection_is_served_then_closed_when_idle() {
    let app = TestApp::new().await;
    let (addr, stop, server) = listen(&app).await;
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"GET /api/health HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    let (sent, _) = read_until_closed(&mut stream, Duration::from_secs(5)).await;
    assert!(sent.starts_with("HTTP/1.1 200 OK"), "{sent}");
    assert!(sent.contains("\"status\":\"ok\""), "{sent}");
    let _ = stop.send(());
    server.await.unwrap();
    app.remove().await;
}

#[tokio::test]
async fn a_body_that_stops_arriving_is_closed() {
    let app = TestApp::new().await;
    let (addr, stop, server) = listen(&app).await;
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(
            b"POST /api/session HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
              Content-Length: 100\r\n\r\n{\"email\":",
        )
        .await
        .unwrap();
    let (_, took) = read_until_closed(&mut stream, Duration::from_secs(5)).await;
    assert!(took >= IDLE / 2, "closed too soon: {took:?}");
    let _ = stop.send(());
    server.await.unwrap();
    app.remove().await;
}

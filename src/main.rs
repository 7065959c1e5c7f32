//! The client's entry point: Trunk builds this binary to WebAssembly and the page runs `main`.

fn main() {
    organise::start();
}

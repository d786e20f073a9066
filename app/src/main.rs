//! Mounts the app; everything else lives in the library.

fn main() {
    segscope_app::rescue::install_panic_hook();
    leptos::mount::mount_to_body(segscope_app::App);
}

//! The chain dashboard (`/dashboard/` on the collector): a separate build,
//! so neither the kiosk nor its manager page carries it.
fn main() {
    leptos::mount::mount_to_body(feedback_kiosk::dashboard::DashboardApp);
}

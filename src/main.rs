fn main() {
    leptos::mount::mount_to_body(feedback_kiosk::App);
}
